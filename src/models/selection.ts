// Variable selection for scorecards, in the usual order: IV and missing-rate filters, then pairwise
// correlation and VIF on the WOE columns (keeping the higher-IV variable), then optional stepwise by AIC.
import { fitLogistic } from './logistic.js';

export interface SelectionOptions {
  minIv?: number;
  maxMissingRate?: number;
  maxCorrelation?: number;
  maxVif?: number;
  stepwise?: 'forward' | 'backward' | false;
  l2?: number;
}

export interface SelectionStep {
  feature: string;
  /** Why it was dropped. */
  reason: 'iv' | 'missing' | 'correlation' | 'vif' | 'stepwise';
  detail: string;
}

export interface SelectionResult {
  selected: string[];
  dropped: SelectionStep[];
}

export function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** VIF of column j against the others: 1/(1-R²) from a least-squares fit (normal equations). */
export function vif(cols: Float64Array[], j: number): number {
  const others = cols.filter((_, k) => k !== j);
  const yv = cols[j]!;
  const n = yv.length;
  const d = others.length + 1;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let k = 0; k < others.length; k++) row[k + 1] = others[k]![i]!;
    for (let r = 0; r < d; r++) {
      b[r] = b[r]! + row[r]! * yv[i]!;
      for (let c = 0; c < d; c++) A[r * d + c] = A[r * d + c]! + row[r]! * row[c]!;
    }
  }
  for (let r = 0; r < d; r++) A[r * d + r] = A[r * d + r]! + 1e-9;
  // Gaussian elimination with partial pivoting.
  const M = A;
  const x = b;
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]!) > Math.abs(M[piv * d + c]!)) piv = r;
    if (piv !== c) {
      for (let k = 0; k < d; k++) [M[c * d + k], M[piv * d + k]] = [M[piv * d + k]!, M[c * d + k]!];
      [x[c], x[piv]] = [x[piv]!, x[c]!];
    }
    const p = M[c * d + c]!;
    if (Math.abs(p) < 1e-15) continue;
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c]! / p;
      if (f === 0) continue;
      for (let k = c; k < d; k++) M[r * d + k] = M[r * d + k]! - f * M[c * d + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  const beta = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < d; k++) s -= M[r * d + k]! * beta[k]!;
    beta[r] = Math.abs(M[r * d + r]!) < 1e-15 ? 0 : s / M[r * d + r]!;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yv[i]!;
  mean /= n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    let f = beta[0]!;
    for (let k = 0; k < others.length; k++) f += beta[k + 1]! * others[k]![i]!;
    ssr += (yv[i]! - f) ** 2;
    sst += (yv[i]! - mean) ** 2;
  }
  if (sst === 0) return Infinity;
  const r2 = 1 - ssr / sst;
  return r2 >= 1 ? Infinity : 1 / (1 - r2);
}

/**
 * Selects variables. `woe` holds each candidate's WOE column; `iv` and `missingRate` come from binning.
 */
export function selectVariables(
  woe: Record<string, Float64Array>,
  iv: Record<string, number>,
  missingRate: Record<string, number>,
  y: ArrayLike<number>,
  options: SelectionOptions = {},
): SelectionResult {
  const minIv = options.minIv ?? 0.02;
  const maxMissing = options.maxMissingRate ?? 0.95;
  const maxCorr = options.maxCorrelation ?? 0.7;
  const maxVif = options.maxVif ?? 10;
  const dropped: SelectionStep[] = [];
  let cand = Object.keys(woe).sort((a, b) => iv[b]! - iv[a]!);
  cand = cand.filter((f) => {
    if (missingRate[f]! > maxMissing) {
      dropped.push({ feature: f, reason: 'missing', detail: `missing rate ${missingRate[f]!.toFixed(3)} > ${maxMissing}` });
      return false;
    }
    if (iv[f]! < minIv) {
      dropped.push({ feature: f, reason: 'iv', detail: `IV ${iv[f]!.toFixed(4)} < ${minIv}` });
      return false;
    }
    return true;
  });
  // Correlation: walk in IV order, keep a variable only if it is not too correlated with a kept one.
  const kept: string[] = [];
  for (const f of cand) {
    const clash = kept.find((k) => Math.abs(pearson(woe[f]!, woe[k]!)) > maxCorr);
    if (clash) dropped.push({ feature: f, reason: 'correlation', detail: `|r| with ${clash} > ${maxCorr}` });
    else kept.push(f);
  }
  // VIF: drop the worst offender until all are under the limit.
  for (;;) {
    if (kept.length < 2) break;
    const cols = kept.map((f) => woe[f]!);
    let worst = -1;
    let worstV = maxVif;
    for (let j = 0; j < cols.length; j++) {
      const v = vif(cols, j);
      if (v > worstV) {
        worstV = v;
        worst = j;
      }
    }
    if (worst < 0) break;
    dropped.push({ feature: kept[worst]!, reason: 'vif', detail: `VIF ${worstV.toFixed(2)} > ${maxVif}` });
    kept.splice(worst, 1);
  }
  let selected = kept;
  if (options.stepwise) selected = stepwise(kept, woe, y, options.stepwise, options.l2, dropped);
  return { selected, dropped };
}

function stepwise(cand: string[], woe: Record<string, Float64Array>, y: ArrayLike<number>, dir: 'forward' | 'backward', l2: number | undefined, dropped: SelectionStep[]): string[] {
  const aic = (fs: string[]): number => fitLogistic(fs.map((f) => woe[f]!), y, { ...(l2 !== undefined ? { l2 } : {}), maxIter: 25, tol: 1e-6 }).aic;
  if (dir === 'forward') {
    const chosen: string[] = [];
    let best = aic([]);
    let rest = [...cand];
    for (;;) {
      let pick: string | undefined;
      let pickAic = best;
      for (const f of rest) {
        const a = aic([...chosen, f]);
        if (a < pickAic - 1e-9) {
          pickAic = a;
          pick = f;
        }
      }
      if (!pick) break;
      chosen.push(pick);
      rest = rest.filter((f) => f !== pick);
      best = pickAic;
    }
    for (const f of rest) dropped.push({ feature: f, reason: 'stepwise', detail: 'does not lower AIC (forward)' });
    return chosen;
  }
  let chosen = [...cand];
  let best = aic(chosen);
  for (;;) {
    let drop: string | undefined;
    let dropAic = best;
    for (const f of chosen) {
      const a = aic(chosen.filter((x) => x !== f));
      if (a < dropAic - 1e-9) {
        dropAic = a;
        drop = f;
      }
    }
    if (!drop) break;
    chosen = chosen.filter((f) => f !== drop);
    dropped.push({ feature: drop, reason: 'stepwise', detail: 'removing it lowers AIC (backward)' });
    best = dropAic;
  }
  return chosen;
}
