import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RiskEvent } from '../../src/core/event.js';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { GraphConfigError, normalizeConfig } from '../../src/graph/config.js';
import { GraphFeatureProvider, graphFeatureNames } from '../../src/graph/features.js';

const T0 = Date.UTC(2026, 0, 1);
let seq = 0;
function ev(subject: RiskEvent['subject'], data: Record<string, unknown> = {}, at = T0, extra: Partial<RiskEvent> = {}): RiskEvent {
  return { id: 'e' + ++seq, type: 'loan_application', occurredAt: at, subject, data, ...extra };
}

test('links subjects through shared attributes, with first/last seen and counts', () => {
  const g = new LinkGraph();
  g.apply(ev({ userId: 'u1', deviceId: 'D1', phone: '13800000001' }, {}, T0));
  g.apply(ev({ userId: 'u1', deviceId: 'D1' }, {}, T0 + 5000));
  g.apply(ev({ userId: 'u2', deviceId: 'D1' }, {}, T0 + 100));
  const d = g.attributeNode('default', 'deviceId', 'D1');
  assert.equal(g.nodeDegree[d], 2);
  const e = g.edgeBetween(g.subjectNode('default', 'u1'), d);
  assert.equal(g.edgeFirst[e], T0);
  assert.equal(g.edgeLast[e], T0 + 5000);
  assert.equal(g.edgeCountSeen[e], 2);
  assert.equal(g.groupSubjects(g.subjectNode('default', 'u2')), 2);
});

test('apply is idempotent by event id and ignores events without a subject', () => {
  const g = new LinkGraph();
  const e = ev({ userId: 'u1', deviceId: 'D1' });
  assert.equal(g.apply(e), true);
  assert.equal(g.apply(e), false);
  assert.equal(g.edgeCountSeen[0], 1);
  assert.equal(g.apply(ev({ deviceId: 'D9' })), false);
  assert.equal(g.attributeNode('default', 'deviceId', 'D9'), -1);
});

test('emergency contacts link to the same phone node as an applicant phone', () => {
  const g = new LinkGraph();
  g.apply(ev({ userId: 'a', phone: '13900000009' }));
  g.apply(ev({ userId: 'b' }, { contacts: [{ name: '张三', phone: '13900000009' }, { phone: '13700000000' }] }));
  const p = g.attributeNode('default', 'phone', '13900000009');
  assert.equal(g.nodeDegree[p], 2);
  assert.equal(g.groupSubjects(p), 2);
  const e = g.edgeBetween(g.subjectNode('default', 'b'), p);
  assert.equal(g.roles[Math.log2(g.edgeRoles[e])], 'contact');
});

test('per-tenant configuration decides which fields link, and tenants never share nodes', () => {
  const g = new LinkGraph({ tenants: { t1: { links: [{ kind: 'wifi', path: 'data.wifi' }] } } });
  g.apply(ev({ userId: 'x', deviceId: 'D1' }, { wifi: 'office' }, T0, { tenantId: 't1' }));
  g.apply(ev({ userId: 'y', deviceId: 'D1' }, { wifi: 'office' }, T0, { tenantId: 't1' }));
  g.apply(ev({ userId: 'x', deviceId: 'D1' }, { wifi: 'office' }));
  assert.equal(g.attributeNode('t1', 'deviceId', 'D1'), -1, 'deviceId does not link for t1');
  assert.equal(g.nodeDegree[g.attributeNode('t1', 'wifi', 'office')], 2);
  assert.equal(g.nodeDegree[g.attributeNode('default', 'deviceId', 'D1')], 1);
  assert.equal(g.attributeNode('default', 'wifi', 'office') >= 0, true);
  assert.equal(g.groupSubjects(g.subjectNode('default', 'x')), 1);
});

test('bad configuration is rejected with a clear error', () => {
  assert.throws(() => normalizeConfig({ degreeCap: 1 }), GraphConfigError);
  assert.throws(() => normalizeConfig({ links: [{ kind: 'phone', path: 'headers.x' }] }), /link path/);
  assert.throws(() => normalizeConfig({ links: [] }), /non-empty/);
  assert.throws(() => normalizeConfig({ links: [{ kind: 'phone', path: 'subject.phone' }, { kind: 'phone', path: 'data.phone2' }] }), /alias/);
  assert.throws(() => new LinkGraph().addLabel('u1', 'suspicious'), /unknown label/);
});

test('attributes over the degree cap stop linking, are reported, and groups are rebuilt', () => {
  const g = new LinkGraph({ config: { degreeCap: 3 } });
  for (let i = 0; i < 5; i++) g.apply(ev({ userId: 'u' + i, ip: '1.1.1.1' }));
  g.apply(ev({ userId: 'u0', deviceId: 'D' }));
  g.apply(ev({ userId: 'u1', deviceId: 'D' }));
  const ip = g.attributeNode('default', 'ip', '1.1.1.1');
  assert.equal(g.nodeCapped[ip], 1);
  assert.equal(g.nodeDegree[ip], 5, 'the true count is kept');
  assert.equal(g.groupSubjects(g.subjectNode('default', 'u0')), 2, 'only the device links u0 and u1');
  assert.equal(g.groupSubjects(g.subjectNode('default', 'u4')), 1);
  assert.deepEqual(g.cappedAttributes(), [{ tenantId: 'default', kind: 'ip', value: '1.1.1.1', degree: 5, cap: 3 }]);
  // Raising the cap re-links.
  g.setTenantConfig('default', { degreeCap: 10 });
  assert.equal(g.groupSubjects(g.subjectNode('default', 'u4')), 5);
});

test('a snapshot restores the same graph, and replaying the log rebuilds it', () => {
  const events = [
    ev({ userId: 'a', deviceId: 'D1', phone: '1' }, {}, T0),
    ev({ userId: 'b', deviceId: 'D1' }, { contacts: [{ phone: '1' }] }, T0 + 1),
    ev({ userId: 'c', phone: '2' }, {}, T0 + 2),
  ];
  const g = new LinkGraph();
  g.applyAll(events);
  g.addLabel('b', 'fraud');
  const snap = JSON.parse(JSON.stringify(g.snapshot()));
  const r = LinkGraph.restore(snap);
  const p = new GraphFeatureProvider(r);
  const q = new GraphFeatureProvider(g);
  const probe = ev({ userId: 'z', deviceId: 'D1' }, {}, T0 + 10);
  const names = graphFeatureNames(g, 'default');
  assert.deepEqual(p.computeSync(probe, names), q.computeSync(probe, names));
  assert.equal(r.apply(events[0]), false, 'applied ids survive the snapshot');
  const rebuilt = new LinkGraph();
  rebuilt.applyAll(events);
  rebuilt.addLabel('b', 'fraud');
  assert.deepEqual(new GraphFeatureProvider(rebuilt).computeSync(probe, names), q.computeSync(probe, names));
  assert.throws(() => LinkGraph.restore({ format: 'nope' } as never), /snapshot/);
});
