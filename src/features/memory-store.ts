// Embedded feature state: velocity windows of the direct path (velocity.ts: interned keys, pooled typed-array
// windows), the op path's windows (WindowLog) and profiles and known-sets as maps, and the applied event ids.
// Memory is bounded per key (StateLimits) and idle keys are dropped by event time, so a replay of the event
// log rebuilds exactly the same state. Op codes and their meaning mirror redis-lua.ts one for one.
import { AppliedIds } from './applied-ids.js';
import type { ReadPlan, ReadValue, StateLimits, StateStore, WritePlan } from './plan.js';
import { TenantVelocity, type VelocityHost, type VelocityLayout } from './velocity.js';

/** Entries of one window key, sorted by time; `head` skips evicted entries until the arrays are compacted. */
export class WindowLog {
  ts: number[] = [];
  vs: (string | number)[] = [];
  head = 0;
  /** Distinct-value multiset of the live entries (only maintained for string values). */
  counts: Map<string, number> | undefined;
  exp = 0;

  size(): number {
    return this.ts.length - this.head;
  }

  private dropFront(): void {
    const v = this.vs[this.head];
    if (this.counts && typeof v === 'string') {
      const c = this.counts.get(v)! - 1;
      if (c === 0) this.counts.delete(v);
      else this.counts.set(v, c);
    }
    this.head++;
  }

  add(t: number, v: string | number, windowMs: number, cap: number): void {
    const cut = t - windowMs;
    while (this.head < this.ts.length && this.ts[this.head] <= cut) this.dropFront();
    // Usually appended at the end; a late event is inserted after the entries of the same or earlier time.
    let i = this.ts.length;
    while (i > this.head && this.ts[i - 1] > t) i--;
    if (i === this.ts.length) {
      this.ts.push(t);
      this.vs.push(v);
    } else {
      this.ts.splice(i, 0, t);
      this.vs.splice(i, 0, v);
    }
    if (typeof v === 'string') {
      if (!this.counts) this.counts = new Map();
      this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    }
    while (this.size() > cap) this.dropFront();
    if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.vs = this.vs.slice(this.head);
      this.head = 0;
    }
  }

  /** [lo, hi) of the entries strictly inside (t - windowMs, t). */
  range(t: number, windowMs: number): [number, number] {
    return [this.lowerBound(t - windowMs, true), this.lowerBound(t, false)];
  }

  /** First index with ts > x (strict) or ts >= x. */
  lowerBound(x: number, strict: boolean): number {
    let lo = this.head;
    let hi = this.ts.length;
    const ts = this.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? ts[mid] <= x : ts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

class Hash {
  m = new Map<string, number>();
  exp = 0;
}

type Entry = WindowLog | Hash;

export interface MemoryStoreOptions {
  /** Writes between sweeps of idle keys (default 16,384); and at least a quarter of the live key count, so sweeping costs O(1) per write. */
  sweepEvery?: number;
  /** Applied event ids remembered in total for idempotency (oldest forgotten first). Default 5,000,000. */
  maxAppliedIds?: number;
}

export class MemoryStore implements StateStore, VelocityHost {
  readonly kind = 'memory' as const;
  /** Entity tag → key suffix → state. Nested so the (constant) suffix strings keep their cached hashes. */
  private readonly entities = new Map<string, Map<string, Entry>>();
  /** Applied event ids (idempotency), in arrival order with their event times for horizon and cap eviction. */
  private readonly applied = new AppliedIds();
  /** Velocity state of the direct path: layout → tenant → state. */
  private readonly velocities = new Map<VelocityLayout, Map<string, TenantVelocity>>();
  /** Bumped by every sweep and by close(): key ids cached by the direct path are then stale. */
  epoch = 0;
  private maxT = -Infinity;
  private writes = 0;
  private nextSweep = 0;
  private readonly sweepEvery: number;
  private readonly maxApplied: number;

  constructor(opts: MemoryStoreOptions = {}) {
    this.sweepEvery = opts.sweepEvery ?? 16_384;
    this.maxApplied = opts.maxAppliedIds ?? 5_000_000;
  }

  /** Number of live keys (windows, profiles, known-sets): for tests and metrics. */
  keyCount(): number {
    let n = 0;
    for (const m of this.entities.values()) n += m.size;
    for (const byTenant of this.velocities.values()) for (const v of byTenant.values()) n += v.keyCount();
    return n;
  }

  private win(tag: string, suffix: string): WindowLog | undefined {
    const e = this.entities.get(tag)?.get(suffix);
    return e instanceof WindowLog ? e : undefined;
  }

  private hash(tag: string, suffix: string, create: boolean): Hash | undefined {
    let m = this.entities.get(tag);
    let e = m?.get(suffix);
    if (!(e instanceof Hash)) {
      if (!create) return undefined;
      e = new Hash();
      if (!m) {
        m = new Map();
        this.entities.set(tag, m);
      }
      m.set(suffix, e);
    }
    return e;
  }

  /** The velocity state of `layout` for `tenant` (the direct path of velocity features, see velocity.ts). */
  velocity(layout: VelocityLayout, tenant: string): TenantVelocity {
    let byTenant = this.velocities.get(layout);
    if (!byTenant) {
      byTenant = new Map();
      this.velocities.set(layout, byTenant);
    }
    let v = byTenant.get(tenant);
    if (!v) {
      v = new TenantVelocity(layout);
      byTenant.set(tenant, v);
    }
    return v;
  }

  read(plan: ReadPlan): ReadValue[][] {
    const t = plan.t;
    const out: ReadValue[][] = [];
    for (const g of plan.groups) {
      const res: ReadValue[] = [];
      const ops = g.ops;
      const tag = g.tag;
      let i = 0;
      while (i < ops.length) {
        const op = ops[i] as string;
        const key = g.keys[(ops[i + 1] as number) - 1];
        if (op === 'C') {
          const w = this.win(tag, key);
          if (!w) res.push(0);
          else {
            const [lo, hi] = w.range(t, ops[i + 2] as number);
            res.push(hi - lo);
          }
          i += 3;
        } else if (op === 'A') {
          res.push(this.aggregate(this.win(tag, key), t, ops[i + 2] as number, ops[i + 3] as string));
          i += 4;
        } else if (op === 'D') {
          res.push(this.distinct(this.win(tag, key), t, ops[i + 2] as number, ops[i + 3] as string));
          i += 4;
        } else if (op === 'P') {
          const h = this.hash(tag, key, false);
          res.push(h ? Object.fromEntries(h.m) : {});
          i += 2;
        } else if (op === 'K') {
          const h = this.hash(tag, key, false);
          const probe = ops[i + 2] as string;
          res.push(h ? [probe !== '' && h.m.has(probe) ? h.m.get(probe)! : -1, h.m.size] : [-1, 0]);
          i += 3;
        } else throw new Error(`memory store: unknown read op ${op}`);
      }
      out.push(res);
    }
    return out;
  }

  private aggregate(w: WindowLog | undefined, t: number, windowMs: number, agg: string): number | null {
    if (!w) return agg === 'sum' ? 0 : null;
    const [lo, hi] = w.range(t, windowMs);
    if (hi <= lo) return agg === 'sum' ? 0 : null;
    if (agg === 'first_seen') return w.ts[lo];
    if (agg === 'last_seen') return w.ts[hi - 1];
    const vs = w.vs;
    if (agg === 'min' || agg === 'max') {
      let m = vs[lo] as number;
      for (let j = lo + 1; j < hi; j++) {
        const v = vs[j] as number;
        if (agg === 'min' ? v < m : v > m) m = v;
      }
      return m;
    }
    let s = 0;
    for (let j = lo; j < hi; j++) s += vs[j] as number;
    return agg === 'avg' ? s / (hi - lo) : s;
  }

  /** Distinct values in range: the multiset size, minus values whose every occurrence lies outside the range. */
  private distinct(w: WindowLog | undefined, t: number, windowMs: number, probe: string): [number, number] {
    if (!w || !w.counts) return [0, 0];
    const [lo, hi] = w.range(t, windowMs);
    if (hi <= lo) return [0, 0];
    const counts = w.counts;
    if (lo === w.head && hi === w.ts.length) return [counts.size, probe !== '' && counts.has(probe) ? 1 : 0];
    const vs = w.vs as string[];
    const outsideCount = (v: string): number => {
      let c = 0;
      for (let j = w.head; j < lo; j++) if (vs[j] === v) c++;
      for (let j = hi; j < vs.length; j++) if (vs[j] === v) c++;
      return c;
    };
    let gone = 0;
    const outsideSize = lo - w.head + (vs.length - hi);
    if (outsideSize <= 16) {
      // Usually a few entries that left the window since the key's last write: scanning beats a temporary map.
      for (let j = w.head; j < lo; j++) if (firstAt(vs, vs[j], w.head, lo, hi, j) && counts.get(vs[j]) === outsideCount(vs[j])) gone++;
      for (let j = hi; j < vs.length; j++) if (firstAt(vs, vs[j], w.head, lo, hi, j) && counts.get(vs[j]) === outsideCount(vs[j])) gone++;
    } else {
      const outside = new Map<string, number>();
      for (let j = w.head; j < lo; j++) outside.set(vs[j], (outside.get(vs[j]) ?? 0) + 1);
      for (let j = hi; j < vs.length; j++) outside.set(vs[j], (outside.get(vs[j]) ?? 0) + 1);
      for (const [v, c] of outside) if (counts.get(v) === c) gone++;
    }
    const has = probe !== '' && counts.has(probe) && counts.get(probe) !== outsideCount(probe) ? 1 : 0;
    return [counts.size - gone, has];
  }

  write(plan: WritePlan, limits: StateLimits): void {
    if (!this.markApplied(plan.eventId, plan.t, limits)) return;
    this.writeGroups(plan, limits);
  }

  /** Records an event id as applied; false when it already was (then nothing may change). */
  markApplied(id: string, t: number, limits: StateLimits): boolean {
    const applied = this.applied;
    if (!applied.add(id, t)) return false;
    // Applied ids leave after the horizon (event time) or beyond the cap, oldest first.
    applied.evict(t - limits.dedupeHorizonMs, this.maxApplied);
    if (t > this.maxT) this.maxT = t;
    if (++this.writes >= this.nextSweep) {
      const live = this.sweep();
      this.nextSweep = this.writes + Math.max(this.sweepEvery, live >>> 2);
    }
    return true;
  }

  /** Applies a plan's groups without the idempotency check (done by markApplied). */
  writeGroups(plan: WritePlan, limits: StateLimits): void {
    for (const g of plan.groups) this.writeGroup(g.tag, g.keys, g.ops, plan.t, limits);
  }

  private writeGroup(tag: string, keys: string[], ops: (string | number)[], t: number, limits: StateLimits): void {
    let m = this.entities.get(tag);
    if (!m) {
      m = new Map();
      this.entities.set(tag, m);
    }
    let i = 0;
    while (i < ops.length) {
      const op = ops[i] as string;
      const key = keys[(ops[i + 1] as number) - 1];
      if (op === 'W') {
        const windowMs = ops[i + 2] as number;
        let w = m.get(key);
        if (!(w instanceof WindowLog)) {
          w = new WindowLog();
          m.set(key, w);
        }
        w.add(t, ops[i + 3], windowMs, limits.maxEntriesPerKey);
        w.exp = Math.max(w.exp, t + windowMs);
        i += 4;
      } else if (op === 'T') {
        const h = this.hash(tag, key, true)!.m;
        const first = h.get('first');
        if (first === undefined || t < first) h.set('first', t);
        const last = h.get('last');
        if (last === undefined || t > last) h.set('last', t);
        inc(h, 'n');
        inc(h, 'n:' + (ops[i + 2] as string));
        inc(h, 'h' + (ops[i + 3] as number));
        this.touch(tag, key, t + limits.profileTtlMs);
        i += 4;
      } else if (op === 'K') {
        const known = this.hash(tag, key, true)!;
        const value = ops[i + 4] as string;
        if (!known.m.has(value)) {
          const n = known.m.size;
          if (n < limits.maxKnownPerKey) known.m.set(value, t);
          const mark = ops[i + 3] as string;
          if (n > 0 && mark !== '') {
            const p = this.hash(tag, keys[(ops[i + 2] as number) - 1], true)!;
            setMax(p.m, mark, t);
            p.exp = Math.max(p.exp, t + limits.profileTtlMs);
          }
        }
        known.exp = Math.max(known.exp, t + limits.profileTtlMs);
        i += 5;
      } else if (op === 'M') {
        const h = this.hash(tag, key, true)!;
        setMax(h.m, ops[i + 2] as string, t);
        h.exp = Math.max(h.exp, t + limits.profileTtlMs);
        i += 3;
      } else if (op === 'F') {
        const h = this.hash(tag, key, true)!.m;
        const p = ops[i + 2] as string;
        const x = ops[i + 3] as number;
        // Welford's online mean and variance: same operation order as the Lua script, so equal doubles.
        const n = (h.get(p + ':n') ?? 0) + 1;
        const mean = h.get(p + ':mean') ?? 0;
        const delta = x - mean;
        const mean2 = mean + delta / n;
        h.set(p + ':n', n);
        h.set(p + ':mean', mean2);
        h.set(p + ':m2', (h.get(p + ':m2') ?? 0) + delta * (x - mean2));
        this.touch(tag, key, t + limits.profileTtlMs);
        i += 4;
      } else if (op === 'L') {
        const h = this.hash(tag, key, true)!.m;
        const lt = h.get('loc:t');
        if (lt === undefined || t >= lt) {
          h.set('loc:lat', ops[i + 2] as number);
          h.set('loc:lon', ops[i + 3] as number);
          h.set('loc:t', t);
        }
        this.touch(tag, key, t + limits.profileTtlMs);
        i += 4;
      } else throw new Error(`memory store: unknown write op ${op}`);
    }
  }

  private touch(tag: string, key: string, exp: number): void {
    const h = this.entities.get(tag)!.get(key)!;
    if (exp > h.exp) h.exp = exp;
  }

  /** Drops keys idle past their window or profile TTL (event time), bounding memory by active entities; returns the keys left. */
  sweep(): number {
    const maxT = this.maxT;
    let live = 0;
    for (const [tag, m] of this.entities) {
      for (const [k, e] of m) if (e.exp < maxT) m.delete(k);
      if (m.size === 0) this.entities.delete(tag);
      live += m.size;
    }
    for (const byTenant of this.velocities.values()) for (const v of byTenant.values()) live += v.sweep(maxT);
    this.epoch++;
    return live;
  }

  async close(): Promise<void> {
    this.entities.clear();
    this.velocities.clear();
    this.applied.clear();
    this.epoch++;
  }
}

/** True when index `j` is the first occurrence of `v` among the outside entries [head, lo) ∪ [hi, end). */
function firstAt(vs: string[], v: string, head: number, lo: number, hi: number, j: number): boolean {
  for (let i = head; i < lo && i < j; i++) if (vs[i] === v) return false;
  if (j >= hi) for (let i = hi; i < j; i++) if (vs[i] === v) return false;
  return true;
}

function inc(h: Map<string, number>, f: string): void {
  h.set(f, (h.get(f) ?? 0) + 1);
}

function setMax(h: Map<string, number>, f: string, t: number): void {
  const v = h.get(f);
  if (v === undefined || t > v) h.set(f, t);
}
