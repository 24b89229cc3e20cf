// The end-to-end training run used by the CLI, the bench and the service: split, train, evaluate.
import { subset, type Dataset } from './data.js';
import { stratifiedSplit, type Split } from './split.js';
import { trainScorecard, type ScorecardOptions } from './scorecard.js';
import { trainGbdt, type GbdtOptions, type GbdtProgress } from './gbdt/train.js';
import { trainGbdtInWorker } from './gbdt/run.js';
import { compileModel, type ModelArtifact } from './model.js';
import { evaluateScores, riskScores, type EvaluationReport } from './evaluate.js';
import { psi } from './metrics.js';

export interface TrainProgress {
  stage: 'split' | 'binning' | 'boosting' | 'evaluating' | 'done';
  iteration?: number;
  total?: number;
  trainLoss?: number;
  validLoss?: number;
}

export interface TrainOptions {
  type: 'scorecard' | 'gbdt';
  scorecard?: ScorecardOptions;
  gbdt?: GbdtOptions;
  /** Explicit split (e.g. outOfTimeSplit); otherwise stratified with testFraction/seed. */
  split?: Split;
  testFraction?: number;
  seed?: number;
  /** Train GBDT in a worker thread (default true; false when the caller already is one). */
  worker?: boolean;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainResult {
  model: ModelArtifact;
  train: EvaluationReport;
  test: EvaluationReport;
  /** PSI of test scores against train scores. */
  psi: number;
  trainSeconds: number;
  /** The rows each part used (indices into the dataset). */
  split: Split;
  /** Risk per row (higher = riskier) of each part, aligned with split.train / split.test: for curves and histograms. */
  risk: { train: Float64Array; test: Float64Array };
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The summary a trained version is registered and printed with (CLI `--json`, the service's model jobs). */
export function trainingMetrics(result: TrainResult, type: string): Record<string, number | string> {
  return {
    type,
    auc: r4(result.test.auc),
    ks: r4(result.test.ks),
    gini: r4(result.test.gini),
    ...(result.test.logLoss !== undefined ? { logLoss: r4(result.test.logLoss) } : {}),
    trainAuc: r4(result.train.auc),
    trainKs: r4(result.train.ks),
    psi: r4(result.psi),
    nTrain: result.train.n,
    nTest: result.test.n,
    features: result.model.features.length,
    trainSeconds: Math.round(result.trainSeconds * 1000) / 1000,
  };
}

export async function trainModel(ds: Dataset, o: TrainOptions): Promise<TrainResult> {
  o.onProgress?.({ stage: 'split' });
  const split = o.split ?? stratifiedSplit(ds.y, o.testFraction ?? 0.3, o.seed ?? 42);
  const train = subset(ds, split.train);
  const test = subset(ds, split.test);
  const t0 = performance.now();
  let model: ModelArtifact;
  if (o.type === 'scorecard') {
    o.onProgress?.({ stage: 'binning' });
    model = trainScorecard(train, o.scorecard);
  } else {
    let input = { columns: train.columns, y: train.y, target: ds.target } as Parameters<typeof trainGbdt>[0];
    if (o.gbdt?.earlyStoppingRounds) {
      // Early stopping watches a slice of the training part, never the test part.
      const inner = stratifiedSplit(train.y, 0.2, (o.seed ?? 42) + 1);
      const fit = subset(train, inner.train);
      const valid = subset(train, inner.test);
      input = { columns: fit.columns, y: fit.y, valid: { columns: valid.columns, y: valid.y }, target: ds.target };
    }
    const onp = (p: GbdtProgress): void => o.onProgress?.({ stage: 'boosting', ...p });
    model = o.worker === false ? trainGbdt(input, o.gbdt, onp) : await trainGbdtInWorker(input, o.gbdt, onp);
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  o.onProgress?.({ stage: 'evaluating' });
  const p = compileModel(model);
  const rTrain = riskScores(p, train);
  const rTest = riskScores(p, test);
  const probs = model.type === 'scorecard' || model.type === 'ensemble';
  const result = { model, train: evaluateScores(train.y, rTrain, probs), test: evaluateScores(test.y, rTest, probs), psi: psi(rTrain, rTest), trainSeconds, split, risk: { train: rTrain, test: rTest } };
  o.onProgress?.({ stage: 'done' });
  return result;
}
