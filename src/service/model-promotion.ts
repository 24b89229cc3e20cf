// "Promote a model version to a strategy": a new draft of the strategy where every `model` node reading that
// model is pinned to the version and, for scorecards, a chosen `scorecard` node gets the version's exported
// bins and points. Pure graph rewriting; the route stores the draft and records the change.
import { ModelError } from '../models/errors.js';
import { scorecardNode } from '../models/export-node.js';
import type { ModelVersion } from '../models/registry.js';
import type { ScorecardModel } from '../models/scorecard.js';

export interface PromoteOptions {
  /** Id of a `scorecard` node whose content is replaced by the version's scorecard (scorecard models only). */
  scorecardNode?: string;
  /**
   * Expression prefix for features the node does not already read (e.g. "data." or "features."). Default: the
   * prefix the node's current characteristics share, else "data.".
   */
  prefix?: string;
}

export interface PromoteChanges {
  /** `model` nodes now pinned to the version, with the version they had before (null = latest). */
  modelNodes: { id: string; name?: string; from: number | null }[];
  scorecardNode?: { id: string; name?: string; characteristics: number };
}

type Node = { id: string; type?: string; name?: string; content?: { kind?: string; config?: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const kindOf = (n: Node): string | undefined => (n.type === 'customNode' && isObj(n.content) ? n.content.kind : undefined);

/** The prefix every existing characteristic expression shares ("data.age", "data.income" → "data."). */
function sharedPrefix(characteristics: unknown): string | undefined {
  if (!Array.isArray(characteristics)) return undefined;
  const prefixes = new Set<string>();
  for (const c of characteristics) {
    const m = isObj(c) && typeof c.expression === 'string' ? /^((?:[A-Za-z_$][\w$]*\.)+)[A-Za-z_$][\w$]*$/.exec(c.expression.trim()) : null;
    if (m) prefixes.add(m[1]!);
  }
  return prefixes.size === 1 ? [...prefixes][0] : undefined;
}

export function promoteIntoGraph(graph: unknown, v: ModelVersion, opts: PromoteOptions = {}): { graph: Record<string, unknown>; changes: PromoteChanges } {
  if (!isObj(graph) || !Array.isArray(graph.nodes)) {
    throw new ModelError('bad_strategy', 'the strategy draft is not a decision graph (no nodes)', '策略草稿不是决策图（没有节点）');
  }
  const draft = structuredClone(graph) as Record<string, unknown> & { nodes: Node[] };
  const changes: PromoteChanges = { modelNodes: [] };
  for (const n of draft.nodes) {
    if (kindOf(n) !== 'model' || !isObj(n.content!.config) || n.content!.config.modelId !== v.id) continue;
    const cfg = n.content!.config;
    changes.modelNodes.push({ id: n.id, ...(n.name ? { name: n.name } : {}), from: typeof cfg.version === 'number' ? cfg.version : null });
    cfg.version = v.version;
  }
  if (opts.scorecardNode !== undefined) {
    if (v.model.type !== 'scorecard') {
      throw new ModelError('not_a_scorecard', `${v.id} version ${v.version} is a ${v.type} model: only a scorecard can replace a scorecard node`, `${v.id} 第 ${v.version} 版是 ${v.type} 模型，只有评分卡才能替换评分卡节点`);
    }
    const node = draft.nodes.find((n) => n.id === opts.scorecardNode);
    if (!node || kindOf(node) !== 'scorecard') {
      throw new ModelError('no_matching_node', `the strategy has no scorecard node "${opts.scorecardNode}"`, `策略中没有评分卡节点 "${opts.scorecardNode}"`);
    }
    const old = isObj(node.content!.config) ? node.content!.config : {};
    // A characteristic the node already has keeps its expression and reason code (the user mapped them).
    const known = new Map<string, string>();
    const codes = new Map<string, unknown>();
    if (Array.isArray(old.characteristics)) {
      for (const c of old.characteristics) {
        if (!isObj(c) || typeof c.id !== 'string') continue;
        if (typeof c.expression === 'string') known.set(c.id, c.expression);
        if (c.reasonCode !== undefined) codes.set(c.id, c.reasonCode);
      }
    }
    const prefix = opts.prefix ?? sharedPrefix(old.characteristics) ?? 'data.';
    const exported = scorecardNode(v.model as ScorecardModel, {
      expressionFor: (f) => {
        const e = known.get(f);
        if (e) return e;
        if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(f)) {
          throw new ModelError('bad_feature_name', `feature "${f}" is not a plain identifier: add a characteristic with id "${f}" and its expression to the node first`, `特征 "${f}" 不是合法标识符：请先在节点中添加 id 为 "${f}" 的特征项并填写表达式`);
        }
        return `${prefix}${f}`;
      },
      ...(typeof old.maxReasons === 'number' ? { maxReasons: old.maxReasons } : {}),
    });
    const cfg = (exported.content as { config: Record<string, unknown> }).config;
    for (const c of cfg.characteristics as Record<string, unknown>[]) if (codes.has(c.id as string)) c.reasonCode = codes.get(c.id as string);
    node.content = { ...node.content, kind: 'scorecard', config: { ...old, ...cfg, source: { modelId: v.id, version: v.version } } };
    changes.scorecardNode = { id: node.id, ...(node.name ? { name: node.name } : {}), characteristics: (cfg.characteristics as unknown[]).length };
  }
  if (changes.modelNodes.length === 0 && !changes.scorecardNode) {
    throw new ModelError(
      'no_matching_node',
      `the strategy has no model node using "${v.id}"${v.model.type === 'scorecard' ? ' (choose a scorecard node to replace instead)' : ''}`,
      `策略中没有使用模型 "${v.id}" 的模型节点${v.model.type === 'scorecard' ? '（也可以选择一个评分卡节点来替换）' : ''}`,
    );
  }
  return { graph: draft, changes };
}
