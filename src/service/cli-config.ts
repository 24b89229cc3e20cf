// Flags and XIEZHI_* environment variables shared by `xiezhi start` and `xiezhi serve`.
import { parseArgs } from 'node:util';
import type { ServerConfig } from './server.js';

export const SERVER_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'nats-url': { type: 'string' },
  features: { type: 'string' },
  models: { type: 'string' },
  'log-level': { type: 'string' },
  'demo-applicants': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function serverHelp(command: string, summary: string): string {
  return `xiezhi ${command} — ${summary}

Options (flag, then environment variable, then default):
  -p, --port <n>            XIEZHI_PORT              8080
      --host <addr>         XIEZHI_HOST              127.0.0.1
      --data-dir <dir>      XIEZHI_DATA_DIR          ./.xiezhi-data   (embedded SQLite file xiezhi.db)
      --database-url <url>  XIEZHI_DATABASE_URL      (postgres://... selects PostgreSQL)
      --redis-url <url>     XIEZHI_REDIS_URL         (feature state in Redis instead of memory)
      --nats-url <url>      XIEZHI_NATS_URL          (also consume events from NATS JetStream)
      --features <file>     XIEZHI_FEATURES          examples/features/default.json
      --models <dir>        XIEZHI_MODELS_DIR        <data-dir>/models (model registry for the model node)
      --log-level <lvl>     XIEZHI_LOG_LEVEL         info (silent, error, warn, info, debug)
      --demo-applicants <n> XIEZHI_DEMO_APPLICANTS   200 (start only; 0 = no demo traffic)
  Also: XIEZHI_BOOTSTRAP_API_KEY (the demo tenant's first API key, ≥ 24 chars),
        XIEZHI_BOOTSTRAP_ADMIN_PASSWORD (first password of the console user 'admin', ≥ 8 chars),
        XIEZHI_LOG_MAX_DELAY_MS (longest group-commit wait, default 0 = one event-loop turn),
        XIEZHI_SQLITE_SYNCHRONOUS=full (fsync every commit; default normal, safe against process crashes),
        XIEZHI_GRAPH=off (no in-memory link graph: no features.graph.*, no /v1/graph routes, less memory).
  -h, --help                this help`;
}

export type ParsedServerArgs = { help: true } | { help: false; config: ServerConfig } | { help: false; error: string };

export function parseServerArgs(args: string[], seed: boolean, env: NodeJS.ProcessEnv = process.env): ParsedServerArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: SERVER_OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (err) {
    return { help: false, error: (err as Error).message };
  }
  if (values.help) return { help: true };
  const str = (flag: string, envName: string) => (values[flag] as string | undefined) ?? (env[envName] || undefined);
  const portText = str('port', 'XIEZHI_PORT') ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return { help: false, error: `--port must be 0..65535, got '${portText}'` };
  const demoText = str('demo-applicants', 'XIEZHI_DEMO_APPLICANTS') ?? '200';
  if (!/^\d+$/.test(demoText)) return { help: false, error: `--demo-applicants must be a whole number, got '${demoText}'` };
  const key = env.XIEZHI_BOOTSTRAP_API_KEY || undefined;
  if (key && key.length < 24) return { help: false, error: 'XIEZHI_BOOTSTRAP_API_KEY must be at least 24 characters' };
  const pw = env.XIEZHI_BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (pw && pw.length < 8) return { help: false, error: 'XIEZHI_BOOTSTRAP_ADMIN_PASSWORD must be at least 8 characters' };
  return {
    help: false,
    config: {
      host: str('host', 'XIEZHI_HOST') ?? '127.0.0.1',
      port,
      dataDir: str('data-dir', 'XIEZHI_DATA_DIR') ?? './.xiezhi-data',
      databaseUrl: str('database-url', 'XIEZHI_DATABASE_URL'),
      redisUrl: str('redis-url', 'XIEZHI_REDIS_URL'),
      natsUrl: str('nats-url', 'XIEZHI_NATS_URL'),
      featuresFile: str('features', 'XIEZHI_FEATURES'),
      modelsDir: str('models', 'XIEZHI_MODELS_DIR'),
      logMaxDelayMs: env.XIEZHI_LOG_MAX_DELAY_MS && /^\d+$/.test(env.XIEZHI_LOG_MAX_DELAY_MS) ? Number(env.XIEZHI_LOG_MAX_DELAY_MS) : undefined,
      logLevel: str('log-level', 'XIEZHI_LOG_LEVEL') ?? 'info',
      seed,
      demoApplicants: Number(demoText),
      bootstrapApiKey: key,
      bootstrapAdminPassword: pw,
      ...(env.XIEZHI_GRAPH === 'off' ? { graph: false } : {}),
    },
  };
}
