// composeFeatureProviders: each provider answers the names it owns, values nested by namespace, one failing
// provider degrades only its own names, and apply reaches every provider that applies events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureProvider } from '../../src/core/feature-provider.js';
import type { RiskEvent } from '../../src/core/event.js';
import { composeFeatureProviders } from '../../src/service/compose-features.js';

const ev: RiskEvent = { id: 'e1', type: 'login', occurredAt: 1, subject: { userId: 'u1' }, data: {}, tenantId: 't' };

function recorder(values: (names: readonly string[]) => Record<string, unknown>, fail?: string) {
  const calls: (readonly string[])[] = [];
  const applied: string[] = [];
  const p: FeatureProvider = {
    async compute(_e, names) {
      calls.push(names);
      if (fail) throw new Error(fail);
      return { values: values(names) };
    },
    async apply(e) {
      applied.push(e.id);
      if (fail) throw new Error(fail);
    },
    async close() {},
  };
  return { p, calls, applied };
}

test('names are split by namespace; values nested; the base keeps the same array when nothing is claimed', async () => {
  const base = recorder((ns) => Object.fromEntries(ns.map((n) => [n, 1])));
  const st = recorder((ns) => Object.fromEntries(ns.map((n) => [n, 2])));
  const f = composeFeatureProviders(base.p, [{ namespace: 'statement', provider: st.p }]);
  const names = ['a', 'statement.x', 'statement.y'];
  const r = await f.compute(ev, names);
  assert.deepEqual(r.values, { a: 1, statement: { x: 2, y: 2 } });
  assert.deepEqual(base.calls[0], ['a']);
  assert.deepEqual(st.calls[0], ['statement.x', 'statement.y']);
  const only = ['a', 'b'];
  await f.compute(ev, only);
  assert.equal(base.calls[1], only, 'the very array, so the engine plan cache hits');
  assert.equal(st.calls.length, 1, 'not asked when the strategy reads none of its names');
  // Missing values are null, not absent (rules test `!= null`).
  const sparse = composeFeatureProviders(base.p, [{ namespace: 'graph', provider: recorder(() => ({})).p }]);
  assert.deepEqual((await sparse.compute(ev, ['graph.z'])).values, { graph: { z: null } });
  assert.equal(composeFeatureProviders(base.p, []), base.p, 'nothing to compose: the base itself');
});

test('a failing provider degrades only its names; apply reaches every provider and reports the failure', async () => {
  const base = recorder((ns) => Object.fromEntries(ns.map((n) => [n, 1])));
  const bad = recorder(() => ({}), 'graph down');
  const quiet = recorder(() => ({}));
  const f = composeFeatureProviders(base.p, [
    { namespace: 'graph', provider: bad.p },
    { namespace: 'statement', provider: quiet.p, applies: false },
  ]);
  const r = await f.compute(ev, ['a', 'graph.g']);
  assert.deepEqual(r.values, { a: 1, graph: { g: null } });
  assert.match(r.degraded ?? '', /graph features unavailable: graph down/);
  await assert.rejects(f.apply(ev), /graph down/);
  assert.deepEqual(base.applied, ['e1'], 'the base applied although another provider failed');
  assert.deepEqual(bad.applied, ['e1']);
  assert.deepEqual(quiet.applied, [], 'applies: false is never called');
});
