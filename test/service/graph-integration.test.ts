// The link graph inside the service: events decided through POST /v1/events are folded into the graph, and
// a strategy reads `features.graph.*` of the next event; labels mark subjects; routes are tenant-scoped;
// a restarted server rebuilds the graph from the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { startServer } from '../../src/service/server.js';
import { harness, type Harness } from './helpers.js';

const GRAPH_STRATEGY = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'in', position: { x: 0, y: 0 } },
    {
      id: 'e',
      type: 'expressionNode',
      name: 'graph check',
      position: { x: 200, y: 0 },
      content: {
        expressions: [
          { id: '1', key: 'deviceSubjects', value: 'features.graph.device_subjects' },
          { id: '2', key: 'fraudNear', value: 'features.graph.fraud_1hop' },
          { id: '3', key: 'decision', value: "features.graph.fraud_1hop > 0 ? 'reject' : features.graph.device_subjects >= 2 ? 'review' : 'approve'" },
        ],
      },
    },
    { id: 'out', type: 'outputNode', name: 'out', position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'a', sourceId: 'in', targetId: 'e' },
    { id: 'b', sourceId: 'e', targetId: 'out' },
  ],
};

async function publishGraphStrategy(req: Harness['req'], key: string) {
  const c = await req('POST', '/v1/strategies', { id: 'g', name: 'graph', eventTypes: ['loan_application'], draft: GRAPH_STRATEGY }, key);
  assert.equal(c.status, 201, c.text);
  const p = await req('POST', '/v1/strategies/g/publish', { comment: 'v1' }, key);
  assert.equal(p.status, 201, p.text);
}

let n = 0;
const loan = (userId: string, deviceId: string) => ({
  id: `graph-ev-${process.pid}-${++n}`,
  type: 'loan_application',
  occurredAt: Date.UTC(2026, 10, 24, 10, 0, n),
  subject: { userId, deviceId },
  data: { amount: 100000 },
});

test('features.graph.* through POST /v1/events: shared device, fraud label nearby, tenants apart', async () => {
  const h = await harness();
  try {
    await publishGraphStrategy(h.req, h.keyA);
    await publishGraphStrategy(h.req, h.keyB);
    const d1 = await h.req('POST', '/v1/events?trace=1', loan('u1', 'dev-1'));
    assert.equal(d1.status, 200, d1.text);
    assert.equal(d1.json.features.graph.device_subjects, 0, 'the first user of the device');
    assert.equal(d1.json.decision, 'approve');
    await h.req('POST', '/v1/events', loan('u2', 'dev-1'));
    const d3 = await h.req('POST', '/v1/events?trace=1', loan('u3', 'dev-1'));
    assert.equal(d3.json.features.graph.device_subjects, 2, 'u1 and u2 used the device before');
    assert.equal(d3.json.outputs.deviceSubjects, 2);
    assert.equal(d3.json.decision, 'review');
    assert.equal(d3.json.trace.e.input.features.graph.device_subjects, 2, 'the node trace shows the feature');

    // Tenant B's events with the same device id live in another graph.
    const b = await h.req('POST', '/v1/events?trace=1', loan('u9', 'dev-1'), h.keyB);
    assert.equal(b.json.features.graph.device_subjects, 0);

    // A fraud label on u1 (by event id) reaches the graph: the next user of the device is one hop away.
    const lab = await h.req('POST', '/v1/labels', { eventId: d1.json.eventId, label: 'fraud', observedAt: '2026-11-24T11:00:00Z' });
    assert.equal(lab.status, 201, lab.text);
    const d4 = await h.req('POST', '/v1/events?trace=1', loan('u4', 'dev-1'));
    assert.ok(d4.json.features.graph.fraud_1hop >= 1, JSON.stringify(d4.json.features));
    assert.equal(d4.json.decision, 'reject');

    const view = await h.req('GET', '/v1/graph/subjects/u1?hops=1');
    assert.equal(view.status, 200, view.text);
    assert.ok(Array.isArray(view.json.nodes) && view.json.nodes.length >= 2);
    assert.equal((await h.req('GET', '/v1/graph/subjects/u1', undefined, h.keyB)).status, 404, 'tenant B does not see A subjects');
    assert.equal((await h.req('GET', '/v1/graph/subjects/u1', undefined, '')).status, 401);
    assert.equal((await h.req('GET', '/v1/graph/subjects/u1?hops=9')).status, 400);
    const rings = await h.req('GET', '/v1/graph/rings?all=1');
    assert.equal(rings.status, 200, rings.text);
  } finally {
    await h.close();
  }
});

test('a restarted server rebuilds the graph (and fraud labels) from the log', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-graph-'));
  try {
    const s = await openStore({ dataDir: dir });
    await s.migrate();
    await s.tenants.create({ id: 'gt', name: 'graph tenant' });
    const { key } = await s.apiKeys.create('gt', { name: 'k' });
    await s.close();
    const config = { host: '127.0.0.1', port: 0, dataDir: dir, seed: false, logLevel: 'silent', featuresFile: join(dir, 'none.json') };
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any, text: '' };
    };
    const first = await startServer(config);
    let firstEvent: string;
    try {
      const req = ((m: string, p: string, b?: unknown) => call(first.url, m, p, b)) as unknown as Harness['req'];
      await publishGraphStrategy(req, key);
      firstEvent = (await call(first.url, 'POST', '/v1/events', loan('r1', 'dev-r'))).json.eventId;
      await call(first.url, 'POST', '/v1/events', loan('r2', 'dev-r'));
      assert.equal((await call(first.url, 'POST', '/v1/labels', { eventId: firstEvent, label: 'fraud', observedAt: '2026-11-24T11:00:00Z' })).status, 201);
    } finally {
      await first.stop();
    }
    const second = await startServer(config);
    try {
      assert.equal(second.rebuilt.events, 2);
      const r = await call(second.url, 'POST', '/v1/events?trace=1', loan('r3', 'dev-r'));
      assert.equal(r.status, 200);
      assert.equal(r.json.features.graph.device_subjects, 2, 'r1 and r2 came back from the log');
      assert.ok(r.json.features.graph.fraud_1hop >= 1, 'the fraud label came back too');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('XIEZHI_GRAPH=off leaves the graph out: no /v1/graph routes, graph features are null', async () => {
  const { parseServerArgs } = await import('../../src/service/cli-config.js');
  const parsed = parseServerArgs([], false, { XIEZHI_GRAPH: 'off' });
  assert.ok(!parsed.help && 'config' in parsed && parsed.config.graph === false);
  const on = parseServerArgs([], false, {});
  assert.ok(!on.help && 'config' in on && on.config.graph === undefined);

  const { openStore: open } = await import('../../src/store/index.js');
  const { buildApp } = await import('../../src/service/app.js');
  const store = await open({ dataDir: ':memory:' });
  await store.migrate();
  await store.tenants.create({ id: 'ng', name: 'no graph' });
  const { key } = await store.apiKeys.create('ng', { name: 'k' });
  const app = await buildApp({ store, graph: false, processMetrics: false });
  const req = (async (method: string, url: string, body?: unknown) => {
    const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, json: res.json() as any, text: res.body };
  }) as unknown as Harness['req'];
  try {
    assert.equal((await req('GET', '/v1/graph/rings')).status, 404);
    await publishGraphStrategy(req, key);
    const r = await req('POST', '/v1/events?trace=1', loan('n1', 'dev-n'));
    assert.equal(r.status, 200);
    assert.equal(r.json.features.device_subjects ?? null, null);
    assert.equal(r.json.outputs.deviceSubjects, null);
  } finally {
    await app.close();
    await store.close();
  }
});
