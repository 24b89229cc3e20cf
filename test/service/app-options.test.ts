// App options and edge behaviour: the SeenIds idempotency shortcut, store failures (503), GET /v1/features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeenIds } from '../../src/service/seen-ids.js';
import { openStore } from '../../src/store/index.js';
import { buildApp } from '../../src/service/app.js';

test('SeenIds: no false negatives, few false positives, tenants kept apart', () => {
  const s = new SeenIds(20);
  for (let i = 0; i < 50_000; i++) s.add('t', `evt-${i}`);
  for (let i = 0; i < 50_000; i++) assert.ok(s.mightHave('t', `evt-${i}`));
  let fp = 0;
  for (let i = 0; i < 50_000; i++) if (s.mightHave('t', `other-${i}`)) fp++;
  assert.ok(fp / 50_000 < 0.02, `false positive rate ${fp / 50_000}`);
  let cross = 0;
  for (let i = 0; i < 1000; i++) if (s.mightHave('u', `evt-${i}`)) cross++;
  assert.ok(cross < 50);
});

test('with a SeenIds filter, replays and conflicts are still detected', async () => {
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  await store.tenants.create({ id: 't', name: 't' });
  const { key } = await store.apiKeys.create('t', { name: 'k' });
  const seen = new SeenIds(16);
  // an id stored before this process started (found by the start-up scan)
  await store.log.append({ tenantId: 't', eventId: 'old-1', eventType: 'login', occurredAt: 1, subject: { userId: 'u' }, data: {} });
  seen.add('t', 'old-1');
  const app = await buildApp({ store, seenIds: seen, processMetrics: false });
  const post = (body: unknown) => app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${key}` }, payload: body as object });
  const ev = { id: 'n1', type: 'login', occurredAt: 5, subject: { userId: 'u' }, data: {} };
  assert.equal((await post(ev)).statusCode, 200);
  assert.equal((await post(ev)).json().replayed, true);
  assert.equal((await post({ ...ev, data: { x: 1 } })).statusCode, 409);
  assert.equal((await post({ id: 'old-1', type: 'login', occurredAt: 2, subject: { userId: 'u' }, data: {} })).statusCode, 409);
  assert.equal(await store.log.count('t'), 2);
  await app.close();
  await store.close();
});

test('a log that cannot commit answers 503 (never acknowledges), and a retry succeeds once it can', async () => {
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  await store.tenants.create({ id: 't', name: 't' });
  const { key } = await store.apiKeys.create('t', { name: 'k' });
  const realAppend = store.log.append.bind(store.log);
  let broken = true;
  (store.log as { append: typeof store.log.append }).append = (r) => (broken ? Promise.reject(new Error('disk full')) : realAppend(r));
  const app = await buildApp({ store, processMetrics: false });
  const ev = { id: 'x1', type: 'login', occurredAt: 5, subject: { userId: 'u' }, data: {} };
  const post = () => app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${key}` }, payload: ev });
  const r = await post();
  assert.equal(r.statusCode, 503);
  assert.equal(r.json().error.code, 'store_unavailable');
  broken = false;
  const ok = await post();
  assert.equal(ok.statusCode, 200);
  assert.equal(await store.log.count('t'), 1);
  await app.close();
  await store.close();
});

test('GET /v1/features lists the feature engine definitions', async () => {
  const { createFeatureEngine } = await import('../../src/features/index.js');
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  await store.tenants.create({ id: 't', name: 't' });
  const { key } = await store.apiKeys.create('t', { name: 'k' });
  const features = createFeatureEngine({
    definitions: { features: [{ name: 'apps_1h', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '1h', description: 'd' }, { name: 'known_dev', kind: 'profile', entity: 'subject.userId', attribute: 'is_known', field: 'subject.deviceId' }] },
  });
  const app = await buildApp({ store, features, processMetrics: false });
  const r = await app.inject({ method: 'GET', url: '/v1/features', headers: { authorization: `Bearer ${key}` } });
  assert.deepEqual(r.json().items, [
    { name: 'apps_1h', kind: 'velocity', type: 'number', description: 'd', window: '1h' },
    { name: 'known_dev', kind: 'profile', type: 'boolean' },
  ]);
  await app.close();
  await store.close();
});
