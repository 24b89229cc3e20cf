// Unary tests (decision-table cells): implicit `$`, alternatives, ZEN's compare-with-reference rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUnaryExpression, evaluateUnaryExpression as un, ExpressionError } from '../../src/expression/index.js';

test('comparison cells put $ on the left', () => {
  assert.equal(un('> 5', { $: 6 }), true);
  assert.equal(un('> 5', { $: 5 }), false);
  assert.equal(un('<= limit', { $: 3, limit: 3 }), true);
  assert.equal(un('!= "x"', { $: 'y' }), true);
  assert.equal(un('> 5', { $: null }), false);
  assert.equal(un('> 5', {}), false);
});

test('ranges, lists and alternatives', () => {
  assert.equal(un('[0..10]', { $: 10 }), true);
  assert.equal(un('(0..10)', { $: 10 }), false);
  assert.equal(un("'US','CA'", { $: 'CA' }), true);
  assert.equal(un("'US','CA'", { $: 'FR' }), false);
  assert.equal(un("['US', 'CA']", { $: 'US' }), true); // an array means `$ in array`
  assert.equal(un('< 0, > 100', { $: 150 }), true);
  assert.equal(un('>= 18 and < 65', { $: 70 }), false);
  const many = Array.from({ length: 20 }, (_x, k) => `'c${k}'`).join(',');
  assert.equal(un(many, { $: 'c17' }), true);
  assert.equal(un(many, { $: 'c20' }), false);
});

test('values compare with $ by equality; boolean expressions stand alone', () => {
  assert.equal(un('5', { $: 5 }), true);
  assert.equal(un('"a"', { $: 'b' }), false);
  assert.equal(un('false', { $: false }), true); // `$ == false`, not the literal false
  assert.equal(un('bool("false")', { $: false }), true);
  assert.equal(un('contains($, "ell")', { $: 'hello' }), true); // bool function: not compared with $
  assert.equal(un('contains($, "zzz")', { $: 'hello' }), false);
  assert.equal(un('len($) > 3', { $: 'hello' }), true);
  assert.equal(un('some($, # > 10)', { $: [1, 20] }), true);
  assert.equal(un('x + 1', { $: 3, x: 2 }), true);
});

test('$ comes from the self argument when given (the table column value)', () => {
  const cell = compileUnaryExpression('> 5');
  assert.equal(cell.evaluate({ amount: 3 }, 9), true);
  assert.equal(cell.evaluate({ amount: 3, $: 9 }, 1), false);
  assert.equal(cell.evaluate({ $: 9 }), true);
  assert.equal(cell.mode, 'unary');
});

test('an empty cell matches anything', () => {
  assert.equal(un('', { $: 1 }), true);
  assert.equal(un('   ', {}), true);
});

test('invalid cells fail at compile time with a position', () => {
  assert.throws(() => compileUnaryExpression('> 5 xor < 3'), (e: unknown) => e instanceof ExpressionError && e.message === "Invalid join operator 'xor' at 1:5" && e.token === 'xor');
  assert.throws(() => compileUnaryExpression('>'), /Unexpected end of expression at 1:2/);
  assert.throws(() => compileUnaryExpression('[1..'), /Unexpected end of expression/);
});
