import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RiskEvent } from '../../src/core/event.js';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { detectRings, scheduleRingJob } from '../../src/graph/rings.js';
import { connectedComponents } from '../../src/graph/communities.js';
import { seededRandom } from '../../src/graph/pools.js';

/** Background applicants with unique values, one public IP hub, and a ring of 8 sharing 2 devices + a card. */
function world(): { events: RiskEvent[]; ring: string[] } {
  const r = seededRandom(3);
  const events: RiskEvent[] = [];
  const ring: string[] = [];
  for (let i = 0; i < 300; i++) {
    events.push({ id: 'b' + i, type: 'register', occurredAt: i, subject: { userId: 'u' + i, deviceId: 'd' + i, phone: 'p' + Math.floor(r() * 1e6), ip: i % 3 === 0 ? 'public' : 'ip' + i }, data: {} });
  }
  for (let i = 0; i < 8; i++) {
    ring.push('r' + i);
    events.push({ id: 'r' + i, type: 'register', occurredAt: 1000 + i, subject: { userId: 'r' + i, deviceId: 'rd' + (i % 2), bankCard: '6222021111111111', ip: 'public' }, data: { contacts: [{ phone: 'p-ring' }] } });
  }
  return { events, ring };
}

test('finds the planted ring, flags it, ranks it first, and ignores the capped public IP', () => {
  const { events, ring } = world();
  const g = new LinkGraph({ config: { degreeCap: 20 } });
  g.applyAll(events);
  g.addLabel('r0', 'fraud');
  g.addLabel('r1', 'fraud');
  const rep = detectRings(g, { seed: 7 });
  assert.ok(rep.capped.some((c) => c.value === 'public' && c.degree === 108));
  const top = rep.rings[0];
  assert.deepEqual(top.members, [...ring].sort());
  assert.equal(top.suspicious, true);
  assert.equal(top.badCount, 2);
  assert.deepEqual(top.pattern, { deviceId: 2, bankCard: 1, phone: 1 });
  assert.equal(rep.rings.filter((x) => x.suspicious).length, 1, 'unrelated applicants are not a ring');
  // Components: 300 background subjects alone + the ring = 301 groups of subjects.
  assert.equal(rep.components.largestSubjects, 8);
  // community ids are stored for the features.
  const c = g.nodeCommunity[g.subjectNode('default', 'r3')];
  assert.equal(g.communitySize[c], 8);
});

test('the same input gives the same result', () => {
  const { events } = world();
  const run = (): unknown => {
    const g = new LinkGraph({ config: { degreeCap: 20 } });
    g.applyAll(events);
    const rep = detectRings(g, { seed: 11 });
    return { rings: rep.rings, comm: Array.from(g.nodeCommunity.subarray(0, g.nodeCount)) };
  };
  assert.deepEqual(run(), run());
});

test('connected components skip capped hubs', () => {
  const g = new LinkGraph({ config: { degreeCap: 2 } });
  for (let i = 0; i < 3; i++) g.apply({ id: 'x' + i, type: 'login', occurredAt: 0, subject: { userId: 'u' + i, ip: 'hub' }, data: {} });
  const c = connectedComponents(g);
  assert.equal(c.count, 3);
  assert.equal(c.byNode[g.attributeNode('default', 'ip', 'hub')], -1);
});

test('the scheduler runs on demand, rejects a silly interval, and stops', () => {
  const { events } = world();
  const g = new LinkGraph({ config: { degreeCap: 20 } });
  g.applyAll(events);
  assert.throws(() => scheduleRingJob(g, { intervalMs: 10 }), /intervalMs/);
  const seen: number[] = [];
  const s = scheduleRingJob(g, { intervalMs: 60_000, onReport: (r) => seen.push(r.rings.length) });
  assert.equal(s.latest(), undefined);
  const rep = s.runNow();
  assert.equal(s.latest(), rep);
  assert.equal(seen.length, 1);
  s.stop();
});
