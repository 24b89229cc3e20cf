// The process under load for bench/service: `ceiling` (bare Fastify, fixed JSON) or `decision` (Xiezhi with
// the pre-loan template, feature engine and the durable decision log on SQLite). Prints its URL and API key.
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { openStore } from '../../src/store/index.js';
import { buildApp } from '../../src/service/app.js';
import { SeenIds } from '../../src/service/seen-ids.js';
import { createFeatureEngine, MemoryStore } from '../../src/features/index.js';
import { installProbe, probeLog } from './probe.js';

const mode = process.argv[2];
installProbe();
const root = new URL('../../', import.meta.url);

if (mode === 'ceiling') {
  const app = Fastify({ logger: false });
  const fixed = { eventId: 'e', decision: 'approve', score: 0, riskLevel: 'low', reasons: [], outputs: {}, strategy: { id: 's', version: 1 }, latencyMs: 0 };
  app.post('/v1/events', async () => fixed);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${a.port}` }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-bench-'));
  // The same group-commit setting as `xiezhi start` (no added wait; XIEZHI_LOG_MAX_DELAY_MS overrides).
  const store = await openStore({ dataDir: dir, logMaxDelayMs: Number(process.env.XIEZHI_LOG_MAX_DELAY_MS ?? 0) });
  await store.migrate();
  await store.tenants.create({ id: 'bench', name: 'bench' });
  const { key } = await store.apiKeys.create('bench', { name: 'bench' });
  const tpl = JSON.parse(readFileSync(new URL('examples/strategies/pre-loan.json', root), 'utf8'));
  await store.strategies.create('bench', { id: tpl.id, name: tpl.name, eventTypes: tpl.eventTypes, draft: tpl.draft }, 'bench');
  await store.strategies.publish('bench', tpl.id, { actor: 'bench' });
  await store.lists.createList('bench', { id: 'bl', name: 'bl', dimension: 'phone', kind: 'black' }, 'bench');
  await store.lists.upsertEntries('bench', 'bl', Array.from({ length: 10000 }, (_, i) => ({ value: `139${String(i).padStart(8, '0')}` })), 'bench');
  const features = createFeatureEngine({ definitions: JSON.parse(readFileSync(new URL('examples/features/default.json', root), 'utf8')), store: new MemoryStore() });
  probeLog(() => store.log.metrics());
  const app = await buildApp({ store, features, seenIds: new SeenIds(), processMetrics: false, templatesDir: new URL('examples/strategies', root).pathname });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${a.port}`, key }));
  const stop = async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
