// Decision-table cell fast paths and scorecard binning must answer exactly as the generic evaluation does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUnaryExpression } from '../../src/expression/index.js';
import { CELL_SLOW, fastTest, unaryShape } from '../../src/decision/nodes/cells.js';
import { compileDecision } from '../../src/decision/index.js';
import { chain, customNode, tableNode } from './helpers.js';

const values: unknown[] = [null, undefined, true, false, '', 'US', 'us', 'CA', '5', 0, -0, 1, 4.5, 5, 9.999, 10, 10.5, 700, 720, 759.99, 760, 1e9, -1e9, NaN, Infinity, -Infinity, [5], { x: 5 }];

test('unary cell shapes agree with the compiled cell on every kind of value', () => {
  const cells = ['> 5', '>= 5', '< 10', '<= 10', '5', '[5..10]', '(5..10)', '[5..10)', '(5..10]', '[720..760)', '< 640', '"US"', '"US","CA"', '"US", "CA"', "'US'", '> -3.5', '[-1..1]'];
  let specialised = 0;
  for (const src of cells) {
    const expr = compileUnaryExpression(src);
    const shape = unaryShape(src, expr);
    if (shape.op !== CELL_SLOW) specialised++;
    for (const v of values) {
      const fast = fastTest(shape, v);
      if (fast === undefined) continue;
      assert.equal(fast, expr.evaluate({}, v, {}) === true, `${src} on ${String(v)}`);
    }
  }
  assert.ok(specialised >= 14, `most shapes are specialised (${specialised})`);
});

test('scorecard reasons: ranked by points lost, ties in characteristic order, capped at maxReasons', () => {
  // Six characteristics with equal and different losses; a reference ranking computed the slow way.
  const chars = [3, 7, 3, 9, 7, 1].map((best, i) => ({ id: `c${i}`, expression: `v${i}`, reasonCode: `R${i}`, bins: [{ min: 0, max: 1, points: best }, { min: 1, points: 0 }] }));
  for (const maxReasons of [0, 1, 2, 3, 4, 6, 10]) {
    const d = compileDecision(chain(customNode('sc', 'scorecard', { basePoints: 0, maxReasons, characteristics: chars })));
    for (let mask = 0; mask < 64; mask++) {
      const input: Record<string, number> = {};
      chars.forEach((_, i) => (input[`v${i}`] = (mask >> i) & 1 ? 5 : 0.5));
      const r = d.evaluate(input).result as { reasons: { code: string; score: number }[] };
      const expected = chars
        .map((c, i) => ({ code: c.reasonCode, score: (mask >> i) & 1 ? c.bins[0]!.points : 0 }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, maxReasons);
      assert.deepEqual(r.reasons, expected, `mask ${mask}, maxReasons ${maxReasons}`);
    }
  }
});

test('table outputs at nested paths are built fresh per evaluation', () => {
  const d = compileDecision(chain(tableNode('t', 'first', ['x'], ['offer.limit', 'offer.apr', 'hasOwnProperty.x'], [['> 1', '10', '0.1', '1'], ['', '5', '0.2', '2']])));
  const a = d.evaluate({ x: 2 }).result as { offer: { limit: number; apr: number }; hasOwnProperty: { x: number } };
  assert.deepEqual(a, { offer: { limit: 10, apr: 0.1 }, hasOwnProperty: { x: 1 } });
  a.offer.limit = 99;
  assert.deepEqual(d.evaluate({ x: 2 }).result, { offer: { limit: 10, apr: 0.1 }, hasOwnProperty: { x: 1 } });
  // A path through another column's leaf still copies before writing.
  const e = compileDecision(chain(tableNode('t', 'first', ['x'], ['o', 'o.b'], [['', 'x', '2']])));
  const inner = { a: 1 };
  assert.deepEqual(e.evaluate({ x: inner }).result, { o: { a: 1, b: 2 } });
  assert.deepEqual(inner, { a: 1 });
});
