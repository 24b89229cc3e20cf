// Exports a trained scorecard as the decision engine's `scorecard` customNode (schema in
// src/decision/risk/scorecard.ts: characteristics of {id, expression, bins: [{min,max} | {values} |
// {missing: true}, points, label]}, basePoints, maxReasons). Bins keep exact points so the node's score
// equals scoreRecord's.
import type { JdmNode } from '../decision/types.js';
import type { ScorecardModel } from './scorecard.js';
import { ModelError } from './errors.js';

export interface ScorecardNodeOptions {
  id?: string;
  name?: string;
  /** Prefix for each feature's expression, e.g. "features." (default ""). */
  prefix?: string;
  /** Custom expression per feature (overrides prefix). */
  expressionFor?: (feature: string) => string;
  maxReasons?: number;
  position?: { x: number; y: number };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function scorecardNode(m: ScorecardModel, options: ScorecardNodeOptions = {}): JdmNode {
  const exprOf = options.expressionFor ?? ((f: string) => {
    if (!IDENT.test(f)) {
      throw new ModelError('bad_feature_name', `feature "${f}" is not a plain identifier; pass expressionFor to name its expression`, `特征 "${f}" 不是合法标识符；请通过 expressionFor 指定其表达式`);
    }
    return `${options.prefix ?? ''}${f}`;
  });
  const characteristics = m.variables.map((v) => {
    const bins: Record<string, unknown>[] = [];
    // Special values first: the node takes the first bin that holds the value.
    const order = v.binning.bins.map((b, i) => [b, i] as const).sort((a, b) => (a[0].kind === 'special' ? 0 : 1) - (b[0].kind === 'special' ? 0 : 1));
    for (const [b, i] of order) {
      const points = v.points[i]!;
      if (b.kind === 'missing') bins.push({ missing: true, points, label: b.label });
      else if (b.kind === 'special') bins.push({ values: [b.value], points, label: b.label });
      else if (b.kind === 'categories') bins.push({ values: b.categories, points, label: b.label });
      else bins.push({ min: b.lower ?? -Number.MAX_VALUE, ...(b.upper != null ? { max: b.upper } : {}), points, label: b.label });
    }
    return { id: v.feature, expression: exprOf(v.feature), bins, defaultPoints: 0, reasonCode: v.feature };
  });
  return {
    id: options.id ?? 'scorecard',
    type: 'customNode',
    name: options.name ?? 'scorecard',
    content: { kind: 'scorecard', config: { basePoints: m.basePoints, maxReasons: options.maxReasons ?? 4, characteristics } },
    ...(options.position ? { position: options.position } : {}),
  };
}
