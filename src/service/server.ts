// Runs the service process: open the store, migrate, optionally seed, rebuild feature state from the log,
// listen, and on SIGTERM/SIGINT drain requests and flush the decision log before exiting.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FeatureProvider } from '../core/feature-provider.js';
import type { RiskEvent } from '../core/event.js';
import { createFeatureEngine, MemoryStore, RedisStore } from '../features/index.js';
import type { FeatureEngine } from '../features/index.js';
import { openStore, storeConfigFromEnv } from '../store/index.js';
import { FileModelRepository } from '../models/registry.js';
import { loadModelHost } from '../models/index.js';
import type { ModelHost } from '../decision/index.js';
import type { Store } from '../store/types.js';
import { buildApp, type XiezhiApp } from './app.js';
import { seedEmbedded, type SeedResult } from './seed.js';
import { NatsBus } from '../bus/nats.js';
import { deciderHandler } from '../bus/decide-handler.js';
import { SeenIds } from './seen-ids.js';
import { LinkGraph } from '../graph/link-graph.js';
import { loadGraphLabels } from './graph.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** SQLite data directory (embedded mode). */
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Also consume events from NATS JetStream (XIEZHI_NATS_URL). */
  natsUrl?: string;
  /** Longest wait before a group commit (XIEZHI_LOG_MAX_DELAY_MS; default 0 = one event-loop turn). */
  logMaxDelayMs?: number;
  /** Cluster mode (PostgreSQL): how often name lists are reloaded from the database (default 30 s). */
  listReloadMs?: number;
  /** Model registry directory (`xiezhi model ... --register <dir>`); default `<dataDir>/models` when it exists. */
  modelsDir?: string;
  /** Feature definitions file (default examples/features/default.json). */
  featuresFile?: string;
  /** Seed the demo tenant when the database is empty (`start`). */
  seed: boolean;
  demoApplicants?: number;
  bootstrapApiKey?: string;
  bootstrapAdminPassword?: string;
  logLevel: string;
  webDir?: string;
  templatesDir?: string;
  /** false: no link graph (XIEZHI_GRAPH=off). Default true: rebuilt from the log at start, kept in memory. */
  graph?: boolean;
}

export interface RunningServer {
  app: XiezhiApp;
  store: Store;
  url: string;
  seed?: SeedResult;
  /** Events replayed into feature state at start, and how long it took. */
  rebuilt: { events: number; ms: number; features: boolean };
  stop(): Promise<void>;
}

function loadFeatures(config: ServerConfig): FeatureEngine | undefined {
  const file = resolve(config.featuresFile ?? 'examples/features/default.json');
  if (!existsSync(file)) return undefined;
  const definitions = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const store = config.redisUrl ? new RedisStore({ url: config.redisUrl }) : new MemoryStore();
  return createFeatureEngine({ definitions, store, failPolicy: 'open' });
}

/** Every registered model version, for the `model` node (none when there is no registry directory). */
async function loadModels(config: ServerConfig): Promise<ModelHost | undefined> {
  const dir = resolve(config.modelsDir ?? join(config.dataDir, 'models'));
  if (!existsSync(dir)) return undefined;
  const repo = new FileModelRepository(dir);
  const versions = await repo.list();
  return loadModelHost(repo, versions.map((v) => ({ id: v.id, version: v.version })));
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  if (!config.databaseUrl && config.dataDir !== ':memory:') mkdirSync(config.dataDir, { recursive: true });
  // Group commit without an added wait: a batch holds whatever arrived during one event-loop turn. Waiting
  // (the store's 3 ms default) only delays acknowledgements; under load the batches fill up by themselves.
  const store = await openStore({ ...storeConfigFromEnv(), databaseUrl: config.databaseUrl, dataDir: config.dataDir, logMaxDelayMs: config.logMaxDelayMs ?? 0 });
  try {
    await store.migrate();
    const features: FeatureProvider | undefined = loadFeatures(config);
    const models = await loadModels(config);
    const templatesDir = config.templatesDir ?? resolve('examples/strategies');
    let seed: SeedResult | undefined;
    if (config.seed) {
      seed = await seedEmbedded(store, {
        templatesDir,
        bootstrapApiKey: config.bootstrapApiKey,
        bootstrapAdminPassword: config.bootstrapAdminPassword,
        demoApplicants: config.demoApplicants,
        features,
        models,
      });
    }
    // Embedded feature state lives in memory: rebuild it from the log (a freshly seeded store already
    // applied its demo events). With Redis the state is already there.
    // The embedded process is the log's only writer: remember every stored id so new ids skip the read.
    const seenIds = store.dialect === 'sqlite' ? new SeenIds() : undefined;
    const t0 = performance.now();
    let events = 0;
    const engine = features as FeatureEngine | undefined;
    const replayFeatures = !!engine && !config.redisUrl && !seed?.created;
    // The link graph (features.graph.*) is in memory in every mode: rebuilt from the log unless turned off.
    const graph = config.graph === false ? undefined : new LinkGraph();
    if (replayFeatures || seenIds || graph) {
      const scanned = (async function* () {
        // Events only: the rebuild needs no decision details, and skipping them halves the read.
        for await (const r of store.log.scan({ eventsOnly: true })) {
          seenIds?.add(r.tenantId, r.eventId);
          events++;
          const ev = { id: r.eventId, type: r.eventType, occurredAt: r.occurredAt, subject: r.subject, data: r.data, tenantId: r.tenantId } as RiskEvent;
          graph?.apply(ev);
          yield ev;
        }
      })();
      if (replayFeatures) await engine!.rebuild(scanned);
      else for await (const _ of scanned);
      if (graph) await loadGraphLabels(store, graph);
    }
    const rebuilt = { events, ms: Math.round(performance.now() - t0), features: replayFeatures };
    const app = await buildApp({
      store,
      features,
      graph: graph ?? false,
      templatesDir,
      webDir: config.webDir,
      seenIds,
      models,
      logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    let bus: { bus: NatsBus; consumer: { stop(): Promise<void> } } | undefined;
    if (config.natsUrl) {
      const b = await NatsBus.connect({ url: config.natsUrl });
      const known = new Map<string, boolean>();
      const tenantExists = async (id: string) => {
        let k = known.get(id);
        if (k === undefined) known.set(id, (k = !!(await store.tenants.get(id))));
        return k;
      };
      bus = { bus: b, consumer: await b.consume(deciderHandler(app.xiezhi.decider, tenantExists)) };
    }
    // Several instances share PostgreSQL: name-list changes made on another instance arrive by reload.
    const listReload =
      store.dialect === 'postgres'
        ? setInterval(() => void app.xiezhi.runtime.reloadLists().catch((err: unknown) => app.log.warn({ err }, 'name-list reload failed')), config.listReloadMs ?? 30_000)
        : undefined;
    listReload?.unref();
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        if (listReload) clearInterval(listReload);
        if (bus) {
          await bus.consumer.stop();
          await bus.bus.close();
        }
        await app.close();
        await features?.close();
        await store.close();
      })());
    return { app, store, url, seed, rebuilt, stop };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

/** Stops cleanly on SIGTERM/SIGINT: no new requests, in-flight ones answered, the log flushed. */
export function stopOnSignals(server: RunningServer, log: (line: string) => void = console.log): void {
  const onSignal = (sig: string) => {
    log(`${sig}: draining and flushing the decision log / 正在停止…`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
