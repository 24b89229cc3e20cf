// What the console shows for a trained version, computed once at training time from the test split (and the
// train split for comparison) and stored with the version: ROC and KS curves, score distributions, the lift
// table, IV per candidate, the scorecard points table and GBDT gain importance.
import type { Dataset } from '../models/data.js';
import { rowRecord, subset } from '../models/data.js';
import { histogram, ksCurve, rocCurve, type DecileRow, type KsCurve, type RocCurve } from '../models/metrics.js';
import { compileModel } from '../models/model.js';
import { scorecardTable, type Scaling, type ScorecardRow } from '../models/scorecard.js';
import type { TrainResult } from '../models/pipeline.js';

export interface TrainingReport {
  target: string;
  rows: number;
  nTrain: number;
  nTest: number;
  /** Share of bad rows in the whole file. */
  badRate: number;
  testFraction: number;
  seed: number;
  /** What the distribution's values are: scorecard points (higher = safer) or the probability of bad. */
  scoreKind: 'points' | 'probability';
  /** Test split curves (the train ROC for comparison). */
  roc: RocCurve;
  rocTrain: RocCurve;
  ks: KsCurve;
  /** Score histograms on shared bins: counts of train rows, test rows, and test rows by outcome. */
  distribution: { edges: number[]; train: number[]; test: number[]; testGood: number[]; testBad: number[] };
  /** Lift and gain by score decile on the test split, riskiest first. */
  lift: DecileRow[];
  /** Scorecards: IV of every candidate, and whether selection kept it (and why not). */
  iv?: { feature: string; iv: number; selected: boolean; dropped?: string }[];
  scorecard?: { basePoints: number; scaling: Scaling; rows: ScorecardRow[]; fit: { iterations: number; converged: boolean } };
  /** Tree ensembles: total split gain per feature, largest first. */
  importance?: { feature: string; gain: number }[];
}

/** Scores as the decision engine sees them, per row of a part. */
function engineScores(result: TrainResult, ds: Dataset, rows: number[], risk: Float64Array): Float64Array {
  const p = compileModel(result.model);
  if (!p.higherIsSafer) return risk;
  const part = subset(ds, rows);
  const out = new Float64Array(part.n);
  for (let i = 0; i < part.n; i++) out[i] = p.predict(rowRecord(part, i)).score;
  return out;
}

export function trainingReport(ds: Dataset, result: TrainResult, split: { testFraction: number; seed: number }): TrainingReport {
  const yTrain = Uint8Array.from(result.split.train, (i) => ds.y[i]!);
  const yTest = Uint8Array.from(result.split.test, (i) => ds.y[i]!);
  const sTrain = engineScores(result, ds, result.split.train, result.risk.train);
  const sTest = engineScores(result, ds, result.split.test, result.risk.test);
  const good: number[] = [];
  const bad: number[] = [];
  for (let i = 0; i < sTest.length; i++) (yTest[i] ? bad : good).push(sTest[i]!);
  const h = histogram([sTrain, sTest, good, bad], 20);
  let nBad = 0;
  for (let i = 0; i < ds.n; i++) nBad += ds.y[i]!;
  const m = result.model;
  const report: TrainingReport = {
    target: ds.target,
    rows: ds.n,
    nTrain: yTrain.length,
    nTest: yTest.length,
    badRate: nBad / ds.n,
    testFraction: split.testFraction,
    seed: split.seed,
    scoreKind: m.type === 'scorecard' ? 'points' : 'probability',
    roc: rocCurve(yTest, result.risk.test),
    rocTrain: rocCurve(yTrain, result.risk.train),
    ks: ksCurve(yTest, result.risk.test),
    distribution: { edges: h.edges, train: h.counts[0]!, test: h.counts[1]!, testGood: h.counts[2]!, testBad: h.counts[3]! },
    lift: result.test.lift,
  };
  if (m.type === 'scorecard') {
    const dropped = new Map((m.selection?.dropped ?? []).map((d) => [d.feature, `${d.reason}: ${d.detail}`]));
    const selected = new Set(m.features);
    report.iv = Object.entries(m.iv ?? {})
      .map(([feature, iv]) => ({ feature, iv, selected: selected.has(feature), ...(dropped.has(feature) ? { dropped: dropped.get(feature)! } : {}) }))
      .sort((a, b) => b.iv - a.iv);
    const t = scorecardTable(m);
    report.scorecard = { basePoints: t.basePoints, scaling: m.scaling, rows: t.rows, fit: { iterations: m.fit.iterations, converged: m.fit.converged } };
  } else if (m.type === 'ensemble' && m.importance) {
    report.importance = Object.entries(m.importance)
      .map(([feature, gain]) => ({ feature, gain }))
      .sort((a, b) => b.gain - a.gain);
  }
  return report;
}
