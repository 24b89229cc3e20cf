// One model artifact type for everything we train or import, and a compiled predictor over it.
// `score` is what the decision engine sees: scorecard points (higher = safer) for scorecards, the
// probability of bad for tree ensembles and logistic regressions. `risk` is always "higher = riskier".
import { CompiledEnsemble, type EnsembleModel } from './ensemble.js';
import { scoreRecord, scorecardReasons, type ScorecardModel } from './scorecard.js';
import { scorePmmlScorecard, scoreRegression, importPmml, type PmmlScorecardModel, type RegressionModel } from './pmml.js';
import { importXgboostJson } from './import/xgboost.js';
import { importLightgbmText } from './import/lightgbm.js';
import { ModelError } from './errors.js';

export type ModelArtifact = ScorecardModel | EnsembleModel | PmmlScorecardModel | RegressionModel;

export interface Reason {
  feature: string;
  /** How much the feature pushed towards bad: lost points (scorecards) or SHAP log-odds (trees). */
  contribution: number;
}

export interface Prediction {
  score: number;
  /** Probability of bad, when the model defines one. */
  probability?: number;
  reasons?: Reason[];
}

export interface Predictor {
  readonly artifact: ModelArtifact;
  readonly features: readonly string[];
  /** Higher score means safer (scorecards) or riskier (probabilities). */
  readonly higherIsSafer: boolean;
  predict(features: Record<string, unknown>, reasons?: number): Prediction;
  /** Higher = riskier, for metrics. */
  risk(features: Record<string, unknown>): number;
}

export function compileModel(a: ModelArtifact): Predictor {
  if (!a || (a as { format?: string }).format !== 'xiezhi.model') {
    throw new ModelError('bad_model', 'not a Xiezhi model file (format must be "xiezhi.model"); use `xiezhi model import` for XGBoost/LightGBM/PMML files', '不是 Xiezhi 模型文件（format 必须为 "xiezhi.model"）；XGBoost/LightGBM/PMML 文件请先用 `xiezhi model import` 导入');
  }
  switch (a.type) {
    case 'scorecard':
      return {
        artifact: a,
        features: a.features,
        higherIsSafer: true,
        predict(x, top = 0) {
          const r = scoreRecord(a, x);
          return { score: r.score, probability: r.probability, ...(top > 0 ? { reasons: scorecardReasons(a, x, top) } : {}) };
        },
        risk: (x) => scoreRecord(a, x).probability,
      };
    case 'ensemble': {
      const c = new CompiledEnsemble(a);
      return {
        artifact: a,
        features: a.features,
        higherIsSafer: false,
        predict(x, top = 0) {
          const v = c.vector(x);
          const score = c.predictVector(v);
          return { score, ...(a.link === 'logistic' ? { probability: score } : {}), ...(top > 0 ? { reasons: c.reasons(v, top) } : {}) };
        },
        risk: (x) => c.predict(x),
      };
    }
    case 'pmml-scorecard':
      return {
        artifact: a,
        features: a.features,
        higherIsSafer: true,
        predict(x, top = 0) {
          const r = scorePmmlScorecard(a, x);
          return { score: r.score, ...(top > 0 ? { reasons: r.reasons.slice(0, top) } : {}) };
        },
        risk: (x) => -scorePmmlScorecard(a, x).score,
      };
    case 'regression':
      return {
        artifact: a,
        features: a.features,
        higherIsSafer: false,
        predict(x, top = 0) {
          const score = scoreRegression(a, x);
          const reasons: Reason[] = [];
          if (top > 0) {
            for (const p of a.numeric) {
              const c = p.coefficient * Math.pow(Number(x[p.field]), p.exponent);
              if (c > 0) reasons.push({ feature: p.field, contribution: c });
            }
            reasons.sort((q, r) => r.contribution - q.contribution);
          }
          return { score, ...(a.link === 'logistic' ? { probability: score } : {}), ...(top > 0 ? { reasons: reasons.slice(0, top) } : {}) };
        },
        risk: (x) => scoreRegression(a, x),
      };
    default:
      throw new ModelError('bad_model', `unknown model type "${(a as { type?: string }).type}"`, `未知的模型类型 "${(a as { type?: string }).type}"`);
  }
}

/** Detects the format of a model file's text and imports it (XGBoost JSON, LightGBM text, PMML, or ours). */
export function importModelText(text: string): ModelArtifact {
  const t = text.trimStart();
  if (t.startsWith('<')) return importPmml(text);
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ModelError('bad_model', `model file is not valid JSON: ${(err as Error).message}`, `模型文件不是合法的 JSON：${(err as Error).message}`);
    }
    if ((json as { format?: string }).format === 'xiezhi.model') return json as ModelArtifact;
    return importXgboostJson(json);
  }
  if (t.startsWith('tree')) return importLightgbmText(text);
  throw new ModelError('unsupported_model', 'unknown model format: expected XGBoost JSON, LightGBM text, PMML, or a Xiezhi model (ONNX: use loadOnnxModel)', '未知的模型格式：应为 XGBoost JSON、LightGBM 文本、PMML 或 Xiezhi 模型（ONNX 请用 loadOnnxModel）');
}
