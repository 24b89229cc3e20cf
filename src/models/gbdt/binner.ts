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

// Implemented next to the kernels: the helper thread runs its source (see binTask).
export { fitBins } from './kernels.js';

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
