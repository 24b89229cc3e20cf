// The node examples in docs/risk-nodes.md must stay valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileDecision, validateDecision, type JdmNode } from '../../src/decision/index.js';
import { edge, graph, input, output } from './helpers.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/risk-nodes.md', import.meta.url)), 'utf8');
const hosts = { lists: { lookup: () => [] }, models: { predict: () => ({ score: 0.1 }) } };

test('every customNode example in docs/risk-nodes.md validates', () => {
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  const nodes = blocks.filter((b) => b.type === 'customNode') as unknown as JdmNode[];
  assert.deepEqual(nodes.map((n) => (n.content as { kind: string }).kind).sort(), ['abSplit', 'decision', 'list', 'model', 'ruleSet', 'scorecard']);
  for (const node of nodes) {
    const kind = (node.content as { kind: string }).kind;
    const extra: JdmNode[] = kind === 'abSplit' ? [{ id: 'c1', type: 'outputNode', name: 'c1' }, { id: 'c2', type: 'outputNode', name: 'c2' }] : [output()];
    const edges = kind === 'abSplit' ? [edge('in', node.id), edge(node.id, 'c1', 'champion'), edge(node.id, 'c2', 'challenger')] : [edge('in', node.id), edge(node.id, 'out')];
    const g = graph([input(), node, ...extra], edges);
    assert.deepEqual(validateDecision(g, hosts), [], kind);
    compileDecision(g, hosts).evaluate({ applicant: { age: 30, housing: 'rent' }, features: { loan_apps_7d: 3 }, rules: { totalScore: 40, hits: [], reasons: [] }, scorecard: { score: 545, reasons: [] }, subject: { userId: 'u1', phone: '13812345678' } });
  }
});
