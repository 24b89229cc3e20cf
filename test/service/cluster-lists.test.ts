// Two instances on one database (as in cluster mode): a name-list change made through one is seen by the
// other's strategies after its periodic reload, including strategies compiled before the reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { buildApp } from '../../src/service/app.js';
import { PRE_LOAN } from './helpers.js';

test('name-list changes reach another instance on reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-cluster-'));
  const s1 = await openStore({ dataDir: dir });
  await s1.migrate();
  await s1.tenants.create({ id: 't', name: 't' });
  const { key } = await s1.apiKeys.create('t', { name: 'k' });
  const s2 = await openStore({ dataDir: dir });
  const a1 = await buildApp({ store: s1, processMetrics: false });
  const a2 = await buildApp({ store: s2, processMetrics: false });
  const call = (app: typeof a1, method: string, url: string, payload?: unknown) =>
    app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${key}` }, payload: payload as object });
  try {
    assert.equal((await call(a1, 'POST', '/v1/strategies', { id: 'p', name: 'p', eventTypes: ['loan_application'], draft: PRE_LOAN.draft })).statusCode, 201);
    assert.equal((await call(a1, 'POST', '/v1/strategies/p/publish', {})).statusCode, 201);
    await call(a1, 'POST', '/v1/lists', { id: 'bl', name: 'bl', dimension: 'phone', kind: 'black' });
    let n = 0;
    const ev = () => ({ id: `c${++n}`, type: 'loan_application', occurredAt: 1, subject: { userId: `u${n}`, phone: '13655556666' }, data: { amount: 1000, income: 800000, age: 30 } });
    assert.equal((await call(a2, 'POST', '/v1/events', ev())).json().decision, 'approve');
    await call(a1, 'POST', '/v1/lists/bl/entries', { entries: [{ value: '13655556666' }] });
    assert.equal((await call(a1, 'POST', '/v1/events', ev())).json().decision, 'reject', 'the writing instance sees it at once');
    assert.equal((await call(a2, 'POST', '/v1/events', ev())).json().decision, 'approve', 'the other instance has not reloaded yet');
    await a2.xiezhi.runtime.reloadLists();
    assert.equal((await call(a2, 'POST', '/v1/events', ev())).json().decision, 'reject', 'after reload, the compiled strategy sees the entry');
  } finally {
    await a1.close();
    await a2.close();
    await s1.close();
    await s2.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
