import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDecision, DecisionValidationError, validateDecision, type DecisionIssue } from '../../src/decision/index.js';
import { chain, edge, exprNode, graph, input, output, switchNode, tableNode } from './helpers.js';

const find = (issues: DecisionIssue[], re: RegExp) => issues.find((i) => re.test(i.message));

test('a valid graph has no issues', () => {
  assert.deepEqual(validateDecision(chain(exprNode('e', [['a', '1']]))), []);
});

test('cycles are reported with the nodes on the cycle', () => {
  const g = graph([input(), exprNode('a', [['x', '1']]), exprNode('b', [['y', '2']])], [edge('in', 'a'), edge('a', 'b'), edge('b', 'a')]);
  const issue = find(validateDecision(g), /cycle/);
  assert.ok(issue, 'cycle reported');
  assert.match(issue.message, /'a' → 'b' → 'a'|'b' → 'a' → 'b'/);
  assert.throws(() => compileDecision(g), DecisionValidationError);
});

test('missing input node, extra input nodes and an output node nothing reaches', () => {
  const none = validateDecision(graph([exprNode('a', [['x', '1']])], []));
  assert.ok(find(none, /missing input node/));
  const two = validateDecision(graph([input('i1'), input('i2'), output()], [edge('i1', 'out'), edge('i2', 'out')]));
  assert.equal(find(two, /more than one input/)?.nodeId, 'i2');
  const lonelyOut = validateDecision(graph([input(), exprNode('a', [['x', '1']]), output()], [edge('in', 'a')]));
  assert.equal(find(lonelyOut, /output node has no incoming edge/)?.nodeId, 'out');
});

test('dangling edges name the edge field and the missing node', () => {
  const issues = validateDecision(graph([input(), output()], [edge('in', 'out'), edge('in', 'ghost')]));
  const issue = find(issues, /dangling/);
  assert.deepEqual({ nodeId: issue?.nodeId, field: issue?.field }, { nodeId: 'in', field: 'edges[1].targetId' });
  assert.match(issue!.message, /"ghost"/);
});

test('unknown node types, unknown customNode kinds and functionNode are rejected clearly', () => {
  const g = graph(
    [input(), { id: 'w', type: 'webhookNode', name: 'w' }, { id: 'f', type: 'functionNode', name: 'f', content: { source: 'export const handler = () => ({})' } }, { id: 'c', type: 'customNode', name: 'c', content: { kind: 'teleport', config: {} } }],
    [edge('in', 'w'), edge('in', 'f'), edge('in', 'c')],
  );
  const issues = validateDecision(g);
  assert.equal(find(issues, /unknown node type "webhookNode"/)?.nodeId, 'w');
  const fn = find(issues, /functionNode/);
  assert.match(fn?.messageZh ?? '', /不支持 functionNode/);
  assert.deepEqual({ nodeId: fn?.nodeId, field: fn?.field }, { nodeId: 'f', field: 'type' });
  const kind = find(issues, /unknown customNode kind 'teleport'/);
  assert.deepEqual({ nodeId: kind?.nodeId, field: kind?.field }, { nodeId: 'c', field: 'content.kind' });
  assert.match(kind!.message, /ruleSet/);
});

test('bad expressions name the node, the field and the line:col of the offending token', () => {
  const g = chain(
    exprNode('calc', [['ok', '1 + 1'], ['broken', 'amount * (rate +']]),
    tableNode('tbl', 'first', ['age'], ['band'], [['> > 5', '"x"']]),
    switchNode('sw', [['s1', 'a ==== b']]),
  );
  const issues = validateDecision(g);
  const e = issues.find((i) => i.nodeId === 'calc');
  assert.equal(e?.field, 'expressions[1].value');
  assert.match(e!.message, /1:\d+/);
  assert.match(e!.messageZh ?? '', /第 1 行第 \d+ 列/, 'a Chinese message for the console');
  const t = issues.find((i) => i.nodeId === 'tbl');
  assert.equal(t?.field, 'rules[0].i0');
  assert.match(t!.message, /bad expression `> > 5`.*1:\d+/);
  assert.equal(issues.find((i) => i.nodeId === 'sw')?.field, 'statements[0].condition');
});

test('switch edges must leave from a known statement; unreachable nodes are reported', () => {
  const g = graph(
    [input(), switchNode('s', [['yes', 'x > 1']]), exprNode('a', [['a', '1']]), exprNode('island', [['b', '2']])],
    [edge('in', 's'), edge('s', 'a', 'nope')],
  );
  const issues = validateDecision(g);
  assert.equal(find(issues, /not a branch/)?.field, 'edges[1].sourceHandle');
  assert.equal(find(issues, /not reachable/)?.nodeId, 'island');
});

test('decisionNode problems: no loader, unknown key, invalid sub-decision, recursion', () => {
  const dn = (key: string) => ({ id: 'd', type: 'decisionNode', name: 'd', content: { key } });
  assert.match(validateDecision(chain(dn('x')))[0]!.message, /no loader/);
  assert.match(validateDecision(chain(dn('x')), { loader: () => undefined })[0]!.message, /not found/);
  const broken = chain(exprNode('e', [['a', '(']]));
  assert.match(validateDecision(chain(dn('x')), { loader: () => broken })[0]!.message, /sub-decision 'x': e expressions\[0\]\.value/);
  const self = chain(dn('me'));
  assert.match(validateDecision(self, { loader: () => self })[0]!.message, /cycle: me → me|cycle/);
});

test('malformed input is an issue, never a crash', () => {
  for (const bad of ['not json', '[]', 'null', '{"nodes": 5, "edges": []}', JSON.stringify({ nodes: [null, { id: 7 }], edges: [42] })]) {
    const issues = validateDecision(bad);
    assert.ok(issues.length > 0, `issues for ${bad}`);
  }
  assert.throws(() => compileDecision('{"nodes":[],"edges":[]}'), (err: unknown) => err instanceof DecisionValidationError && err.issues.length > 0);
});

test('prototype keys cannot be written through output paths', () => {
  const issues = validateDecision(chain(exprNode('e', [['__proto__.polluted', '1']])));
  assert.match(issues[0]!.message, /not a usable dotted path/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
