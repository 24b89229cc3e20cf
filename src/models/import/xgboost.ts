// XGBoost JSON model import (Booster.save_model('model.json'), XGBoost ≥ 1.0): gbtree boosters with
// numeric splits and binary:logistic / reg:logistic / binary:logitraw objectives.
import type { EnsembleModel, TreeArrays } from '../ensemble.js';
import { ModelError } from '../errors.js';

interface XgbTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: (number | boolean)[];
  base_weights: number[];
  sum_hessian: number[];
  split_type?: number[];
}

const unsupported = (what: string): never => {
  throw new ModelError('unsupported_model', `unsupported XGBoost model: ${what}`, `不支持的 XGBoost 模型：${what}`);
};

export function importXgboostJson(json: unknown): EnsembleModel {
  const learner = (json as { learner?: Record<string, unknown> })?.learner;
  if (!learner || typeof learner !== 'object') unsupported('no "learner" object (is this an XGBoost JSON model?)');
  const l = learner as {
    learner_model_param?: { base_score?: string; num_class?: string; num_feature?: string };
    objective?: { name?: string };
    feature_names?: string[];
    gradient_booster?: { name?: string; model?: { trees?: XgbTree[]; tree_info?: number[] } };
  };
  const booster = l.gradient_booster;
  if (booster?.name !== 'gbtree') unsupported(`booster "${booster?.name ?? 'none'}" (only gbtree)`);
  const objective = l.objective?.name ?? '';
  const link: 'logistic' | 'identity' = objective === 'binary:logistic' || objective === 'reg:logistic' ? 'logistic' : objective === 'binary:logitraw' ? 'identity' : unsupported(`objective "${objective}" (binary:logistic, reg:logistic, binary:logitraw)`);
  if (Number(l.learner_model_param?.num_class ?? 0) > 1) unsupported('multi-class models');
  const nFeat = Number(l.learner_model_param?.num_feature ?? 0);
  const features = l.feature_names?.length ? l.feature_names : Array.from({ length: nFeat }, (_, i) => `f${i}`);
  const baseScore = Number(l.learner_model_param?.base_score ?? 0.5);
  // For logistic objectives base_score is a probability; the margin starts at its logit.
  const baseMargin = link === 'logistic' ? Math.log(baseScore / (1 - baseScore)) : baseScore;
  const trees: TreeArrays[] = (booster!.model?.trees ?? []).map((t, ti) => {
    if (t.split_type?.some((s) => s !== 0)) unsupported(`categorical splits (tree ${ti})`);
    const n = t.left_children.length;
    const feature: number[] = [];
    for (let i = 0; i < n; i++) feature.push(t.left_children[i] === -1 ? -1 : t.split_indices[i]!);
    return {
      feature,
      threshold: feature.map((f, i) => (f >= 0 ? t.split_conditions[i]! : 0)),
      left: t.left_children.map((c) => Math.max(c, 0)),
      right: t.right_children.map((c) => Math.max(c, 0)),
      defaultLeft: t.default_left.map((d) => (d ? 1 : 0)),
      // Leaves keep their value in split_conditions (base_weights is the unscaled weight).
      value: feature.map((f, i) => (f < 0 ? t.split_conditions[i]! : 0)),
      cover: t.sum_hessian,
    };
  });
  if (trees.length === 0) unsupported('no trees');
  return { format: 'xiezhi.model', type: 'ensemble', source: 'xgboost', features, trees, baseMargin, decision: 'lt', link, float32: true, training: { objective } };
}
