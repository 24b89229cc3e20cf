// One velocity window of the embedded store's fast path: entry times (and numeric values) in typed arrays
// between `head` and `tail`, compacted or doubled when full, with a running sum and a distinct-value multiset.
// It keeps exactly the entries WindowLog (the op path, and Redis) keeps, so every read returns the same value.

/** Integers this small sum exactly in a double for any window of up to EXACT_MAX_ENTRIES entries. */
const EXACT_LIMIT = 2 ** 31;
const EXACT_MAX_ENTRIES = 2 ** 21;
/** Distinct windows up to this size count by scanning; larger ones keep a multiset. */
const SMALL = 8;

export type WindowAgg = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'distinct' | 'first_seen' | 'last_seen';

function exact(v: number): boolean {
  return Number.isInteger(v) && v <= EXACT_LIMIT && v >= -EXACT_LIMIT;
}

/** Moves a[from, to) to a[0, to - from) in place. */
function slideDoubles(a: number[], from: number, to: number): void {
  for (let j = from; j < to; j++) a[j - from] = a[j];
}

/** Doubles a buffer's length by appending fillers (V8 grows the backing store itself, amortised). */
function grow<T>(a: T[], filler: T): void {
  for (let j = a.length; j > 0; j--) a.push(filler);
}

function slideStrings(a: string[], from: number, to: number): void {
  for (let j = from; j < to; j++) a[j - from] = a[j];
  // Stale copies past the new tail would keep their strings alive.
  for (let j = to - from; j < to; j++) a[j] = '';
}

// Plain packed arrays used as fixed-capacity buffers (length = capacity, entries live in [head, tail)), doubled
// with concat. Not typed arrays: small ones outgrow V8's on-heap limit, and every key would then own an external
// ArrayBuffer, far costlier to allocate and collect. New buffers hold two slots: most keys never need more.
export class WindowBuffer {
  // 0.5 makes the literals double arrays from the start (no elements-kind transition on the first write).
  ts: number[] = [0.5, 0.5];
  /** Numeric values (sum, avg, min, max); absent for count, first_seen, last_seen and distinct. */
  nums: number[] | undefined;
  /** Values of a distinct window, parallel to `ts`. */
  strs: string[] | undefined;
  /** Distinct-value multiset of the live entries [head, tail), kept once the window holds more than SMALL. */
  counts: Map<string, number> | undefined;
  head = 0;
  tail = 0;
  /** Sum of the live values that are exact (see `exact`), and how many live values are not. */
  exactSum = 0;
  inexact = 0;
  /** Event time after which the key is idle (swept). */
  exp = 0;

  constructor(kind: 'times' | 'numbers' | 'strings') {
    if (kind === 'numbers') this.nums = [0.5, 0.5];
    else if (kind === 'strings') this.strs = ['', ''];
  }

  size(): number {
    return this.tail - this.head;
  }

  private dropFront(): void {
    const h = this.head;
    if (this.nums) {
      const v = this.nums[h];
      if (exact(v)) this.exactSum -= v;
      else this.inexact--;
    } else if (this.strs) {
      const v = this.strs[h];
      this.strs[h] = '';
      const counts = this.counts;
      if (counts !== undefined) {
        const c = counts.get(v)! - 1;
        if (c === 0) counts.delete(v);
        else counts.set(v, c);
      }
    }
    this.head = h + 1;
  }

  /** Frees the slot at `tail` when the buffer is full: slides the entries to the front, or doubles the buffers. */
  private room(): void {
    const head = this.head;
    const tail = this.tail;
    if (head * 2 >= tail) {
      slideDoubles(this.ts, head, tail);
      if (this.nums) slideDoubles(this.nums, head, tail);
      if (this.strs) slideStrings(this.strs, head, tail);
      this.head = 0;
      this.tail = tail - head;
    } else {
      grow(this.ts, 0.5);
      if (this.nums) grow(this.nums, 0.5);
      if (this.strs) grow(this.strs, '');
    }
  }

  /** Same rules as WindowLog.add: evict entries at or before t - windowMs, insert in time order, cap the size. */
  add(t: number, v: string | number, windowMs: number, cap: number): void {
    const cut = t - windowMs;
    if (this.head < this.tail && this.ts[this.head] <= cut) {
      if (this.nums === undefined && this.strs === undefined) {
        // Times only: nothing to account for, skip straight past the expired entries.
        const ts = this.ts;
        let h = this.head + 1;
        while (h < this.tail && ts[h] <= cut) h++;
        this.head = h;
      } else while (this.head < this.tail && this.ts[this.head] <= cut) this.dropFront();
    }
    if (this.head === this.tail) {
      this.head = this.tail = 0;
      this.counts = undefined;
    }
    if (this.tail === this.ts.length) this.room();
    const ts = this.ts;
    const tail = this.tail;
    // Usually appended at the end; a late event goes after the entries of the same or earlier time.
    let i = tail;
    while (i > this.head && ts[i - 1] > t) i--;
    for (let j = tail; j > i; j--) ts[j] = ts[j - 1];
    ts[i] = t;
    const nums = this.nums;
    const strs = this.strs;
    if (nums !== undefined) {
      const x = v as number;
      for (let j = tail; j > i; j--) nums[j] = nums[j - 1];
      nums[i] = x;
      if (exact(x)) this.exactSum += x;
      else this.inexact++;
    } else if (strs !== undefined) {
      const s = v as string;
      for (let j = tail; j > i; j--) strs[j] = strs[j - 1];
      strs[i] = s;
      if (this.counts !== undefined) this.counts.set(s, (this.counts.get(s) ?? 0) + 1);
      else if (tail + 1 - this.head > SMALL) {
        const counts = new Map<string, number>();
        for (let j = this.head; j <= tail; j++) counts.set(strs[j], (counts.get(strs[j]) ?? 0) + 1);
        this.counts = counts;
      }
    }
    this.tail = tail + 1;
    while (this.tail - this.head > cap) this.dropFront();
  }

  /** First index with ts > x. */
  private after(x: number): number {
    const ts = this.ts;
    let lo = this.head;
    let hi = this.tail;
    // Common cases first: nothing, or everything, lies at or before x.
    if (lo === hi || ts[lo] > x) return lo;
    if (ts[hi - 1] <= x) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index with ts >= x. */
  private atOrAfter(x: number): number {
    const ts = this.ts;
    let lo = this.head;
    let hi = this.tail;
    if (lo === hi || ts[lo] >= x) return lo;
    if (ts[hi - 1] < x) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `agg` over the entries strictly inside (t - windowMs, t), as WindowLog and the Redis scripts compute it. */
  read(t: number, windowMs: number, agg: WindowAgg): number | null {
    const lo = this.after(t - windowMs);
    const hi = this.atOrAfter(t);
    if (agg === 'count') return hi > lo ? hi - lo : 0;
    if (agg === 'distinct') return hi > lo ? this.distinct(lo, hi) : 0;
    if (hi <= lo) return agg === 'sum' ? 0 : null;
    if (agg === 'first_seen') return this.ts[lo];
    if (agg === 'last_seen') return this.ts[hi - 1];
    const nums = this.nums!;
    if (agg === 'min' || agg === 'max') {
      let m = nums[lo];
      for (let j = lo + 1; j < hi; j++) {
        const v = nums[j];
        if (agg === 'min' ? v < m : v > m) m = v;
      }
      return m;
    }
    const s = this.sum(lo, hi);
    return agg === 'avg' ? s / (hi - lo) : s;
  }

  private sum(lo: number, hi: number): number {
    const nums = this.nums!;
    let s = 0;
    const outside = lo - this.head + (this.tail - hi);
    if (this.inexact === 0 && this.tail - this.head <= EXACT_MAX_ENTRIES && outside < hi - lo) {
      // All live values are small integers: the running sum minus the few outside entries is exact, so it
      // equals the in-order sum below bit for bit.
      s = this.exactSum;
      for (let j = this.head; j < lo; j++) s -= nums[j];
      for (let j = hi; j < this.tail; j++) s -= nums[j];
      return s;
    }
    for (let j = lo; j < hi; j++) s += nums[j];
    return s;
  }

  /** Distinct values in [lo, hi): the multiset size minus values whose every occurrence lies outside. */
  private distinct(lo: number, hi: number): number {
    const vs = this.strs!;
    const counts = this.counts;
    if (counts === undefined) {
      // A small window (most keys): count first occurrences; no map to allocate, keep or collect.
      let n = 0;
      for (let j = lo; j < hi; j++) {
        const v = vs[j];
        let k = lo;
        while (k < j && vs[k] !== v) k++;
        if (k === j) n++;
      }
      return n;
    }
    const head = this.head;
    const tail = this.tail;
    if (lo === head && hi === tail) return counts.size;
    let gone = 0;
    if (lo - head + (tail - hi) <= 16) {
      // Usually a few entries that left the window since the key's last write: scanning beats a temporary map.
      for (let j = head; j < lo; j++) if (this.firstOutside(j, lo, hi) && counts.get(vs[j]) === this.outsideCount(vs[j], lo, hi)) gone++;
      for (let j = hi; j < tail; j++) if (this.firstOutside(j, lo, hi) && counts.get(vs[j]) === this.outsideCount(vs[j], lo, hi)) gone++;
    } else {
      const outside = new Map<string, number>();
      for (let j = head; j < lo; j++) outside.set(vs[j], (outside.get(vs[j]) ?? 0) + 1);
      for (let j = hi; j < tail; j++) outside.set(vs[j], (outside.get(vs[j]) ?? 0) + 1);
      for (const [v, c] of outside) if (counts.get(v) === c) gone++;
    }
    return counts.size - gone;
  }

  private outsideCount(v: string, lo: number, hi: number): number {
    const vs = this.strs!;
    let c = 0;
    for (let j = this.head; j < lo; j++) if (vs[j] === v) c++;
    for (let j = hi; j < this.tail; j++) if (vs[j] === v) c++;
    return c;
  }

  /** True when outside entry `j` holds the first occurrence of its value among the outside entries. */
  private firstOutside(j: number, lo: number, hi: number): boolean {
    const vs = this.strs!;
    const v = vs[j];
    for (let i = this.head; i < lo && i < j; i++) if (vs[i] === v) return false;
    if (j >= hi) for (let i = hi; i < j; i++) if (vs[i] === v) return false;
    return true;
  }
}
