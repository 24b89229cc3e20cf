// Scorecard development: binning → WOE → selection → L2 logistic regression → points scaling.
// Points: score = points0 + B·ln(odds0) − B·logit(p_bad), B = pdo / ln 2, odds0 = bad:good odds at points0
// (default 600 points at 1:19, PDO 50). Each bin's points are −B·β·WOE, so higher scores are safer.
import type { Dataset } from './data.js';
import { fitBinnings, woeColumn, binIndex, binAt, type BinningOptions, type VariableBinning } from './binning.js';
import { fitLogistic } from './logistic.js';
import { selectVariables, type SelectionOptions, type SelectionResult } from './selection.js';
import { ModelError } from './errors.js';

export interface Scaling {
  points0: number;
  /** bad:good odds at points0 (1/19 = "1:19"). */
  odds0: number;
  pdo: number;
}

export const DEFAULT_SCALING: Scaling = { points0: 600, odds0: 1 / 19, pdo: 50 };

export interface ScorecardVariable {
  feature: string;
  coefficient: number;
  binning: VariableBinning;
  /** Points per bin, aligned with binning.bins. */
  points: number[];
}

export interface ScorecardModel {
  format: 'xiezhi.model';
  type: 'scorecard';
  features: string[];
  target?: string;
  scaling: Scaling;
  intercept: number;
  basePoints: number;
  variables: ScorecardVariable[];
  fit: { iterations: number; converged: boolean; gradientNorm: number; l2: number };
  selection?: SelectionResult;
  /** IV of every candidate, for the report. */
  iv?: Record<string, number>;
}

export interface ScorecardOptions {
  binning?: BinningOptions;
  selection?: SelectionOptions;
  scaling?: Partial<Scaling>;
  /** L2 strength for the final fit (see LogisticOptions.l2). */
  l2?: number;
  /** Manual binning overrides keyed by feature (e.g. from editBinning). */
  binnings?: Record<string, VariableBinning>;
  /** Restrict candidates to these features. */
  features?: string[];
}

export function scalingFactor(s: Scaling): number {
  return s.pdo / Math.LN2;
}

export function trainScorecard(ds: Dataset, options: ScorecardOptions = {}): ScorecardModel {
  const scaling = { ...DEFAULT_SCALING, ...options.scaling };
  if (!(scaling.pdo > 0) || !(scaling.odds0 > 0)) throw new ModelError('bad_option', 'pdo and odds0 must be positive', 'pdo 和 odds0 必须为正数');
  const cols = options.features ? ds.columns.filter((c) => options.features!.includes(c.name)) : ds.columns;
  if (cols.length === 0) throw new ModelError('no_features', 'no feature columns to train on', '没有可用于训练的特征列');
  const binnings = { ...fitBinnings(cols.filter((c) => !options.binnings?.[c.name]), ds.y, options.binning), ...options.binnings };
  const woe: Record<string, Float64Array> = {};
  const iv: Record<string, number> = {};
  const miss: Record<string, number> = {};
  for (const c of cols) {
    const b = binnings[c.name]!;
    woe[c.name] = woeColumn(b, c);
    iv[c.name] = b.iv;
    miss[c.name] = b.missingRate;
  }
  const selection = selectVariables(woe, iv, miss, ds.y, { ...options.selection, ...(options.l2 !== undefined ? { l2: options.l2 } : {}) });
  if (selection.selected.length === 0) {
    throw new ModelError('no_features', 'no variable passed selection (IV, missing rate, correlation, VIF)', '没有变量通过筛选（IV、缺失率、相关性、VIF）');
  }
  const l2 = options.l2 ?? 1e-4 * ds.n;
  const fit = fitLogistic(selection.selected.map((f) => woe[f]!), ds.y, { l2 });
  const B = scalingFactor(scaling);
  const basePoints = scaling.points0 + B * Math.log(scaling.odds0) - B * fit.intercept;
  const variables: ScorecardVariable[] = selection.selected.map((f, j) => {
    const beta = fit.coefficients[j]!;
    const binning = binnings[f]!;
    return { feature: f, coefficient: beta, binning, points: binning.bins.map((bin) => (bin.count > 0 ? -B * beta * bin.woe : 0)) };
  });
  return {
    format: 'xiezhi.model',
    type: 'scorecard',
    features: selection.selected,
    target: ds.target,
    scaling,
    intercept: fit.intercept,
    basePoints,
    variables,
    fit: { iterations: fit.iterations, converged: fit.converged, gradientNorm: fit.gradientNorm, l2 },
    selection,
    iv,
  };
}

function pointsOf(v: ScorecardVariable, raw: unknown): number {
  const k = binIndex(v.binning, raw);
  if (k < 0) return 0;
  const bin = binAt(v.binning, k);
  if (!bin) return 0;
  return v.points[v.binning.bins.indexOf(bin)] ?? 0;
}

export interface ScorecardResult {
  score: number;
  probability: number;
  /** Points per feature. */
  points: Record<string, number>;
}

export function scoreRecord(m: ScorecardModel, features: Record<string, unknown>): ScorecardResult {
  let score = m.basePoints;
  const points: Record<string, number> = {};
  for (const v of m.variables) {
    const p = pointsOf(v, features[v.feature]);
    points[v.feature] = p;
    score += p;
  }
  return { score, probability: scoreToProbability(m.scaling, score), points };
}

export function scoreToProbability(s: Scaling, score: number): number {
  const B = scalingFactor(s);
  const logit = (s.points0 + B * Math.log(s.odds0) - score) / B;
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Reason codes: for each variable, the points it lost against its best bin (≥ 0, larger = riskier),
 * most costly first.
 */
export function scorecardReasons(m: ScorecardModel, features: Record<string, unknown>, top = 5): { feature: string; contribution: number }[] {
  const out: { feature: string; contribution: number }[] = [];
  for (const v of m.variables) {
    const best = Math.max(...v.points.filter((_, i) => v.binning.bins[i]!.count > 0));
    const lost = best - pointsOf(v, features[v.feature]);
    if (lost > 1e-9) out.push({ feature: v.feature, contribution: lost });
  }
  return out.sort((a, b) => b.contribution - a.contribution).slice(0, top);
}

export interface ScorecardRow {
  feature: string;
  bin: string;
  count: number;
  badRate: number;
  woe: number;
  iv: number;
  points: number;
}

/** The printable scorecard table (points rounded to integers as they are usually published). */
export function scorecardTable(m: ScorecardModel): { basePoints: number; rows: ScorecardRow[] } {
  const rows: ScorecardRow[] = [];
  for (const v of m.variables) {
    v.binning.bins.forEach((b, i) => rows.push({ feature: v.feature, bin: b.label, count: b.count, badRate: b.badRate, woe: b.woe, iv: b.iv, points: Math.round(v.points[i]!) }));
  }
  return { basePoints: Math.round(m.basePoints), rows };
}
