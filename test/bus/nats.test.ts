// NATS JetStream transport against the real server at 127.0.0.1:4222 (skipped when absent, failed under CI=true):
// two consumers share one durable consumer, every event is decided exactly once and answered on the bus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NatsBus } from '../../src/bus/nats.js';
import { deciderHandler } from '../../src/bus/decide-handler.js';
import { harness, loanEvent, publishPreLoan } from '../service/helpers.js';

const URL_ = process.env.XIEZHI_NATS_URL ?? 'nats://127.0.0.1:4222';

async function tryConnect(suffix: string): Promise<NatsBus | string> {
  try {
    return await NatsBus.connect({ url: URL_, prefix: `xzt${suffix}`, streamSuffix: suffix, connectTimeoutMs: 2000 });
  } catch (err) {
    return (err as Error).message;
  }
}

test('events published to JetStream are decided once by one of several consumers and answered', { timeout: 60_000 }, async (t) => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const a = await tryConnect(suffix);
  if (typeof a === 'string') {
    if (process.env.CI === 'true') throw new Error(`NATS at ${URL_} unreachable: ${a}`);
    return t.skip(`NATS at ${URL_} unreachable: ${a}`);
  }
  const b = (await tryConnect(suffix)) as NatsBus;
  const h = await harness();
  try {
    await publishPreLoan(h);
    const handler = deciderHandler(h.app.xiezhi.decider, async (tenant) => !!(await h.store.tenants.get(tenant)));
    const decisions: { eventId?: string; decision?: string; error?: { code: string } }[] = [];
    const sub = a.subscribeDecisions(h.ta, (d) => decisions.push(d as (typeof decisions)[number]));
    const ca = await a.consume(handler);
    const cb = await b.consume(handler);
    const events = Array.from({ length: 200 }, () => loanEvent());
    for (const e of events) await a.publishEvent(h.ta, e as { id: string; type: string });
    // duplicates within the window are dropped by JetStream; an invalid event is answered with its errors
    await a.publishEvent(h.ta, events[0] as { id: string; type: string });
    await a.publishEvent(h.ta, { id: 'bad-1', type: 'loan_application', subject: {} });
    const deadline = Date.now() + 30_000;
    while (decisions.length < 201 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await ca.stop();
    await cb.stop();
    sub.unsubscribe();
    assert.equal(decisions.length, 201, `decisions received: ${decisions.length}`);
    const ids = new Set(decisions.filter((d) => d.decision).map((d) => d.eventId));
    assert.equal(ids.size, 200, 'every event decided exactly once');
    assert.equal(decisions.find((d) => d.error)?.error?.code, 'validation');
    assert.equal(await h.store.log.count(h.ta), 200);
    assert.equal(ca.processed() + cb.processed(), 201);
    t.diagnostic(`consumer A decided ${ca.processed()}, consumer B ${cb.processed()}`);
  } finally {
    await a.destroyStreams();
    await a.close();
    await b.close();
    await h.close();
  }
});
