// The embedded fast path (WindowBuffer) must keep and read exactly what the op path (WindowLog, mirrored by the
// Redis scripts) does: compared here on random streams with late events, caps, fractional values and large keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowLog } from '../../src/features/memory-store.js';
import { WindowBuffer, type WindowAgg } from '../../src/features/window-buffer.js';
import { MemoryStore } from '../../src/features/index.js';
import { seededRandom } from '../../src/core/random.js';

const rng = seededRandom;

/** The op path's answer for `agg` on a WindowLog (what MemoryStore.read computes for C / A / D ops). */
function reference(w: WindowLog, t: number, windowMs: number, agg: WindowAgg): number | null {
  const [lo, hi] = w.range(t, windowMs);
  if (agg === 'count') return hi - lo;
  if (agg === 'distinct') return hi <= lo ? 0 : new Set(w.vs.slice(lo, hi)).size;
  if (hi <= lo) return agg === 'sum' ? 0 : null;
  if (agg === 'first_seen') return w.ts[lo];
  if (agg === 'last_seen') return w.ts[hi - 1];
  const vs = w.vs.slice(lo, hi) as number[];
  if (agg === 'min') return vs.reduce((m, v) => (v < m ? v : m));
  if (agg === 'max') return vs.reduce((m, v) => (v > m ? v : m));
  let s = 0;
  for (const v of vs) s += v;
  return agg === 'avg' ? s / vs.length : s;
}

const KIND: Record<WindowAgg, 'times' | 'numbers' | 'strings'> = {
  count: 'times',
  first_seen: 'times',
  last_seen: 'times',
  sum: 'numbers',
  avg: 'numbers',
  min: 'numbers',
  max: 'numbers',
  distinct: 'strings',
};

function compare(agg: WindowAgg, seed: number, opts: { n: number; cap: number; lateShare: number; values: (r: () => number) => string | number }): void {
  const r = rng(seed);
  const windowMs = 10_000;
  const log = new WindowLog();
  const buf = new WindowBuffer(KIND[agg]);
  let clock = 1_000_000;
  for (let i = 0; i < opts.n; i++) {
    clock += Math.floor(r() * 400);
    // Some events arrive late (earlier than ones already applied), some share a timestamp.
    const t = r() < opts.lateShare ? clock - Math.floor(r() * 3 * windowMs) : clock;
    const v = agg === 'count' || agg === 'first_seen' || agg === 'last_seen' ? 1 : opts.values(r);
    // Reads as of several times: now, just after, a late time, and one far ahead (everything expired).
    for (const at of [t, t + 1, t - Math.floor(r() * windowMs), t + windowMs * 2]) {
      assert.equal(buf.read(at, windowMs, agg), reference(log, at, windowMs, agg), `${agg} seed ${seed} event ${i} read at ${at}`);
    }
    log.add(t, v, windowMs, opts.cap);
    buf.add(t, v, windowMs, opts.cap);
    assert.equal(buf.size(), log.size(), `${agg} seed ${seed} event ${i}: same entries kept`);
  }
}

const intAmount = (r: () => number): number => 1 + Math.floor(r() * 100_000);
const fractional = (r: () => number): number => (r() < 0.3 ? Math.round(r() * 100_000) / 100 : intAmount(r));

for (const agg of ['count', 'sum', 'avg', 'min', 'max', 'first_seen', 'last_seen'] as const) {
  test(`WindowBuffer ${agg} equals the op path (late events, cap, fractional values)`, () => {
    compare(agg, 1, { n: 3000, cap: 10_000, lateShare: 0.1, values: fractional });
    compare(agg, 2, { n: 3000, cap: 7, lateShare: 0.3, values: fractional });
    compare(agg, 3, { n: 2000, cap: 50, lateShare: 0, values: intAmount });
  });
}

test('WindowBuffer distinct equals the op path, small windows (scan) and large ones (multiset)', () => {
  // Few distinct values in big windows, many in small ones, and windows that grow past and fall below 16 entries.
  compare('distinct', 4, { n: 3000, cap: 10_000, lateShare: 0.1, values: (r) => 'u' + Math.floor(r() * 5) });
  compare('distinct', 5, { n: 3000, cap: 10_000, lateShare: 0.2, values: (r) => 'u' + Math.floor(r() * 200) });
  compare('distinct', 6, { n: 3000, cap: 20, lateShare: 0.3, values: (r) => 'u' + Math.floor(r() * 30) });
});

test('a sum mixing huge and fractional amounts stays the in-order sum once they leave the window', () => {
  const buf = new WindowBuffer('numbers');
  const log = new WindowLog();
  const windowMs = 1000;
  const values = [0.1, 0.2, 2 ** 40, 3, 0.3, 5, 7];
  values.forEach((v, i) => {
    buf.add(i * 400, v, windowMs, 100);
    log.add(i * 400, v, windowMs, 100);
    const at = i * 400 + 1;
    assert.equal(buf.read(at, windowMs, 'sum'), reference(log, at, windowMs, 'sum'));
  });
  assert.equal(buf.read(7 * 400, windowMs, 'sum'), 12);
});

test('the memory store forgets applied ids past the horizon and beyond its cap, oldest first', () => {
  const limits = { maxEntriesPerKey: 10, maxKnownPerKey: 10, dedupeHorizonMs: 1000, dedupeMaxIds: 10, profileTtlMs: 1000 };
  const store = new MemoryStore({ maxAppliedIds: 3000 });
  // Enough ids to wrap and grow the internal ring several times.
  for (let i = 0; i < 5000; i++) assert.equal(store.markApplied('e' + i, i, limits), true);
  assert.equal(store.markApplied('e4999', 4999, limits), false, 'a recent id is remembered');
  assert.equal(store.markApplied('e4500', 4999, limits), false);
  assert.equal(store.markApplied('e3000', 5000, limits), true, 'past the 1000 ms horizon it is forgotten');
  const capped = new MemoryStore({ maxAppliedIds: 100 });
  for (let i = 0; i < 300; i++) capped.markApplied('c' + i, 0, limits);
  assert.equal(capped.markApplied('c250', 0, limits), false);
  assert.equal(capped.markApplied('c150', 0, limits), true, 'beyond the cap the oldest are forgotten');
});
