// Redis going away mid-stream: fail-open answers without values (degraded, with the reason) and queues writes;
// fail-closed throws a clear error; both recover when Redis is back. The outage is a local TCP proxy we kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createFeatureEngine, FeatureStoreUnavailableError, RedisStore } from '../../src/features/index.js';
import { ALL_DEFS, ALL_NAMES } from './defs.js';
import { redisSkip, syntheticStream, uniquePrefix, vectorsOf } from './helpers.js';

/** A TCP proxy to Redis that can be cut (every connection dropped, port closed) and restored on the same port. */
class Proxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server!;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

for (const policy of ['open', 'closed'] as const) {
  test(`Redis lost mid-stream, fail-${policy}: ${policy === 'open' ? 'degraded answers, queued writes' : 'clear errors'}, then recovery`, async (t) => {
    const skip = await redisSkip();
    if (skip) return t.skip(skip);
    const proxy = new Proxy();
    await proxy.start();
    const store = new RedisStore({ url: `redis://127.0.0.1:${proxy.port}`, prefix: uniquePrefix(), timeoutMs: 300 });
    const engine = createFeatureEngine({ definitions: ALL_DEFS, store, failPolicy: policy });
    const reference = createFeatureEngine({ definitions: ALL_DEFS, failPolicy: 'closed' });
    const events = syntheticStream(60, 5);
    try {
      await store.ready();
      const before = events.slice(0, 30);
      const during = events.slice(30, 40);
      const after = events.slice(40);
      assert.deepEqual(await vectorsOf(engine, before, ALL_NAMES), await vectorsOf(reference, before, ALL_NAMES));

      await proxy.cut();
      for (const e of during) {
        if (policy === 'open') {
          const r = await engine.compute(e, ALL_NAMES);
          assert.deepEqual(r.values, {});
          assert.match(r.degraded ?? '', /feature store unavailable: .+/);
          await engine.apply(e);
        } else {
          await assert.rejects(engine.compute(e, ALL_NAMES), (err: unknown) => err instanceof FeatureStoreUnavailableError && /特征存储不可用/.test(err.message));
          await assert.rejects(engine.apply(e), FeatureStoreUnavailableError);
        }
        await reference.apply(e);
      }
      if (policy === 'open') assert.equal(engine.pendingWrites(), during.length);

      await proxy.start();
      await store.ready(5000);
      if (policy === 'closed') {
        // The caller (the service) re-submits what failed; idempotency makes that safe.
        for (const e of during) await engine.apply(e);
      } else {
        await new Promise((r) => setTimeout(r, 120));
      }
      // Back to exact values: the outage's events are in (queued writes replayed, or re-submitted).
      assert.deepEqual(await vectorsOf(engine, after, ALL_NAMES), await vectorsOf(reference, after, ALL_NAMES));
      assert.equal(engine.pendingWrites(), 0);
    } finally {
      await store.clear().catch(() => {});
      await engine.close();
      await proxy.cut().catch(() => {});
    }
  });
}

test('with Redis never reachable, fail-open answers degraded and fail-closed throws, within the start-up wait', async () => {
  // A closed port: nothing listens there.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const ev = syntheticStream(1)[0];
  for (const policy of ['open', 'closed'] as const) {
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, prefix: uniquePrefix(), timeoutMs: 200, startupWaitMs: 300 });
    const engine = createFeatureEngine({ definitions: ALL_DEFS, store, failPolicy: policy });
    const t0 = performance.now();
    if (policy === 'open') {
      const r = await engine.compute(ev, ['card_pay_1h']);
      assert.deepEqual(r.values, {});
      assert.ok(r.degraded);
    } else {
      await assert.rejects(engine.compute(ev, ['card_pay_1h']), FeatureStoreUnavailableError);
    }
    assert.ok(performance.now() - t0 < 1500, 'fails after the start-up wait, does not hang');
    await engine.close();
  }
});

test('calls made while the first connection is still being set up wait for it instead of failing', async (t) => {
  const skip = await redisSkip();
  if (skip) return t.skip(skip);
  const store = new RedisStore({ prefix: uniquePrefix(), timeoutMs: 300 });
  const engine = createFeatureEngine({ definitions: ALL_DEFS, store, failPolicy: 'closed' });
  try {
    const [first, second] = syntheticStream(2, 8);
    const r = await engine.compute(first, ALL_NAMES);
    assert.equal(r.degraded, undefined);
    await engine.apply(first);
    assert.equal((await engine.compute({ ...second, subject: first.subject, occurredAt: first.occurredAt + 1 }, ['p_count'])).values.p_count, 1);
  } finally {
    await store.clear();
    await engine.close();
  }
});
