// Pre-binning for histogram GBDT: each feature gets ≤ 255 quantile bins; values are stored as uint8
// codes in one column-major matrix (code 255 = missing), so histogram building streams bytes.
import type { Column } from '../data.js';

export const MISSING_BIN = 255;

export interface FeatureBins {
  /** Bin k holds values <= uppers[k] (and > uppers[k-1]); the last upper is +Infinity. */
  uppers: Float64Array;
}

export interface BinnedMatrix {
  n: number;
  nFeatures: number;
  /** codes[f * n + i] */
  codes: Uint8Array;
}

/** Codes a column of categorical strings as numbers: index in `categories` (most frequent first). */
export function categoryCodes(values: (string | null)[]): { categories: string[]; codes: Float64Array } {
  const freq = new Map<string, number>();
  for (const v of values) if (v !== null) freq.set(v, (freq.get(v) ?? 0) + 1);
  const categories = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  const index = new Map(categories.map((c, i) => [c, i]));
  const codes = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = values[i] === null ? NaN : index.get(values[i]!) ?? NaN;
  return { categories, codes };
}

/** Numeric view of columns: categorical columns coded with `categories` (learned when absent). */
export function numericColumns(columns: Column[], categories: Record<string, string[]> = {}): { values: Float64Array[]; categories: Record<string, string[]> } {
  const out: Float64Array[] = [];
  const cats: Record<string, string[]> = { ...categories };
  for (const c of columns) {
    if (c.kind === 'numeric') out.push(c.values);
    else if (cats[c.name]) {
      const index = new Map(cats[c.name]!.map((v, i) => [v, i]));
      out.push(Float64Array.from(c.values, (v) => (v === null ? NaN : index.get(v) ?? NaN)));
    } else {
      const { categories: list, codes } = categoryCodes(c.values);
      cats[c.name] = list;
      out.push(codes);
    }
  }
  return { values: out, categories: cats };
}

export function fitBins(values: Float64Array, maxBins = 255): FeatureBins {
  const mb = Math.min(255, Math.max(2, maxBins));
  // Few distinct values (flags, codes, small counts) are common: find them without sorting every row.
  const few = new Set<number>();
  for (let i = 0; i < values.length && few.size <= mb; i++) if (!Number.isNaN(values[i]!)) few.add(values[i]!);
  if (few.size <= mb) {
    const distinct = Float64Array.from(few).sort();
    const uppers: number[] = [];
    for (let k = 0; k + 1 < distinct.length; k++) uppers.push((distinct[k]! + distinct[k + 1]!) / 2);
    uppers.push(Infinity);
    return { uppers: Float64Array.from(uppers) };
  }
  const buf = new Float64Array(values.length);
  let len = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) buf[len++] = values[i]!;
  const sorted = buf.subarray(0, len).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const uppers: number[] = [];
  if (distinct.length <= mb) {
    // One bin per distinct value, split halfway between neighbours.
    for (let k = 0; k + 1 < distinct.length; k++) uppers.push((distinct[k]! + distinct[k + 1]!) / 2);
  } else {
    for (let k = 1; k < mb; k++) {
      const v = sorted[Math.floor((k * sorted.length) / mb) - 1]!;
      if (uppers.length === 0 || v > uppers[uppers.length - 1]!) uppers.push(v);
    }
    if (uppers.length && uppers[uppers.length - 1]! >= sorted[sorted.length - 1]!) uppers.pop();
  }
  uppers.push(Infinity);
  return { uppers: Float64Array.from(uppers) };
}

export function binIndexOf(bins: FeatureBins, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  const u = bins.uppers;
  let lo = 0;
  let hi = u.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= u[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function binMatrix(columns: Float64Array[], bins: FeatureBins[]): BinnedMatrix {
  const n = columns[0]?.length ?? 0;
  const codes = new Uint8Array(n * columns.length);
  for (let f = 0; f < columns.length; f++) {
    const col = columns[f]!;
    const b = bins[f]!;
    const base = f * n;
    for (let i = 0; i < n; i++) codes[base + i] = binIndexOf(b, col[i]!);
  }
  return { n, nFeatures: columns.length, codes };
}
