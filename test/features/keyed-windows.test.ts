// The embedded fast path (KeyedWindows over KeyTable ids, AppliedIds) must keep and read exactly what the op path
// (WindowLog, mirrored by the Redis scripts) does: compared here on random streams over many interleaved keys,
// with late events, caps, fractional values, dropped and recycled keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowLog } from '../../src/features/memory-store.js';
import { KeyedWindows, kindOf, type WindowAgg } from '../../src/features/keyed-windows.js';
import { KeyTable } from '../../src/features/key-table.js';
import { AppliedIds } from '../../src/features/applied-ids.js';
import { MemoryStore } from '../../src/features/index.js';
import { seededRandom } from '../../src/core/random.js';

const rng = seededRandom;

/** The op path's answer for `agg` on a WindowLog (what MemoryStore.read computes for C / A / D ops). */
function reference(w: WindowLog | undefined, t: number, windowMs: number, agg: WindowAgg): number | null {
  if (!w) return agg === 'count' || agg === 'distinct' || agg === 'sum' ? 0 : null;
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

interface Opts {
  n: number;
  keys: number;
  cap: number;
  lateShare: number;
  values: (r: () => number) => string | number;
  /** Every this many events, drop the windows idle for a window length (as the store's sweep does). */
  sweepEvery?: number;
}

function compare(agg: WindowAgg, seed: number, o: Opts): void {
  const r = rng(seed);
  const windowMs = 10_000;
  const keysTable = new KeyTable();
  const valuesTable = new KeyTable();
  const kind = kindOf(agg);
  const wins = new KeyedWindows(kind, windowMs, kind === 'ids' ? valuesTable : undefined);
  const logs = new Map<string, WindowLog>();
  let clock = 1_000_000;
  let maxT = -Infinity;
  for (let i = 0; i < o.n; i++) {
    clock += Math.floor(r() * 400);
    // Some events arrive late (earlier than ones already applied), some share a timestamp.
    const t = r() < o.lateShare ? clock - Math.floor(r() * 3 * windowMs) : clock;
    // A few hot keys and a long tail, so blocks grow, move and are reused.
    const key = 'k' + (r() < 0.5 ? Math.floor(r() * 3) : Math.floor(r() * o.keys));
    const v = kind === 'times' ? 1 : o.values(r);
    const id = keysTable.find(key);
    // Reads as of several times: now, just after, a late time, and one far ahead (everything expired).
    for (const at of [t, t + 1, t - Math.floor(r() * windowMs), t + windowMs * 2]) {
      assert.equal(wins.read(id, at, agg), reference(logs.get(key), at, windowMs, agg), `${agg} seed ${seed} event ${i} key ${key} read at ${at}`);
    }
    let log = logs.get(key);
    if (!log) logs.set(key, (log = new WindowLog()));
    log.add(t, v, windowMs, o.cap);
    log.exp = Math.max(log.exp, t + windowMs);
    const kid = keysTable.intern(key);
    wins.add(kid, t, kind === 'ids' ? valuesTable.intern(v as string) : kind === 'numbers' ? (v as number) : 0, o.cap);
    assert.equal(wins.size(kid), log.size(), `${agg} seed ${seed} event ${i}: same entries kept`);
    maxT = Math.max(maxT, t);
    if (o.sweepEvery && i % o.sweepEvery === 0) {
      wins.sweep(maxT);
      for (const [k, l] of logs) if (l.exp < maxT) logs.delete(k);
      keysTable.sweep((kid2) => wins.has(kid2));
      valuesTable.sweep(() => false);
      assert.equal(wins.live, logs.size, 'the same keys are dropped');
      assert.equal(keysTable.size, logs.size, 'dropped keys free their ids');
    }
  }
  if (kind === 'ids') {
    // Every value id still referenced by a window is alive, and nothing else is.
    const live = new Set<string>();
    for (const l of logs.values()) for (let j = l.head; j < l.ts.length; j++) live.add(l.vs[j] as string);
    valuesTable.sweep(() => false);
    assert.equal(valuesTable.size, live.size, 'value ids are kept exactly while a window holds them');
  }
}

const intAmount = (r: () => number): number => 1 + Math.floor(r() * 100_000);
const fractional = (r: () => number): number => (r() < 0.3 ? Math.round(r() * 100_000) / 100 : intAmount(r));

for (const agg of ['count', 'sum', 'avg', 'min', 'max', 'first_seen', 'last_seen'] as const) {
  test(`KeyedWindows ${agg} equals the op path (many keys, late events, cap, fractional values, sweeps)`, () => {
    compare(agg, 1, { n: 3000, keys: 50, cap: 10_000, lateShare: 0.1, values: fractional });
    compare(agg, 2, { n: 3000, keys: 20, cap: 7, lateShare: 0.3, values: fractional });
    compare(agg, 3, { n: 3000, keys: 200, cap: 50, lateShare: 0, values: intAmount, sweepEvery: 97 });
  });
}

test('KeyedWindows distinct equals the op path, small windows (scan) and large ones (multiset), ids recycled', () => {
  // Few distinct values in big windows, many in small ones, and windows that grow past and fall below the scan size.
  compare('distinct', 4, { n: 4000, keys: 5, cap: 10_000, lateShare: 0.1, values: (r) => 'u' + Math.floor(r() * 5) });
  compare('distinct', 5, { n: 4000, keys: 10, cap: 10_000, lateShare: 0.2, values: (r) => 'u' + Math.floor(r() * 200) });
  compare('distinct', 6, { n: 3000, keys: 30, cap: 20, lateShare: 0.3, values: (r) => 'u' + Math.floor(r() * 30) });
  compare('distinct', 7, { n: 4000, keys: 300, cap: 100, lateShare: 0.05, values: (r) => 'u' + Math.floor(r() * 500), sweepEvery: 53 });
});

test('a sum mixing huge and fractional amounts stays the in-order sum once they leave the window', () => {
  const wins = new KeyedWindows('numbers', 1000);
  const log = new WindowLog();
  const values = [0.1, 0.2, 2 ** 40, 3, 0.3, 5, 7];
  values.forEach((v, i) => {
    wins.add(0, i * 400, v, 100);
    log.add(i * 400, v, 1000, 100);
    const at = i * 400 + 1;
    assert.equal(wins.read(0, at, 'sum'), reference(log, at, 1000, 'sum'));
  });
  assert.equal(wins.read(0, 7 * 400, 'sum'), 12);
});

test('KeyTable interns keys to small ids, finds them again and recycles freed ids', () => {
  const table = new KeyTable();
  const keys = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? '银行卡' + i : 'key-' + i * 7919));
  const ids = keys.map((k) => table.intern(k));
  assert.equal(new Set(ids).size, keys.length, 'one id per key');
  assert.ok(Math.max(...ids) < keys.length, 'ids are dense');
  keys.forEach((k, i) => assert.equal(table.find(k), ids[i]));
  assert.equal(table.find('key-missing'), -1);
  assert.equal(table.keyOf(ids[7]), keys[7]);
  // Free every other key; the rest stay findable and a new key takes a freed id.
  table.sweep((id) => id % 2 === 0);
  assert.equal(table.size, Math.ceil(keys.length / 2));
  keys.forEach((k, i) => assert.equal(table.find(k), ids[i] % 2 === 0 ? ids[i] : -1, k));
  const again = table.intern('new-key');
  assert.equal(again % 2, 1, 'a recycled id');
  assert.equal(table.find('new-key'), again);
  table.refs[again] = 1;
  table.sweep(() => false);
  assert.equal(table.find('new-key'), again, 'an id referenced by a distinct window is kept');
  assert.equal(table.size, 1);
});

test('AppliedIds remembers ids, forgets them oldest first by time and by count, through ring growth', () => {
  const ids = new AppliedIds(4);
  for (let i = 0; i < 1000; i++) assert.equal(ids.add('e' + i, i), true);
  for (let i = 0; i < 1000; i += 37) assert.equal(ids.add('e' + i, 2000), false, `e${i} is remembered`);
  ids.evict(499, Infinity);
  assert.equal(ids.size, 500);
  assert.equal(ids.add('e499', 2000), true, 'forgotten past the horizon');
  assert.equal(ids.add('e500', 2000), false);
  ids.evict(-1, 10);
  assert.equal(ids.size, 10);
  assert.equal(ids.add('e995', 2000), false);
  assert.equal(ids.add('e990', 2000), true, 'beyond the cap the oldest are forgotten');
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
