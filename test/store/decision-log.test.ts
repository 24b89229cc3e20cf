// The event + decision log (group commit, idempotent appends, search, dashboard stats, scan), on both dialects.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { payloadHash, StoreValidationError, type DecisionInput, type Store } from '../../src/store/index.js';
import { dialects, manualClock } from './dialects.js';

const T0 = Date.UTC(2026, 0, 1);

function ev(i: number, extra: Partial<DecisionInput> = {}): DecisionInput {
  return {
    tenantId: 't1',
    eventId: `e${i}`,
    eventType: i % 2 ? 'payment' : 'login',
    occurredAt: T0 + i * 1000,
    subject: { userId: `u${i % 5}`, phone: `1380000000${i % 3}`, deviceId: `d${i % 4}` },
    data: { amount: i * 100 },
    decision: (['approve', 'review', 'reject'] as const)[i % 3],
    score: i,
    riskLevel: 'low',
    reasons: [{ code: 'R' + (i % 2) }],
    strategyId: 'preloan',
    strategyVersion: 1 + (i % 2),
    rulesHit: i % 2 ? ['r_velocity', 'r_device'] : ['r_velocity'],
    latencyMs: i,
    ...extra,
  };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

for (const d of await dialects('log')) {
  describe(`decision log on ${d.name}`, { skip: d.skip }, () => {
    after(() => d.cleanup());

    test('append resolves after commit; get sees buffered records; duplicates are ignored', async () => {
      const s = await d.open({ logMaxDelayMs: 50 });
      const p = s.log.append(ev(1));
      // Still buffered (50 ms window): not in the table yet, but get() answers from the buffer.
      assert.equal(await s.db.selectFrom('events').select('event_id').executeTakeFirst(), undefined);
      assert.equal((await s.log.get('t1', 'e1'))?.decision, 'review');
      await p;
      assert.equal((await s.db.selectFrom('events').select('event_id').execute()).length, 1);
      const stored = await s.log.get('t1', 'e1');
      assert.equal(stored?.payloadHash, payloadHash({ type: 'payment', occurredAt: T0 + 1000, subject: ev(1).subject, data: { amount: 100 } }));
      assert.deepEqual(stored?.reasons, [{ code: 'R1' }]);
      assert.deepEqual(stored?.rulesHit, ['r_velocity', 'r_device']);

      // The same id again (even with another payload) changes nothing: the first record stays.
      await s.log.append(ev(1, { decision: 'approve', data: { amount: 1 } }));
      assert.equal((await s.log.get('t1', 'e1'))?.decision, 'review');
      assert.equal(await s.log.count('t1'), 1);
      const stats = await s.log.stats('t1', { from: 0, to: T0 * 2, bucket: 'hour' });
      assert.deepEqual(stats.topRules, [
        { rule: 'r_device', count: 1 },
        { rule: 'r_velocity', count: 1 },
      ]);
    });

    test('payload hash ignores key order and sees any change', () => {
      const a = payloadHash({ type: 'login', occurredAt: 1, subject: { userId: 'u', phone: 'p' }, data: { x: 1, y: [1, { a: 1, b: 2 }] } });
      const b = payloadHash({ type: 'login', occurredAt: 1, subject: { phone: 'p', userId: 'u' }, data: { y: [1, { b: 2, a: 1 }], x: 1 } });
      const c = payloadHash({ type: 'login', occurredAt: 1, subject: { phone: 'p', userId: 'u' }, data: { y: [1, { b: 2, a: 2 }], x: 1 } });
      assert.equal(a, b);
      assert.notEqual(a, c);
    });

    test('traces and feature values are masked on write', async () => {
      const s = await d.open();
      await s.log.append(ev(2, { trace: [{ node: 'in', input: { phone: '13812345678', idNumber: '110101199003071234' } }], features: { bankCard: '6222021234567890123', n: 3 } }));
      const r = await s.log.get('t1', 'e2');
      assert.deepEqual(r?.trace, [{ node: 'in', input: { phone: '138****5678', idNumber: '110***********1234' } }]);
      assert.deepEqual(r?.features, { bankCard: '622202*********0123', n: 3 });
      const raw = await s.db.selectFrom('events').select(['trace', 'features']).executeTakeFirstOrThrow();
      assert.ok(!raw.trace!.includes('13812345678') && !raw.features!.includes('6222021234567890123'));
      // Nested personal fields too (features without any are stored as they are, without a masked copy).
      await s.log.append(ev(3, { features: { n: 1, graph: { peers: [{ phone: '13900001111' }] } } }));
      await s.log.append(ev(4, { features: { n: 2, graph: { degree: 3, tags: ['a'] } } }));
      assert.deepEqual((await s.log.get('t1', 'e3'))?.features, { n: 1, graph: { peers: [{ phone: '139****1111' }] } });
      assert.deepEqual((await s.log.get('t1', 'e4'))?.features, { n: 2, graph: { degree: 3, tags: ['a'] } });
    });

    test('bad records are refused, good ones in the same batch still commit', async () => {
      const s = await d.open({ logMaxDelayMs: 20 });
      const results = await Promise.allSettled([
        s.log.append(ev(1)),
        s.log.append({ ...ev(2), eventId: '' }),
        s.log.append({ ...ev(3), occurredAt: Number.NaN }),
        s.log.append({ ...ev(4), decision: 'maybe' as never }),
        s.log.append(ev(5)),
        s.log.append({ ...ev(6), subject: { phone: '138\u0000' } }),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'rejected']);
      assert.equal(s.log.metrics().batches, 1, 'the two good records shared one transaction');
      assert.ok((results[1] as PromiseRejectedResult).reason instanceof StoreValidationError);
      assert.equal(await s.log.count('t1'), 2);
    });

    test('group commit: 3,000 concurrent appends, all durable when they resolve, in few transactions', async () => {
      const s = await d.open({ logBatchSize: 256, logMaxDelayMs: 3 });
      const n = 3000;
      await Promise.all(Array.from({ length: n }, (_, i) => s.log.append(ev(i))));
      assert.equal(await s.log.count('t1'), n);
      const m = s.log.metrics();
      assert.equal(m.committed, n);
      assert.equal(m.pending, 0);
      assert.ok(m.batches <= Math.ceil(n / 256) + 2, `${m.batches} transactions for ${n} appends`);
      await s.log.flush();
      await s.log.close();
      await assert.rejects(s.log.append(ev(99_999)), /closed/);
    });

    test('search by subject, decision, type, strategy version and time; cursor and offset pages', async () => {
      const s = await d.open();
      await Promise.all(Array.from({ length: 60 }, (_, i) => s.log.append(ev(i))));
      await Promise.all(Array.from({ length: 5 }, (_, i) => s.log.append({ ...ev(i), tenantId: 't2' })));

      const byUser = await s.log.search('t1', { subject: { field: 'userId', value: 'u1' }, limit: 100 });
      assert.equal(byUser.items.length, 12);
      assert.ok(byUser.items.every((r) => r.subject.userId === 'u1'));
      assert.equal(byUser.nextCursor, undefined);
      assert.deepEqual(
        byUser.items.map((r) => r.occurredAt),
        [...byUser.items.map((r) => r.occurredAt)].sort((a, b) => b - a),
        'newest first',
      );
      assert.equal((await s.log.search('t1', { subject: { field: 'phone', value: '13800000002' }, limit: 100 })).items.length, 20);
      assert.equal(await s.log.count('t1', { decision: 'reject' }), 20);
      assert.equal(await s.log.count('t1', { eventType: 'payment', decision: 'review' }), 10);
      assert.equal(await s.log.count('t1', { strategyId: 'preloan', strategyVersion: 2 }), 30);
      assert.equal(await s.log.count('t1', { from: T0 + 10_000, to: T0 + 20_000 }), 10);
      await assert.rejects(s.log.search('t1', { subject: { field: 'shoe' as never, value: 'x' } }), StoreValidationError);
      await assert.rejects(s.log.search('t1', { cursor: 'garbage' }), StoreValidationError);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await s.log.search('t1', { limit: 7, cursor });
        seen.push(...page.items.map((r) => r.eventId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 9);
      assert.equal(new Set(seen).size, 60);
      assert.deepEqual(seen.slice(0, 3), ['e59', 'e58', 'e57']);
      const off = await s.log.search('t1', { limit: 5, offset: 5 });
      assert.deepEqual(off.items.map((r) => r.eventId), ['e54', 'e53', 'e52', 'e51', 'e50']);
      assert.ok(off.nextCursor);
    });

    test('dashboard stats: buckets, top rules, latency percentiles, degraded', async () => {
      const clock = manualClock(T0);
      const s = await d.open({ clock });
      for (let i = 0; i < 100; i++) {
        clock.set(T0 + i * 6000); // 10 per minute over 10 minutes
        await s.log.append(ev(i, { latencyMs: i + 1, degraded: i < 3 ? 'redis down' : undefined }));
      }
      const st = await s.log.stats('t1', { from: T0, to: T0 + 3600_000, bucket: 'minute', topRules: 5 });
      assert.equal(st.total, 100);
      assert.equal(st.byEventType.payment, 50);
      assert.equal(st.byDecision.approve, 34);
      assert.equal(st.degraded, 3);
      assert.deepEqual(st.topRules, [
        { rule: 'r_velocity', count: 100 },
        { rule: 'r_device', count: 50 },
      ]);
      assert.deepEqual(st.latency, { p50: 50, p90: 90, p99: 99, max: 100 });
      const minutes = new Set(st.buckets.map((b) => b.start));
      assert.equal(minutes.size, 10);
      assert.ok([...minutes].every((m) => (m - T0) % 60_000 === 0));
      assert.equal(st.buckets.filter((b) => b.start === T0).reduce((a, b) => a + b.count, 0), 10);
      const hourly = await s.log.stats('t1', { from: T0, to: T0 + 3600_000, bucket: 'hour' });
      assert.equal(new Set(hourly.buckets.map((b) => b.start)).size, 1);
      const empty = await s.log.stats('t1', { from: T0 + 7200_000, to: T0 + 9000_000, bucket: 'hour' });
      assert.equal(empty.total, 0);
      assert.equal(empty.latency, undefined);
      await assert.rejects(s.log.stats('t1', { from: 10, to: 5, bucket: 'hour' }), StoreValidationError);
    });

    test('scan yields every event in occurredAt order, from a time, per tenant or all', async () => {
      const s = await d.open();
      // Appended out of time order, with ties.
      const order = [5, 1, 4, 2, 3, 0, 9, 7, 8, 6];
      for (const i of order) await s.log.append(ev(i, { occurredAt: T0 + Math.floor(i / 2) * 1000 }));
      await s.log.append({ ...ev(100), tenantId: 't2', occurredAt: T0 + 2500 });
      const got = await all(s.log.scan({ pageSize: 3 }));
      assert.equal(got.length, 11);
      const times = got.map((r) => r.occurredAt);
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      // Ties (same occurredAt) come in storage order: e1 was appended before e0.
      assert.deepEqual(got.map((r) => r.eventId).slice(0, 2), ['e1', 'e0']);
      assert.deepEqual(new Set((await all(s.log.scan({ tenantId: 't1', pageSize: 4 }))).map((r) => r.tenantId)), new Set(['t1']));
      const late = await all(s.log.scan({ fromTime: T0 + 3000, pageSize: 2 }));
      assert.deepEqual(late.map((r) => r.eventId).sort(), ['e6', 'e7', 'e8', 'e9']);
      const pages = await all(s.log.scanPages({ pageSize: 4 }));
      assert.deepEqual(pages.map((p) => p.length), [4, 4, 3]);
      assert.deepEqual(pages.flat().map((r) => r.eventId), got.map((r) => r.eventId));
      const light = await all(s.log.scan({ eventsOnly: true, pageSize: 3 }));
      assert.deepEqual(light.map((r) => r.eventId), got.map((r) => r.eventId));
      assert.equal(light[1]!.reasons, undefined);
      assert.deepEqual(got[1]!.reasons, [{ code: 'R0' }]);
      assert.deepEqual(light[1]!.subject, ev(0).subject);
      assert.deepEqual(got[1]!.subject, ev(0).subject);
      assert.deepEqual(got[1]!.data, { amount: 0 });
    });

    test('history without a decision is stored and scanned', async () => {
      const s: Store = await d.open();
      await s.log.append({ tenantId: 't1', eventId: 'h1', eventType: 'repayment', occurredAt: T0, subject: { userId: 'u' }, data: { amount: 5 } });
      const r = await s.log.get('t1', 'h1');
      assert.equal(r?.decision, undefined);
      assert.equal((await all(s.log.scan())).length, 1);
      assert.equal((await s.log.stats('t1', { from: 0, to: Date.now() + 1e10, bucket: 'hour' })).byDecision.none, 1);
    });
  });
}
