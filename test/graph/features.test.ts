import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RiskEvent } from '../../src/core/event.js';
import { fixedClock } from '../../src/core/clock.js';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { DAY_MS, GraphFeatureProvider, graphFeatureNames } from '../../src/graph/features.js';
import { detectRings } from '../../src/graph/rings.js';

const T0 = Date.UTC(2026, 0, 10);
let seq = 0;
function ev(subject: RiskEvent['subject'], at = T0, data: Record<string, unknown> = {}): RiskEvent {
  return { id: 'f' + ++seq, type: 'loan_application', occurredAt: at, subject, data };
}

/** a–b share device D1; b–c share phone P; c–d share card K; e alone. b fraud, d defaulted. */
function fixture(): LinkGraph {
  const g = new LinkGraph();
  g.applyAll([
    ev({ userId: 'a', deviceId: 'D1' }, T0 - 3 * DAY_MS),
    ev({ userId: 'b', deviceId: 'D1', phone: '13800000000' }, T0 - 3 * DAY_MS),
    ev({ userId: 'c', phone: '13800000000', bankCard: '6222020000000001' }, T0 - 2 * DAY_MS),
    ev({ userId: 'd', bankCard: '6222020000000001' }, T0 - 3600_000),
    ev({ userId: 'e', deviceId: 'D9' }, T0 - 3600_000),
  ]);
  g.addLabel('b', 'fraud');
  g.addLabel('d', 'default');
  return g;
}

test('features describe the graph as of before the event, for an existing subject', async () => {
  const g = fixture();
  const p = new GraphFeatureProvider(g, { blacklist: (dim, v) => dim === 'bankCard' && v === '6222020000000001' });
  const e = ev({ userId: 'a', deviceId: 'D1' });
  const { values } = await p.compute(e, graphFeatureNames(g, 'default').concat(['velocity_x']));
  assert.equal(values['graph.device_subjects'], 1, 'b shares D1 (a itself not counted)');
  assert.equal(values['graph.group_size'], 4);
  assert.equal(values['graph.fraud_1hop'], 1);
  assert.equal(values['graph.fraud_2hop'], 1);
  assert.equal(values['graph.default_1hop'], 0);
  assert.equal(values['graph.default_2hop'], 0, 'd is 3 hops away');
  assert.equal(values['graph.blacklisted_1hop'], 0);
  assert.equal(values['graph.blacklisted_2hop'], 1, 'c holds the black-listed card');
  assert.equal(values['graph.max_device_subjects'], 2);
  assert.equal(values['graph.new_links_24h'], 0);
  assert.equal(values['graph.capped_links'], 0);
  assert.equal('velocity_x' in values, false, 'non-graph names are left to other providers');
});

test('a new applicant is linked through the event attributes, and apply comes after compute', async () => {
  const g = fixture();
  const p = new GraphFeatureProvider(g);
  const e = ev({ userId: 'new', deviceId: 'D1', bankCard: '6222020000000001' });
  const names = ['graph.device_subjects', 'graph.bank_card_subjects', 'graph.group_size', 'graph.fraud_1hop', 'graph.default_1hop', 'graph.max_device_subjects', 'graph.new_links_24h'];
  const before = (await p.compute(e, names)).values;
  assert.deepEqual(before, {
    'graph.device_subjects': 2,
    'graph.bank_card_subjects': 2,
    'graph.group_size': 5,
    'graph.fraud_1hop': 1,
    'graph.default_1hop': 1,
    'graph.max_device_subjects': 3,
    'graph.new_links_24h': 1,
  });
  await p.apply(e);
  await p.apply(e);
  // Asked again for the same event after it was applied, a subject does not count itself.
  const again = (await p.compute(e, names)).values;
  assert.equal(again['graph.device_subjects'], 2);
  assert.equal(again['graph.group_size'], 5);
  assert.equal(g.nodeDegree[g.attributeNode('default', 'deviceId', 'D1')], 3, 'applied once');
});

test('new_links_24h uses the injected clock when given, else the event time', () => {
  const g = fixture();
  const e = ev({ userId: 'x', bankCard: '6222020000000001' });
  assert.equal(new GraphFeatureProvider(g).computeSync(e, ['graph.new_links_24h'])['graph.new_links_24h'], 1);
  const later = new GraphFeatureProvider(g, { clock: fixedClock(T0 + 2 * DAY_MS) });
  assert.equal(later.computeSync(e, ['graph.new_links_24h'])['graph.new_links_24h'], 0);
});

test('capped attributes do not link in features', () => {
  const g = new LinkGraph({ config: { degreeCap: 2 } });
  g.applyAll([ev({ userId: 'a', ip: 'pub' }), ev({ userId: 'b', ip: 'pub' }), ev({ userId: 'c', ip: 'pub' })]);
  g.addLabel('a', 'fraud');
  const v = new GraphFeatureProvider(g).computeSync(ev({ userId: 'z', ip: 'pub' }), ['graph.ip_subjects', 'graph.group_size', 'graph.fraud_1hop', 'graph.capped_links']);
  assert.deepEqual(v, { 'graph.ip_subjects': 3, 'graph.group_size': 1, 'graph.fraud_1hop': 0, 'graph.capped_links': 1 });
});

test('the ListLookup shape works as the black list', () => {
  const g = fixture();
  const lists = { lookup: (d: string, v: string) => (d === 'userId' && v === 'b' ? [{ listId: 'bl', kind: 'black' }] : d === 'userId' && v === 'a' ? [{ listId: 'wl', kind: 'white' }] : []) };
  const v = new GraphFeatureProvider(g, { blacklist: lists }).computeSync(ev({ userId: 'c' }), ['graph.blacklisted_1hop']);
  assert.equal(v['graph.blacklisted_1hop'], 1);
});

test('community bad rate comes from the last ring job', () => {
  const g = fixture();
  const p = new GraphFeatureProvider(g);
  const e = ev({ userId: 'a' });
  assert.equal(p.computeSync(e, ['graph.community_bad_rate'])['graph.community_bad_rate'], 0, 'no job yet');
  detectRings(g, { seed: 1 });
  const v = p.computeSync(e, ['graph.community_bad_rate', 'graph.community_size']);
  const size = v['graph.community_size'] as number;
  assert.ok(size >= 2 && size <= 4);
  assert.ok((v['graph.community_bad_rate'] as number) > 0);
});
