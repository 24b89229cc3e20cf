// The sliding windows of one velocity feature for every key of one tenant, on the embedded store's fast path.
// Keys are small integers (KeyTable). Each key's window is one block of a pooled Float64Array: a header (its
// capacity, live range, idle time, running sum), then the entry times, then their values (numbers, or the
// interned ids of distinct values). Entries live between a head and a tail index and are slid back, or moved to
// a block twice the size, when the block is full. No object per key or entry, so nothing for the garbage
// collector to trace; and a key's whole window is one index lookup and a few adjacent cache lines, where an
// object per key costs a pointer chase per field.
// It keeps exactly the entries WindowLog (the op path, mirrored by the Redis scripts) keeps, so every read
// returns the same value.
import type { KeyTable } from './key-table.js';

export type WindowAgg = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'distinct' | 'first_seen' | 'last_seen';
/** What a window stores besides times: nothing, numbers (sum, avg, min, max) or interned values (distinct). */
export type WindowKind = 'times' | 'numbers' | 'ids';

/** Integers this small sum exactly in a double for any window of up to EXACT_MAX_ENTRIES entries. */
const EXACT_LIMIT = 2 ** 31;
const EXACT_MAX_ENTRIES = 2 ** 21;
/** Distinct windows up to this size count by scanning; larger ones keep a multiset (a Map: GC-traced, so rare). */
const SMALL = 32;
/** Scratch hash set for scanning a small window: twice SMALL slots, stamped per scan instead of cleared. */
const SCRATCH = 64;
const scratchKeys = new Float64Array(SCRATCH);
const scratchStamps = new Int32Array(SCRATCH);
let stamp = 0;
/** Entries of a key's first block: most keys never need more. */
const FIRST_CAP = 2;

// Block header fields (offsets from the block start), then CAP entry times, then CAP values (unless times only).
const CAP = 0;
const HEAD = 1;
const TAIL = 2;
/** Event time after which the key is idle (swept). */
const EXP = 3;
/** numbers: sum of the live values that are exact (see `exact`); ids: 1 + index of the multiset in `maps`, or 0. */
const SUM = 4;
const MAP = 4;
/** numbers: how many live values are not exact. */
const INEXACT = 5;
const HEADER = 6;

function exact(v: number): boolean {
  return Number.isInteger(v) && v <= EXACT_LIMIT && v >= -EXACT_LIMIT;
}

export function kindOf(agg: WindowAgg): WindowKind {
  return agg === 'distinct' ? 'ids' : agg === 'count' || agg === 'first_seen' || agg === 'last_seen' ? 'times' : 'numbers';
}

export class KeyedWindows {
  private pool: Float64Array = new Float64Array(4096);
  /** Doubles of the pool in use (free blocks included). */
  private top = 0;
  /** Free blocks by log2 of their capacity in entries. */
  private readonly free: number[][] = [];
  /** 1 for times only, 2 with values. */
  private readonly stride: number;
  /** Key id → block offset + 1 (0: no window). */
  private index: Int32Array = new Int32Array(16);
  /** ids: distinct-value multisets of the windows holding more than SMALL entries; header MAP points here. */
  private readonly maps: (Map<number, number> | undefined)[] = [];
  private readonly freeMaps: number[] = [];
  /** Keys with a window. */
  live = 0;

  /** `values` is the table whose ids a distinct window stores (their reference counts are kept there). */
  constructor(
    readonly kind: WindowKind,
    readonly windowMs: number,
    private readonly values?: KeyTable,
  ) {
    this.stride = kind === 'times' ? 1 : 2;
    if (kind === 'ids' && !values) throw new Error('keyed windows: a distinct window needs the table of its values');
  }

  has(id: number): boolean {
    return id >= 0 && id < this.index.length && this.index[id] !== 0;
  }

  /** Entries kept for key `id`. */
  size(id: number): number {
    if (!this.has(id)) return 0;
    const b = this.index[id] - 1;
    return this.pool[b + TAIL] - this.pool[b + HEAD];
  }

  private alloc(cap: number): number {
    const list = this.free[31 - Math.clz32(cap)];
    let b: number;
    if (list !== undefined && list.length > 0) b = list.pop()!;
    else {
      const need = HEADER + cap * this.stride;
      if (this.top + need > this.pool.length) {
        const pool = new Float64Array(Math.max(this.pool.length * 2, this.top + need));
        pool.set(this.pool.subarray(0, this.top));
        this.pool = pool;
      }
      b = this.top;
      this.top += need;
    }
    const pool = this.pool;
    pool[b + CAP] = cap;
    pool[b + HEAD] = 0;
    pool[b + TAIL] = 0;
    pool[b + EXP] = 0;
    pool[b + SUM] = 0;
    pool[b + INEXACT] = 0;
    return b;
  }

  private release(b: number): void {
    const c = 31 - Math.clz32(this.pool[b + CAP]);
    (this.free[c] ??= []).push(b);
  }

  /** Accounts for value `v` leaving the window of block `b`. */
  private dropValue(b: number, v: number): void {
    const pool = this.pool;
    if (this.kind === 'numbers') {
      if (exact(v)) pool[b + SUM] -= v;
      else pool[b + INEXACT]--;
    } else {
      this.values!.refs[v]--;
      const m = pool[b + MAP];
      if (m !== 0) {
        const counts = this.maps[m - 1]!;
        const c = counts.get(v)! - 1;
        if (c === 0) counts.delete(v);
        else counts.set(v, c);
      }
    }
  }

  private dropMap(b: number): void {
    const m = this.pool[b + MAP];
    if (m === 0) return;
    this.maps[m - 1] = undefined;
    this.freeMaps.push(m - 1);
    this.pool[b + MAP] = 0;
  }

  /**
   * Adds (t, v) to key `id`'s window, with WindowLog's rules: entries at or before t - window leave first, the
   * entry goes after those of the same or an earlier time, then the oldest leave beyond `maxEntries`.
   * `v` is the number (numbers), the value's id (ids), or ignored (times).
   */
  add(id: number, t: number, v: number, maxEntries: number): void {
    if (id >= this.index.length) {
      const index = new Int32Array(Math.max(this.index.length * 2, id + 1));
      index.set(this.index);
      this.index = index;
    }
    let b = this.index[id] - 1;
    if (b < 0) {
      b = this.alloc(FIRST_CAP);
      this.index[id] = b + 1;
      this.live++;
    }
    let pool = this.pool;
    let cap = pool[b + CAP];
    let head = pool[b + HEAD];
    let tail = pool[b + TAIL];
    let ts = b + HEADER;
    let vs = ts + cap;
    const kind = this.kind;
    const cut = t - this.windowMs;
    if (head < tail && pool[ts + head] <= cut) {
      if (kind === 'times') {
        head++;
        while (head < tail && pool[ts + head] <= cut) head++;
      } else {
        while (head < tail && pool[ts + head] <= cut) this.dropValue(b, pool[vs + head++]);
      }
    }
    if (head === tail) {
      head = tail = 0;
      if (kind === 'ids') this.dropMap(b);
    }
    if (tail === cap) {
      if (head * 2 >= tail) {
        // Half or more expired: slide the live entries to the front of the block.
        pool.copyWithin(ts, ts + head, ts + tail);
        if (kind !== 'times') pool.copyWithin(vs, vs + head, vs + tail);
      } else {
        const moved = this.alloc(cap * 2);
        pool = this.pool;
        const mts = moved + HEADER;
        pool.copyWithin(mts, ts + head, ts + tail);
        if (kind !== 'times') pool.copyWithin(mts + cap * 2, vs + head, vs + tail);
        pool[moved + EXP] = pool[b + EXP];
        pool[moved + SUM] = pool[b + SUM];
        pool[moved + INEXACT] = pool[b + INEXACT];
        this.release(b);
        b = moved;
        this.index[id] = b + 1;
        cap *= 2;
        ts = mts;
        vs = ts + cap;
      }
      tail -= head;
      head = 0;
    }
    // Usually appended at the end; a late event goes after the entries of the same or an earlier time.
    let i = tail;
    while (i > head && pool[ts + i - 1] > t) i--;
    if (i < tail) pool.copyWithin(ts + i + 1, ts + i, ts + tail);
    pool[ts + i] = t;
    if (kind !== 'times') {
      if (i < tail) pool.copyWithin(vs + i + 1, vs + i, vs + tail);
      pool[vs + i] = v;
      if (kind === 'numbers') {
        if (exact(v)) pool[b + SUM] += v;
        else pool[b + INEXACT]++;
      } else {
        this.values!.refs[v]++;
        const m = pool[b + MAP];
        if (m !== 0) {
          const counts = this.maps[m - 1]!;
          counts.set(v, (counts.get(v) ?? 0) + 1);
        } else if (tail + 1 - head > SMALL) {
          const counts = new Map<number, number>();
          for (let j = head; j <= tail; j++) counts.set(pool[vs + j], (counts.get(pool[vs + j]) ?? 0) + 1);
          const slot = this.freeMaps.pop() ?? this.maps.length;
          this.maps[slot] = counts;
          pool[b + MAP] = slot + 1;
        }
      }
    }
    tail++;
    if (tail - head > maxEntries) {
      if (kind === 'times') head = tail - maxEntries;
      else while (tail - head > maxEntries) this.dropValue(b, pool[vs + head++]);
    }
    pool[b + HEAD] = head;
    pool[b + TAIL] = tail;
    if (t + this.windowMs > pool[b + EXP]) pool[b + EXP] = t + this.windowMs;
  }

  /** `agg` over key `id`'s entries strictly inside (t - window, t), as WindowLog and the Redis scripts compute it. */
  read(id: number, t: number, agg: WindowAgg): number | null {
    const b = id >= 0 && id < this.index.length ? this.index[id] - 1 : -1;
    if (b < 0) return agg === 'count' || agg === 'distinct' || agg === 'sum' ? 0 : null;
    const pool = this.pool;
    const head = pool[b + HEAD];
    const tail = pool[b + TAIL];
    const ts = b + HEADER;
    const lo = after(pool, ts, head, tail, t - this.windowMs);
    const hi = atOrAfter(pool, ts, head, tail, t);
    if (agg === 'count') return hi > lo ? hi - lo : 0;
    const vs = ts + pool[b + CAP];
    if (agg === 'distinct') return hi > lo ? this.distinct(pool[b + MAP], vs, head, tail, lo, hi) : 0;
    if (hi <= lo) return agg === 'sum' ? 0 : null;
    if (agg === 'first_seen') return pool[ts + lo];
    if (agg === 'last_seen') return pool[ts + hi - 1];
    if (agg === 'min' || agg === 'max') {
      let m = pool[vs + lo];
      for (let j = lo + 1; j < hi; j++) {
        const v = pool[vs + j];
        if (agg === 'min' ? v < m : v > m) m = v;
      }
      return m;
    }
    let s = 0;
    if (pool[b + INEXACT] === 0 && tail - head <= EXACT_MAX_ENTRIES && lo - head + (tail - hi) < hi - lo) {
      // All live values are small integers: the running sum minus the few outside entries is exact, so it
      // equals the in-order sum below bit for bit.
      s = pool[b + SUM];
      for (let j = head; j < lo; j++) s -= pool[vs + j];
      for (let j = hi; j < tail; j++) s -= pool[vs + j];
    } else for (let j = lo; j < hi; j++) s += pool[vs + j];
    return agg === 'avg' ? s / (hi - lo) : s;
  }

  /** Distinct values in [lo, hi): by scanning a small window, else the multiset size minus values only outside. */
  private distinct(map: number, vs: number, head: number, tail: number, lo: number, hi: number): number {
    const pool = this.pool;
    if (map === 0) {
      if (++stamp === 0x7fffffff) {
        scratchStamps.fill(0);
        stamp = 1;
      }
      let n = 0;
      for (let j = lo; j < hi; j++) {
        const v = pool[vs + j];
        let k = v & (SCRATCH - 1);
        while (scratchStamps[k] === stamp && scratchKeys[k] !== v) k = (k + 1) & (SCRATCH - 1);
        if (scratchStamps[k] !== stamp) {
          scratchStamps[k] = stamp;
          scratchKeys[k] = v;
          n++;
        }
      }
      return n;
    }
    const counts = this.maps[map - 1]!;
    if (lo === head && hi === tail) return counts.size;
    let gone = 0;
    if (lo - head + (tail - hi) <= 16) {
      // Usually a few entries that left the window since the key's last write: scanning beats a temporary map.
      for (let j = head; j < lo; j++) if (firstOutside(pool, vs, head, lo, hi, j) && counts.get(pool[vs + j]) === outsideCount(pool, vs, head, tail, lo, hi, pool[vs + j])) gone++;
      for (let j = hi; j < tail; j++) if (firstOutside(pool, vs, head, lo, hi, j) && counts.get(pool[vs + j]) === outsideCount(pool, vs, head, tail, lo, hi, pool[vs + j])) gone++;
    } else {
      const outside = new Map<number, number>();
      for (let j = head; j < lo; j++) outside.set(pool[vs + j], (outside.get(pool[vs + j]) ?? 0) + 1);
      for (let j = hi; j < tail; j++) outside.set(pool[vs + j], (outside.get(pool[vs + j]) ?? 0) + 1);
      for (const [v, c] of outside) if (counts.get(v) === c) gone++;
    }
    return counts.size - gone;
  }

  /** Drops key `id`'s window (its block goes back to the free list). */
  drop(id: number): void {
    if (!this.has(id)) return;
    const b = this.index[id] - 1;
    const pool = this.pool;
    if (this.kind === 'ids') {
      const refs = this.values!.refs;
      const vs = b + HEADER + pool[b + CAP];
      for (let j = pool[b + HEAD]; j < pool[b + TAIL]; j++) refs[pool[vs + j]]--;
      this.dropMap(b);
    }
    this.release(b);
    this.index[id] = 0;
    this.live--;
  }

  /** Drops the windows idle since before `maxT` (event time); returns how many remain. */
  sweep(maxT: number): number {
    const index = this.index;
    for (let id = 0; id < index.length; id++) if (index[id] !== 0 && this.pool[index[id] - 1 + EXP] < maxT) this.drop(id);
    return this.live;
  }
}

/** First index in [head, tail) of the times at `ts` with time > x. */
function after(pool: Float64Array, ts: number, head: number, tail: number, x: number): number {
  // Common cases first: nothing, or everything, lies at or before x.
  if (head === tail || pool[ts + head] > x) return head;
  if (pool[ts + tail - 1] <= x) return tail;
  let lo = head;
  let hi = tail;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pool[ts + mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [head, tail) of the times at `ts` with time >= x. */
function atOrAfter(pool: Float64Array, ts: number, head: number, tail: number, x: number): number {
  if (head === tail || pool[ts + head] >= x) return head;
  if (pool[ts + tail - 1] < x) return tail;
  let lo = head;
  let hi = tail;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pool[ts + mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function outsideCount(pool: Float64Array, vs: number, head: number, tail: number, lo: number, hi: number, v: number): number {
  let c = 0;
  for (let j = head; j < lo; j++) if (pool[vs + j] === v) c++;
  for (let j = hi; j < tail; j++) if (pool[vs + j] === v) c++;
  return c;
}

/** True when outside entry `j` holds the first occurrence of its value among the outside entries. */
function firstOutside(pool: Float64Array, vs: number, head: number, lo: number, hi: number, j: number): boolean {
  const v = pool[vs + j];
  for (let i = head; i < lo && i < j; i++) if (pool[vs + i] === v) return false;
  if (j >= hi) for (let i = hi; i < j; i++) if (pool[vs + i] === v) return false;
  return true;
}
