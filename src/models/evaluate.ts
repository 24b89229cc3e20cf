// Scoring a dataset with any compiled model, and the evaluation report (AUC, KS, Gini, lift, PSI).
import { rowRecord, type Dataset } from './data.js';
import { evaluate, liftTable, psi, type DecileRow, type Metrics } from './metrics.js';
import type { Predictor } from './model.js';
import { ModelError } from './errors.js';

export function checkFeatures(p: Predictor, ds: Dataset): void {
  const have = new Set(ds.columns.map((c) => c.name));
  const missing = p.features.filter((f) => !have.has(f));
  if (missing.length) {
    throw new ModelError('missing_features', `the data lacks the model's features: ${missing.join(', ')}`, `数据缺少模型所需特征：${missing.join(', ')}`);
  }
}

/** Risk per row (higher = riskier). */
export function riskScores(p: Predictor, ds: Dataset): Float64Array {
  checkFeatures(p, ds);
  const out = new Float64Array(ds.n);
  for (let i = 0; i < ds.n; i++) out[i] = p.risk(rowRecord(ds, i));
  return out;
}

export interface EvaluationReport extends Metrics {
  lift: DecileRow[];
}

export function evaluateScores(y: Uint8Array, risk: Float64Array, probabilities: boolean): EvaluationReport {
  return { ...evaluate(y, risk, probabilities), lift: liftTable(y, risk) };
}

export { psi };
