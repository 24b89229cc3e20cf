// Output liveness (src/decision/liveness.ts): risk nodes leave out result fields that no later node and not the
// graph result can read. These tests pin down that this never shows: every way a later node can observe a
// field (the field itself, the whole result object, `$root`, `$nodes`, the graph output) gets the same answer
// as the traced run, which always builds everything, and traces keep the full detail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileDecision, type JdmGraph, type JdmNode } from '../../src/decision/index.js';
import { sampleInputs } from '../../bench/engine/pre-loan.js';
import { chain, customNode, edge, exprNode, graph, input, output, switchNode, tableNode } from './helpers.js';

const strategy = JSON.parse(readFileSync(new URL('../../bench/engine/pre-loan-strategy.json', import.meta.url), 'utf8')) as JdmGraph;

const rules = {
  rules: [
    { id: 'R1', condition: 'x > 1', score: 10, reasonCode: 'X_HIGH', tags: ['t'] },
    { id: 'R2', condition: 'x > 5', score: 30 },
  ],
};
const card = {
  basePoints: 100,
  characteristics: [
    { id: 'x', expression: 'x', bins: [{ min: 0, max: 5, points: 1 }, { min: 5, points: 20 }] },
    { id: 'y', expression: 'y', bins: [{ values: ['a'], points: 9 }, { missing: true, points: 0 }] },
  ],
};
const verdict = { score: 'a.totalScore', thresholds: { review: 10, reject: 40 }, rules: [{ id: 'F1', when: 'x > 8', decision: 'review' }], reasons: ['a.reasons', 'b.reasons'] };

/** ruleSet a → scorecard b → decision v, each pass-through, then a non-pass-through response node. */
function riskChain(response: [string, string][], extra: JdmNode[] = []): JdmGraph {
  return chain(
    customNode('a', 'ruleSet', rules, { passThrough: true, outputPath: 'a' }),
    customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' }),
    customNode('v', 'decision', verdict, { passThrough: true, outputPath: 'v' }),
    ...extra,
    exprNode('resp', response),
  );
}

const samples = [{ x: 0 }, { x: 3, y: 'a' }, { x: 7 }, { x: 9, y: 'b' }];

function sameAsTraced(g: JdmGraph): unknown[] {
  const d = compileDecision(g);
  return samples.map((s) => {
    const plain = d.evaluate(s).result;
    assert.deepEqual(plain, d.evaluate(s, { trace: true }).result, JSON.stringify(s));
    return plain;
  });
}

test('only the read fields: same results as with every field built', () => {
  const out = sameAsTraced(riskChain([['decision', 'v.decision'], ['score', 'b.score'], ['total', 'a.totalScore']]));
  assert.deepEqual(out[3], { decision: 'reject', score: 120, total: 40 });
});

test('a later node reading the detail fields gets them', () => {
  const out = sameAsTraced(
    riskChain([
      ['pts', 'map(b.characteristics, #.points)'],
      ['hitIds', 'map(a.hits, #.id)'],
      ['flags', 'v.flags'],
      ['first', 'b.characteristics[0].bin'],
    ]),
  ) as Record<string, unknown>[];
  assert.deepEqual(out[3], { pts: [20, 0], hitIds: ['R1', 'R2'], flags: ['F1'], first: '[5, +∞)' });
  assert.deepEqual(out[1], { pts: [1, 9], hitIds: ['R1'], flags: [], first: '[0, 5)' });
});

test('a later node reading the whole result object, $root or the graph output sees every field', () => {
  const whole = sameAsTraced(riskChain([['card', 'b'], ['hits', 'a'], ['v', 'v']])) as Record<string, Record<string, unknown>>[];
  assert.deepEqual(Object.keys(whole[2]!.card!).sort(), ['basePoints', 'characteristics', 'reasons', 'score']);
  assert.equal((whole[2]!.hits!.hits as unknown[]).length, 2);
  assert.deepEqual(whole[3]!.v!.flags, ['F1']);

  const root = sameAsTraced(riskChain([['n', 'len($root.b.characteristics)'], ['f', '$root.v.flags']])) as Record<string, unknown>[];
  assert.deepEqual(root[3], { n: 2, f: ['F1'] });

  // No cutting node: the graph output is the pass-through object itself.
  const exposed = compileDecision(
    chain(customNode('a', 'ruleSet', rules, { passThrough: true, outputPath: 'a' }), customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' })),
  ).evaluate({ x: 7 }).result as Record<string, Record<string, unknown>>;
  assert.deepEqual(exposed.b!.characteristics, [
    { id: 'x', points: 20, bin: '[5, +∞)', lost: 0 },
    { id: 'y', points: 0, bin: 'missing', lost: 9 },
  ]);
  assert.equal((exposed.a!.hits as unknown[]).length, 2);
});

test('$nodes, switches, and pass-through nodes writing the same key keep every field', () => {
  const viaNodes = sameAsTraced(riskChain([['n', 'len($nodes.b.b.characteristics)']])) as Record<string, unknown>[];
  assert.deepEqual(viaNodes[0], { n: 2 });

  // A switch forwards its input; the branch reaches an output node directly.
  const g = graph(
    [input(), customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' }), switchNode('s', [['hi', 'b.score > 110'], ['lo', '']]), exprNode('r', [['s', 'b.score']]), output()],
    [edge('in', 'b'), edge('b', 's'), edge('s', 'r', 'hi'), edge('s', 'out', 'lo')],
  );
  const d = compileDecision(g);
  assert.equal(((d.evaluate({ x: 1 }).result as Record<string, Record<string, unknown>>).b!.characteristics as unknown[]).length, 2);
  assert.deepEqual(d.evaluate({ x: 9, y: 'a' }).result, { s: 129 });

  // A pass-through table writing under the scorecard's key merges into it: the merged object is read whole.
  const merged = sameAsTraced(
    chain(
      customNode('b', 'scorecard', card, { passThrough: true, outputPath: 'b' }),
      tableNode('t', 'first', ['b.score'], ['b.grade'], [['> 110', '"A"'], ['', '"B"']], { passThrough: true }),
      exprNode('r', [['b', 'b']]),
    ),
  ) as Record<string, Record<string, unknown>>[];
  assert.deepEqual(Object.keys(merged[0]!.b!).sort(), ['basePoints', 'characteristics', 'grade', 'reasons', 'score']);
});

test('traces keep the full detail of every risk node', () => {
  const d = compileDecision(riskChain([['decision', 'v.decision']]));
  const { trace } = d.evaluate({ x: 9 }, { trace: true });
  const out = (id: string, key: string) => (trace![id]!.output as Record<string, Record<string, unknown>>)[key]!;
  assert.equal((out('b', 'b').characteristics as unknown[]).length, 2);
  assert.deepEqual(trace!.b!.matched, ['x:[5, +∞)', 'y:missing']);
  assert.deepEqual((out('a', 'a').hits as { id: string }[]).map((h) => h.id), ['R1', 'R2']);
  assert.deepEqual(out('v', 'v').flags, ['F1']);
});

test('the pre-loan strategy answers as the traced run, whose trace holds the scorecard detail', () => {
  const d = compileDecision(strategy);
  for (const sample of sampleInputs(80, 7)) {
    const traced = d.evaluate(sample, { trace: true });
    assert.deepEqual(d.evaluate(sample).result, traced.result);
    const sc = (traced.trace!.scorecard!.output as Record<string, Record<string, unknown>>).scorecard!;
    assert.ok(Array.isArray(sc.characteristics) && sc.characteristics.length > 0);
    assert.ok(Array.isArray((traced.trace!.decision!.output as Record<string, Record<string, unknown>>).verdict!.flags));
  }
});
