// Pass-through nodes in a chain hand their fresh output object to the next node, which may add its result in
// place instead of copying (see src/decision/nodes/transform.ts, Ownership). These tests pin down that this
// never shows: the caller's input is untouched, fan-out branches do not see each other, traces see each node's
// own input, and results equal the traced run (where the hand-over is off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileDecision, type JdmGraph } from '../../src/decision/index.js';
import { sampleInputs } from '../../bench/engine/pre-loan.js';
import { customNode, edge, exprNode, graph, input, output, tableNode } from './helpers.js';

const strategy = JSON.parse(readFileSync(new URL('../../bench/engine/pre-loan-strategy.json', import.meta.url), 'utf8')) as JdmGraph;

const rules = { rules: [{ id: 'R1', condition: 'x > 1', score: 10 }] };
const card = { characteristics: [{ id: 'x', expression: 'x', bins: [{ min: 0, max: 5, points: 1 }, { min: 5, points: 2 }] }] };

test('a pass-through chain leaves the caller input untouched and answers as the traced run', () => {
  const d = compileDecision(strategy);
  for (const sample of sampleInputs(60, 3)) {
    const before = JSON.stringify(sample);
    const plain = d.evaluate(sample).result;
    assert.equal(JSON.stringify(sample), before, 'input unchanged');
    assert.deepEqual(plain, d.evaluate(sample, { trace: true }).result);
  }
});

test('fan-out: two branches of one pass-through node never see each other', () => {
  const g = graph(
    [
      input(),
      customNode('a', 'ruleSet', rules, { passThrough: true, outputPath: 'a' }),
      customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' }),
      exprNode('c', [['bSeen', 'b != null'], ['aSeen', 'a != null']]),
      output('out1'),
      output('out2'),
    ],
    [edge('in', 'a'), edge('a', 'b'), edge('b', 'out1'), edge('a', 'c'), edge('c', 'out2')],
  );
  const r = compileDecision(g).evaluate({ x: 3 }).result as Record<string, unknown>;
  assert.equal(r.bSeen, false);
  assert.equal(r.aSeen, true);
  assert.equal((r.b as { score: number }).score, 1);
});

test('traced node inputs show what each node received, not what later nodes added', () => {
  const g = graph(
    [
      input(),
      customNode('a', 'ruleSet', rules, { passThrough: true, outputPath: 'a' }),
      customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' }),
      tableNode('t', 'first', ['b.score'], ['grade'], [['> 1', '"A"'], ['', '"B"']], { passThrough: true }),
      output(),
    ],
    [edge('in', 'a'), edge('a', 'b'), edge('b', 't'), edge('t', 'out')],
  );
  const d = compileDecision(g);
  const { result, trace } = d.evaluate({ x: 9 }, { trace: true });
  assert.deepEqual(Object.keys(trace!.b!.input as object).sort(), ['a', 'x']);
  assert.deepEqual(Object.keys(trace!.t!.input as object).sort(), ['a', 'b', 'x']);
  assert.deepEqual(result, d.evaluate({ x: 9 }).result);
  assert.equal((result as { grade: string }).grade, 'A');
});

test('a table whose output cell returns its input is never written into', () => {
  const g = graph(
    [
      input(),
      customNode('a', 'ruleSet', rules, { passThrough: true, outputPath: 'a' }),
      tableNode('t', 'first', ['x'], ['copy'], [['> 0', '$root']], { passThrough: true }),
      output(),
    ],
    [edge('in', 'a'), edge('a', 't'), edge('t', 'out')],
  );
  const r = compileDecision(g).evaluate({ x: 2 }).result as Record<string, unknown>;
  const copy = r.copy as Record<string, unknown>;
  assert.equal(copy.x, 2);
  assert.equal(Object.hasOwn(copy, 'copy'), false, 'no cycle: the copied input does not contain itself');
  JSON.stringify(r);
});
