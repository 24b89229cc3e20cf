// Model performance metrics on (label, score) pairs, where a higher score means more likely bad (1).
// AUC uses the rank-sum with ties averaged; KS is the max gap between bad and good cumulative rates.

function order(scores: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => scores[a]! - scores[b]!);
}

export function auc(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = y.length;
  const idx = order(scores);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]!]) {
      rankSumPos += avgRank;
      pos++;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function ks(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = y.length;
  const idx = order(scores);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i] ? 1 : 0;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  let cp = 0;
  let cn = 0;
  let best = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!]) cp++;
      else cn++;
    }
    best = Math.max(best, Math.abs(cp / pos - cn / neg));
    i = j + 1;
  }
  return best;
}

export const gini = (y: ArrayLike<number>, scores: ArrayLike<number>): number => 2 * auc(y, scores) - 1;

export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

export interface DecileRow {
  decile: number;
  count: number;
  bad: number;
  badRate: number;
  minScore: number;
  maxScore: number;
  /** Share of all bads captured up to this decile (riskiest first). */
  cumBadShare: number;
  /** badRate / overall bad rate. */
  lift: number;
  cumLift: number;
}

/** Lift and gain by decile of score, riskiest (highest score) first. */
export function liftTable(y: ArrayLike<number>, scores: ArrayLike<number>, groups = 10): DecileRow[] {
  const n = y.length;
  const idx = order(scores).reverse();
  let totalBad = 0;
  for (let i = 0; i < n; i++) totalBad += y[i] ? 1 : 0;
  const overall = totalBad / n;
  const rows: DecileRow[] = [];
  let cumBad = 0;
  let cumCount = 0;
  for (let g = 0; g < groups; g++) {
    const a = Math.floor((g * n) / groups);
    const b = Math.floor(((g + 1) * n) / groups);
    if (b <= a) continue;
    let bad = 0;
    let mn = Infinity;
    let mx = -Infinity;
    for (let k = a; k < b; k++) {
      const i = idx[k]!;
      bad += y[i] ? 1 : 0;
      mn = Math.min(mn, scores[i]!);
      mx = Math.max(mx, scores[i]!);
    }
    cumBad += bad;
    cumCount += b - a;
    const badRate = bad / (b - a);
    rows.push({
      decile: g + 1,
      count: b - a,
      bad,
      badRate,
      minScore: mn,
      maxScore: mx,
      cumBadShare: totalBad ? cumBad / totalBad : 0,
      lift: overall ? badRate / overall : 0,
      cumLift: overall ? cumBad / cumCount / overall : 0,
    });
  }
  return rows;
}

/**
 * Population stability index of `actual` against `expected`, on `bins` equal-frequency bins of the
 * expected scores. Empty buckets get a small floor so one empty bin does not make PSI infinite.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, bins = 10): number {
  const sorted = Float64Array.from(expected).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const e = sorted[Math.floor((b * sorted.length) / bins)]!;
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  const bucket = (v: number): number => {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const e = new Float64Array(edges.length + 1);
  const a = new Float64Array(edges.length + 1);
  for (let i = 0; i < expected.length; i++) e[bucket(expected[i]!)]!++;
  for (let i = 0; i < actual.length; i++) a[bucket(actual[i]!)]!++;
  let s = 0;
  for (let k = 0; k < e.length; k++) {
    const pe = Math.max(e[k]! / expected.length, 1e-4);
    const pa = Math.max(a[k]! / actual.length, 1e-4);
    s += (pa - pe) * Math.log(pa / pe);
  }
  return s;
}

export interface Metrics {
  auc: number;
  ks: number;
  gini: number;
  logLoss?: number;
  n: number;
  badRate: number;
}

/** The headline metrics; `probabilities` adds log loss when the scores are probabilities. */
export function evaluate(y: ArrayLike<number>, scores: ArrayLike<number>, probabilities = false): Metrics {
  let bad = 0;
  for (let i = 0; i < y.length; i++) bad += y[i] ? 1 : 0;
  const a = auc(y, scores);
  const m: Metrics = { auc: a, ks: ks(y, scores), gini: 2 * a - 1, n: y.length, badRate: bad / y.length };
  if (probabilities) m.logLoss = logLoss(y, scores);
  return m;
}

// ---------------------------------------------------------------- curves for charts
// Down-sampled to a fixed number of points so a version's stored report stays small whatever the row count.

export interface RocCurve {
  /** False positive rate (share of goods flagged) and true positive rate (share of bads flagged), from (0,0) to (1,1). */
  fpr: number[];
  tpr: number[];
}

/** Cumulative bad and good shares when cutting at each distinct score, riskiest first; ties move together. */
function cumulative(y: ArrayLike<number>, scores: ArrayLike<number>): { pop: number[]; bad: number[]; good: number[] } {
  const n = y.length;
  const idx = order(scores).reverse();
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i] ? 1 : 0;
  const neg = n - pos;
  const pop = [0];
  const bad = [0];
  const good = [0];
  let cp = 0;
  let cn = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!]) cp++;
      else cn++;
    }
    pop.push((j + 1) / n);
    bad.push(pos ? cp / pos : 0);
    good.push(neg ? cn / neg : 0);
    i = j + 1;
  }
  return { pop, bad, good };
}

/** Keeps at most `points` entries (always the first and last), evenly spaced by index. */
function thin(len: number, points: number): number[] {
  if (len <= points) return Array.from({ length: len }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < points; k++) out.push(Math.round((k * (len - 1)) / (points - 1)));
  return out;
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** ROC curve of risk scores (higher = riskier), at most `points` points. */
export function rocCurve(y: ArrayLike<number>, scores: ArrayLike<number>, points = 101): RocCurve {
  const c = cumulative(y, scores);
  const keep = thin(c.pop.length, points);
  return { fpr: keep.map((i) => r6(c.good[i]!)), tpr: keep.map((i) => r6(c.bad[i]!)) };
}

export interface KsCurve {
  /** Share of the population cut off, riskiest first. */
  population: number[];
  /** Cumulative share of bads and of goods at that cut. */
  bad: number[];
  good: number[];
  ks: number;
  /** Population share where the gap is largest. */
  at: number;
}

/** KS curve: cumulative bad and good shares against population share, riskiest first. */
export function ksCurve(y: ArrayLike<number>, scores: ArrayLike<number>, points = 101): KsCurve {
  const c = cumulative(y, scores);
  let best = 0;
  let at = 0;
  for (let i = 0; i < c.pop.length; i++) {
    const gap = Math.abs(c.bad[i]! - c.good[i]!);
    if (gap > best) {
      best = gap;
      at = c.pop[i]!;
    }
  }
  const keep = thin(c.pop.length, points);
  return { population: keep.map((i) => r6(c.pop[i]!)), bad: keep.map((i) => r6(c.bad[i]!)), good: keep.map((i) => r6(c.good[i]!)), ks: best, at };
}

export interface Histogram {
  /** bins + 1 edges; bin k is [edges[k], edges[k+1]), the last one closed. */
  edges: number[];
  /** One count array per series, in the order given. */
  counts: number[][];
}

/** Counts of several score series on shared equal-width bins over their joint range (NaN skipped). */
export function histogram(series: ArrayLike<number>[], bins = 20): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (Number.isNaN(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return { edges: [], counts: series.map(() => []) };
  if (hi === lo) hi = lo + 1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => r6(lo + k * width));
  const counts = series.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (Number.isNaN(v)) continue;
      c[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
    }
    return c;
  });
  return { edges, counts };
}
