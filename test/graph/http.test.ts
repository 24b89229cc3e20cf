import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { RiskEvent } from '../../src/core/event.js';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { graphRoutes } from '../../src/graph/http.js';

function graph(): LinkGraph {
  const g = new LinkGraph({ config: { degreeCap: 3 } });
  const ev = (id: string, subject: RiskEvent['subject'], tenantId?: string): RiskEvent => ({ id, type: 'register', occurredAt: Date.UTC(2026, 0, 1), subject, data: {}, tenantId });
  g.applyAll([
    ev('1', { userId: 'a', phone: '13812345678', deviceId: 'D1', ip: 'pub' }),
    ev('2', { userId: 'b', deviceId: 'D1', bankCard: '6222021234567890123', ip: 'pub' }),
    ev('3', { userId: 'c', bankCard: '6222021234567890123', idNumber: '110101199003071234', ip: 'pub' }),
    ev('4', { userId: 'd', deviceId: 'D1', ip: 'pub' }),
    ev('5', { userId: 'a', deviceId: 'OTHER' }, 't2'),
  ]);
  g.addLabel('b', 'fraud');
  g.addLabel('c', 'fraud');
  return g;
}

async function app(g = graph()) {
  const a = Fastify();
  await a.register(graphRoutes, { graph: g, tenantOf: (req) => (req.headers['x-tenant'] as string) ?? 'default' });
  return a;
}

test('GET /v1/graph/subjects/:id returns the neighbourhood with personal data masked', async () => {
  const a = await app();
  const res = await a.inject({ url: '/v1/graph/subjects/a?hops=2' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  const values = body.nodes.map((n: { value: string }) => n.value);
  assert.ok(values.includes('138****5678'));
  assert.ok(values.includes('622202*********0123'));
  assert.ok(!JSON.stringify(body).includes('13812345678'));
  assert.ok(!JSON.stringify(body).includes('6222021234567890123'));
  assert.ok(values.includes('c'), 'c is two hops away through the card');
  const pub = body.nodes.find((n: { value: string }) => n.value === 'pub');
  assert.equal(pub.capped, true);
  assert.deepEqual(body.nodes.find((n: { value: string }) => n.value === 'b').labels, ['fraud']);
  assert.ok(body.edges.every((e: { firstSeen: string }) => e.firstSeen === '2026-01-01T00:00:00.000Z'));
  const one = (await a.inject({ url: '/v1/graph/subjects/a?hops=1' })).json();
  assert.ok(!one.nodes.some((n: { value: string }) => n.value === 'c'));
  await a.close();
});

test('tenants see only their own graph', async () => {
  const a = await app();
  const body = (await a.inject({ url: '/v1/graph/subjects/a', headers: { 'x-tenant': 't2' } })).json();
  assert.deepEqual(body.nodes.map((n: { value: string }) => n.value).sort(), ['OTHER', 'a']);
  assert.equal((await a.inject({ url: '/v1/graph/subjects/b', headers: { 'x-tenant': 't2' } })).statusCode, 404);
  await a.close();
});

test('bad input gets a 4xx JSON error', async () => {
  const a = await app();
  for (const url of ['/v1/graph/subjects/a?hops=9', '/v1/graph/subjects/a?hops=x', '/v1/graph/rings?limit=0', '/v1/graph/rings?all=maybe']) {
    const res = await a.inject({ url });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.code, 'validation');
  }
  const nf = await a.inject({ url: '/v1/graph/subjects/nobody' });
  assert.equal(nf.statusCode, 404);
  assert.equal(nf.json().error.code, 'not_found');
  await a.close();
});

test('GET /v1/graph/rings ranks suspicious groups and reports capped attributes', async () => {
  const a = await app();
  const body = (await a.inject({ url: '/v1/graph/rings?all=true' })).json();
  assert.ok(body.total >= 1);
  assert.deepEqual(body.rings[0].members, ['a', 'b', 'c', 'd']);
  assert.ok(body.rings[0].shared.every((s: { value: string }) => !s.value.includes('6222021234567890123')));
  assert.deepEqual(body.capped, [{ tenantId: 'default', kind: 'ip', value: 'pub', degree: 4, cap: 3 }]);
  await a.close();
});
