import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from '../../src/expression/index.js';
import { BatchFailure, ExpressionBatch, specialize } from '../../src/decision/fast.js';

const sources = ['a', 'a.b', 'a.b.c', 'a.list', 'a.obj', 'a.d', 'a.b > 3', 'a.b >= 3.5', 'a.b < -1', 'a.b <= 0', 'a.b == 2', 'a.b != 2', 'a.flag == true', 'a.flag != false', 'a.s == "x"', "a.s != 'x'", 'a.s == ""', 'a.toString', 'a.valueOf > 1', 'hasOwnProperty == true', 'a.s in ["x", "y"]', "a.s in ['x','']", 'a.b in [1, 2, 3.5]', 'a.b in [-1]'];
const inputs: unknown[] = [
  {},
  { a: null },
  { a: 5 },
  { a: { b: 3 } },
  { a: { b: 4, flag: true, s: 'x' } },
  { a: { b: '3', flag: 'true', s: 5 } },
  { a: { b: null, flag: null, s: null } },
  { a: { b: { c: 1 } } },
  { a: { b: [1, 2] } },
  { a: { b: -2, flag: false, s: '' } },
  { a: { list: [1, { x: 2 }], obj: { y: null }, d: new Date(0), b: undefined } },
  { a: Object.assign(Object.create(null), { list: ['x'], obj: {} }) },
  { a: { list: () => 1, obj: Symbol('s') } },
  Object.assign(Object.create({ a: { b: 9 } }), {}),
  null,
  [1, 2],
];

test('the fast paths give exactly what the compiled expression gives', () => {
  for (const src of sources) {
    const slow = compileExpression(src);
    const fast = specialize(slow);
    assert.notEqual(fast, slow, `${src} is specialised`);
    for (const input of inputs) {
      let expected: unknown;
      let expectedErr = false;
      try {
        expected = slow.evaluate(input, undefined, {});
      } catch {
        expectedErr = true;
      }
      if (expectedErr) assert.throws(() => fast.evaluate(input, undefined, {}), `${src} on ${JSON.stringify(input)} throws`);
      else assert.deepEqual(fast.evaluate(input, undefined, {}), expected, `${src} on ${JSON.stringify(input)}`);
    }
  }
});

test('other shapes, reserved words and prototype keys are left to the compiled expression', () => {
  for (const src of ['a.b + 1', 'true', 'null', 'a.constructor', 'a.b in [1, "x"]', 'a.b in []', 'a.b > "x"', 'len(a) > 1', '$.x == 1', 'a.b == 1 and c']) {
    const slow = compileExpression(src);
    assert.equal(specialize(slow), slow, src);
  }
});

test('ExpressionBatch answers exactly as each expression does, failures included', () => {
  const exprs = [...sources, 'a.s in ["x", "y"]', 'a.b in [1, 2]', 'a.b + 1', 'len(a) > 1', 'a.b + "x"'].map((src) => specialize(compileExpression(src)));
  const batch = new ExpressionBatch(exprs);
  const out: unknown[] = [];
  for (const input of inputs) {
    batch.evaluateAll(input, { now: 0 }, out);
    exprs.forEach((e, i) => {
      let expected: unknown;
      let threw = false;
      try {
        expected = e.evaluate(input, undefined, {});
      } catch {
        threw = true;
      }
      if (threw) assert.ok(out[i] instanceof BatchFailure, `${e.source} on ${JSON.stringify(input)} reports the failure`);
      else assert.deepEqual(out[i], expected, `${e.source} on ${JSON.stringify(input)}`);
    });
  }
});

test('ExpressionBatch.evaluateFired lists exactly the expressions that are true, in order, and the failures', () => {
  const exprs = [...sources, 'a.b + "x" > 1', 'len(a) > 1', 'a.b + 1 == 4'].map((src) => specialize(compileExpression(src)));
  const batch = new ExpressionBatch(exprs);
  const fired = new Int32Array(exprs.length);
  const failures: unknown[] = new Array(exprs.length).fill(undefined);
  let sawTrue = false;
  let sawFailure = false;
  for (const input of inputs) {
    const expected: number[] = [];
    exprs.forEach((e, i) => {
      try {
        if (e.evaluate(input, undefined, {}) === true) expected.push(i);
      } catch {
        expected.push(-(i + 1));
      }
    });
    const count = batch.evaluateFired(input, { now: 0 }, fired, failures);
    assert.deepEqual([...fired.subarray(0, count)], expected, JSON.stringify(input));
    for (const i of expected) {
      if (i >= 0) sawTrue = true;
      else {
        sawFailure = true;
        assert.ok(failures[-i - 1] instanceof BatchFailure);
      }
    }
  }
  assert.ok(sawTrue && sawFailure, 'the inputs exercise both');
});

test('path fast paths stay exact with more paths than load sites (shared sites see several keys and shapes)', () => {
  const paths: string[] = [];
  for (let i = 0; i < 90; i++) paths.push(i % 3 === 0 ? `k${i}` : `g${i % 7}.f${i}`);
  const pairs = paths.map((p) => [compileExpression(p), specialize(compileExpression(p))] as const);
  const data: unknown[] = [];
  for (let j = 0; j < 6; j++) {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 90; i += j + 1) {
      o[`k${i}`] = i * j;
      const g = (o[`g${i % 7}`] ??= j === 3 ? Object.create(null) : {}) as Record<string, unknown>;
      g[`f${i}`] = j % 2 ? `s${i}` : i;
    }
    data.push(o);
  }
  for (let round = 0; round < 3; round++)
    for (const input of data)
      pairs.forEach(([slow, fast], i) => assert.deepEqual(fast.evaluate(input, undefined, { now: 0 }), slow.evaluate(input, undefined, { now: 0 }), paths[i]));
});
