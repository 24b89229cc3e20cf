// `xiezhi start`: embedded mode with demo data — SQLite under ./.xiezhi-data, demo tenant, templates, traffic.
import type { Command } from '../main.js';
import { parseServerArgs, serverHelp } from '../../service/cli-config.js';
import { startServer, stopOnSignals } from '../../service/server.js';

const SUMMARY = 'start Xiezhi embedded (SQLite, demo tenant, console) at http://127.0.0.1:8080';

export async function runServerCommand(name: string, summary: string, seed: boolean, args: string[]): Promise<number> {
  const parsed = parseServerArgs(args, seed);
  if (parsed.help) {
    console.log(serverHelp(name, summary));
    return 0;
  }
  if ('error' in parsed) {
    console.error(`xiezhi ${name}: ${parsed.error} (see xiezhi ${name} --help)`);
    return 2;
  }
  const c = parsed.config;
  const where = c.databaseUrl ? 'PostgreSQL' : `SQLite in ${c.dataDir}`;
  console.log(`xiezhi: opening ${where}${seed ? ', seeding the demo tenant if empty (首次启动会生成演示数据)…' : '…'}`);
  const server = await startServer(c);
  stopOnSignals(server);
  const lines = ['', `  獬豸 Xiezhi is running at ${server.url}`, `  console 控制台: ${server.url}/    API docs 接口文档: ${server.url}/docs`];
  const s = server.seed;
  if (s?.created) {
    lines.push(`  demo tenant 演示租户: ${s.tenantId} — strategies ${s.strategies.join(', ') || '(none)'}; ${s.demoEvents} demo events decided`);
  }
  if (s?.apiKey) lines.push(`  API key 接口密钥 (shown once 仅显示一次): ${s.apiKey}`);
  if (s?.adminPassword) lines.push(`  console login 控制台登录: admin / ${s.adminPassword}`);
  if (s && !s.created) lines.push('  (existing data: use the API key and admin password printed at first start / 沿用首次启动时打印的密钥和密码)');
  if (server.rebuilt.events > 0) lines.push(`  start-up: ${server.rebuilt.events} logged events scanned${server.rebuilt.features ? ' and replayed into feature state' : ''} in ${server.rebuilt.ms} ms`);
  lines.push(
    '',
    `  try 试一试: curl -s -X POST ${server.url}/v1/events -H 'Authorization: Bearer <API key>' -H 'Content-Type: application/json' \\`,
    `    -d '{"id":"try-1","type":"loan_application","occurredAt":"${new Date().toISOString()}","subject":{"userId":"u1","phone":"13812345678"},"data":{"amount":500000,"income":800000,"age":30}}'`,
    '',
  );
  console.log(lines.join('\n'));
  return new Promise<number>(() => undefined);
}

export const command: Command = {
  summary: SUMMARY,
  run: (args) => runServerCommand('start', SUMMARY, true, args),
};
