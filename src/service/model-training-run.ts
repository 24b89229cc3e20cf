// One training run of the console's "train a new version": CSV bytes in, a model with its metrics and chart
// report out, progress reported as it goes. Runs inside a worker thread (model-training-worker.ts) so the
// service's event loop stays free; kept free of worker APIs so tests can call it directly.
import { datasetFromCsv, subset, type Dataset } from '../models/data.js';
import { decodeCsvBytes } from '../lists/csv.js';
import { fitBinning, type BinMethod, type VariableBinning } from '../models/binning.js';
import { ModelError } from '../models/errors.js';
import { compileModel, type ModelArtifact } from '../models/model.js';
import { trainModel, trainingMetrics, type TrainProgress } from '../models/pipeline.js';
import { stratifiedSplit } from '../models/split.js';
import { trainingReport, type TrainingReport } from './model-training-report.js';
import type { PreparedVersion } from './models.js';

export interface TrainingRequest {
  modelId: string;
  type: 'scorecard' | 'gbdt';
  target: string;
  /** Raw target values meaning bad / good (defaults as in loadCsv: 1/0, bad/good, yes/no ...). */
  bad?: string[];
  good?: string[];
  /** Columns that are not features (ids, dates). */
  drop?: string[];
  testFraction?: number;
  seed?: number;
  binning?: BinMethod;
  maxBins?: number;
  trees?: number;
  depth?: number;
  learningRate?: number;
}

/** Below these the metrics are noise: refuse the file instead of registering a meaningless version. */
export const MIN_ROWS = 100;
export const MIN_PER_CLASS = 20;

export interface Text {
  en: string;
  zh: string;
}

export type TrainingMessage =
  | { kind: 'accepted'; dataset: { rows: number; features: number; badRate: number; fingerprint: string } }
  | { kind: 'progress'; stage: string; percent: number; message?: Text }
  | { kind: 'done'; version: PreparedVersion };

export interface TrainingOutput {
  model: ModelArtifact;
  features: string[];
  binning?: VariableBinning[];
  fingerprint: string;
  metrics: Record<string, number | string>;
  report: TrainingReport;
}

/**
 * The version as the registry stores it, serialised here (in the worker): the main thread then only inserts
 * the text. Checks that the model compiles, as a save through the API would.
 */
export function preparedVersion(out: TrainingOutput, req: TrainingRequest, meta: { author: string; description?: string }): PreparedVersion {
  compileModel(out.model);
  const v = {
    id: req.modelId,
    type: out.model.type,
    features: out.features,
    ...(out.binning ? { binning: out.binning } : {}),
    fingerprint: out.fingerprint,
    metrics: out.metrics,
    author: meta.author,
    ...(meta.description ? { description: meta.description } : {}),
    report: out.report,
    model: out.model,
  };
  return { id: v.id, type: v.type, author: v.author, metrics: v.metrics, json: JSON.stringify(v) };
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Parses and checks the file; every problem is a ModelError with both languages (the caller's fault: 4xx). */
export function trainingDataset(bytes: Uint8Array, req: TrainingRequest): Dataset {
  const text = decodeCsvBytes(bytes);
  const ds = datasetFromCsv(text, {
    target: req.target,
    ...(req.bad?.length ? { bad: req.bad } : {}),
    ...(req.good?.length ? { good: req.good } : {}),
    ...(req.drop?.length ? { drop: req.drop } : {}),
  });
  if (ds.columns.length === 0) throw new ModelError('no_features', 'the CSV has no feature columns besides the target', 'CSV 中除目标列外没有特征列');
  let bad = 0;
  for (let i = 0; i < ds.n; i++) bad += ds.y[i]!;
  const good = ds.n - bad;
  if (ds.n < MIN_ROWS || bad < MIN_PER_CLASS || good < MIN_PER_CLASS) {
    throw new ModelError(
      'too_few_rows',
      `too few rows to train and test a model: ${ds.n} rows (${bad} bad, ${good} good); need at least ${MIN_ROWS} rows and ${MIN_PER_CLASS} of each class`,
      `样本太少，无法训练和验证模型：共 ${ds.n} 行（坏样本 ${bad}，好样本 ${good}）；至少需要 ${MIN_ROWS} 行，且好坏样本各至少 ${MIN_PER_CLASS} 个`,
    );
  }
  return ds;
}

/** Trains on an already checked dataset, reporting progress; returns what the registry stores. */
export async function trainOnDataset(ds: Dataset, req: TrainingRequest, emit: (m: TrainingMessage) => void): Promise<TrainingOutput> {
  const testFraction = req.testFraction ?? 0.3;
  const seed = req.seed ?? 42;
  const progress = (stage: string, percent: number, message?: Text) => emit({ kind: 'progress', stage, percent: Math.round(percent * 10) / 10, ...(message ? { message } : {}) });
  const split = stratifiedSplit(ds.y, testFraction, seed);
  progress('split', 8, { en: `split ${split.train.length} training and ${split.test.length} test rows (stratified, seed ${seed})`, zh: `分层抽样：训练集 ${split.train.length} 行，测试集 ${split.test.length} 行（种子 ${seed}）` });

  let binnings: Record<string, VariableBinning> | undefined;
  const binningOptions = { ...(req.binning ? { method: req.binning } : {}), ...(req.maxBins ? { maxBins: req.maxBins } : {}) };
  if (req.type === 'scorecard') {
    // Bins one variable at a time (as trainScorecard would) so each one can be reported.
    const train = subset(ds, split.train);
    binnings = {};
    const cols = train.columns;
    for (let k = 0; k < cols.length; k++) {
      const b = fitBinning(cols[k]!, train.y, binningOptions);
      binnings[cols[k]!.name] = b;
      progress('binning', 10 + (60 * (k + 1)) / cols.length, { en: `binned ${b.feature}: ${b.bins.length} bins, IV ${b.iv.toFixed(3)}`, zh: `已分箱 ${b.feature}：${b.bins.length} 箱，IV ${b.iv.toFixed(3)}` });
    }
    progress('fitting', 72, { en: 'selecting variables and fitting the logistic regression', zh: '变量筛选与逻辑回归拟合' });
  }
  let lastBoost = 0;
  const result = await trainModel(ds, {
    type: req.type,
    split,
    worker: false,
    scorecard: { binning: binningOptions, ...(binnings ? { binnings } : {}) },
    gbdt: {
      ...(req.trees ? { nEstimators: req.trees } : {}),
      ...(req.depth ? { maxDepth: req.depth } : {}),
      ...(req.learningRate ? { learningRate: req.learningRate } : {}),
    },
    onProgress: (p: TrainProgress) => {
      if (p.stage === 'boosting' && p.iteration && p.total) {
        const pct = 10 + (75 * p.iteration) / p.total;
        // One message per tenth of the trees; the percentage moves every round.
        const tenth = Math.floor((10 * p.iteration) / p.total);
        const message = tenth > lastBoost || p.iteration === 1 ? { en: `tree ${p.iteration}/${p.total}, training log loss ${p.trainLoss?.toFixed(4)}`, zh: `第 ${p.iteration}/${p.total} 棵树，训练集对数损失 ${p.trainLoss?.toFixed(4)}` } : undefined;
        lastBoost = tenth;
        progress('boosting', pct, message);
      } else if (p.stage === 'evaluating') progress('evaluating', 88, { en: 'scoring the training and test rows', zh: '对训练集和测试集打分' });
    },
  });
  progress('report', 94, { en: `test AUC ${result.test.auc.toFixed(4)}, KS ${result.test.ks.toFixed(4)}; computing curves`, zh: `测试集 AUC ${result.test.auc.toFixed(4)}，KS ${result.test.ks.toFixed(4)}；计算曲线` });
  const report = trainingReport(ds, result, { testFraction, seed });
  const m = result.model;
  const metrics = { ...trainingMetrics(result, req.type), badRate: r4(report.badRate) };
  return {
    model: m,
    features: [...m.features],
    ...(m.type === 'scorecard' ? { binning: m.variables.map((v) => v.binning) } : {}),
    fingerprint: ds.fingerprint,
    metrics,
    report,
  };
}
