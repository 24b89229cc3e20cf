// Small builders for graphs in tests.
import type { JdmEdge, JdmGraph, JdmNode } from '../../src/decision/index.js';

export const input = (id = 'in'): JdmNode => ({ id, type: 'inputNode', name: id });
export const output = (id = 'out'): JdmNode => ({ id, type: 'outputNode', name: id });
export const edge = (sourceId: string, targetId: string, sourceHandle?: string): JdmEdge => ({
  id: `${sourceId}->${targetId}${sourceHandle ? `:${sourceHandle}` : ''}`,
  sourceId,
  targetId,
  ...(sourceHandle ? { sourceHandle } : {}),
});

export function exprNode(id: string, pairs: [string, string][], extra: Record<string, unknown> = {}): JdmNode {
  return { id, type: 'expressionNode', name: id, content: { expressions: pairs.map(([key, value], i) => ({ id: `${id}-${i}`, key, value })), ...extra } };
}

/** A table with one input column per `fields` entry (undefined = no field) and output columns by field path. */
export function tableNode(
  id: string,
  hitPolicy: 'first' | 'collect',
  fields: (string | undefined)[],
  outputs: string[],
  rows: string[][],
  extra: Record<string, unknown> = {},
): JdmNode {
  return {
    id,
    type: 'decisionTableNode',
    name: id,
    content: {
      hitPolicy,
      inputs: fields.map((f, i) => ({ id: `i${i}`, name: `in${i}`, ...(f === undefined ? {} : { field: f }) })),
      outputs: outputs.map((f, i) => ({ id: `o${i}`, name: `out${i}`, field: f })),
      rules: rows.map((cells, r) => {
        const rule: Record<string, string> = { _id: `r${r + 1}` };
        fields.forEach((_, i) => (rule[`i${i}`] = cells[i] ?? ''));
        outputs.forEach((_, i) => (rule[`o${i}`] = cells[fields.length + i] ?? ''));
        return rule;
      }),
      ...extra,
    },
  };
}

export function switchNode(id: string, statements: [string, string][], hitPolicy: 'first' | 'collect' = 'first'): JdmNode {
  return { id, type: 'switchNode', name: id, content: { hitPolicy, statements: statements.map(([sid, condition]) => ({ id: sid, condition })) } };
}

export function customNode(id: string, kind: string, config: unknown, extra: Record<string, unknown> = {}): JdmNode {
  return { id, type: 'customNode', name: id, content: { kind, config, ...extra } };
}

export const graph = (nodes: JdmNode[], edges: JdmEdge[]): JdmGraph => ({ nodes, edges });

/** input → node → output */
export const chain = (...nodes: JdmNode[]): JdmGraph => {
  const all = [input(), ...nodes, output()];
  return graph(all, all.slice(1).map((n, i) => edge(all[i]!.id, n.id)));
};
