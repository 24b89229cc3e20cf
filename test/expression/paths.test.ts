// Dependency analysis: the input paths a compiled expression reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, compileUnaryExpression } from '../../src/expression/index.js';

const paths = (src: string) => [...compileExpression(src).paths].sort();

test('member chains become dotted paths', () => {
  assert.deepEqual(paths('customer.age > 18 and features.card_1h < 5'), ['customer.age', 'features.card_1h']);
  assert.deepEqual(paths("x['y'].z"), ['x.y.z']);
  assert.deepEqual(paths('a.b ?? a.c'), ['a.b', 'a.c']);
  assert.deepEqual(paths('$root.features.x'), ['features.x']);
});

test('computed and numeric indexes stop the path at the last static segment', () => {
  assert.deepEqual(paths('items[i].x'), ['i', 'items']);
  assert.deepEqual(paths('items[0].price'), ['items']);
  assert.deepEqual(paths('m[k.name]'), ['k.name', 'm']);
  assert.deepEqual(paths('list[1:2]'), ['list']);
});

test('closure variables, aliases and $ are not input paths', () => {
  assert.deepEqual(paths('sum(map(txs as t, t.amount)) > limit'), ['limit', 'txs']);
  assert.deepEqual(paths('filter(items, #.price > min.price)'), ['items', 'min.price']);
  assert.deepEqual(paths('$ > 5 and $.x'), []);
  assert.deepEqual([...compileUnaryExpression('> features.limit').paths], ['features.limit']);
  assert.deepEqual([...compileUnaryExpression("'US','CA'").paths], []);
});

test('paths are collected everywhere: calls, templates, objects, ranges, methods, assignments', () => {
  assert.deepEqual(paths('`${user.name}`'), ['user.name']);
  assert.deepEqual(paths('{[k]: v.w}'), ['k', 'v.w']);
  assert.deepEqual(paths('x in [lo..hi.v]'), ['hi.v', 'lo', 'x']);
  assert.deepEqual(paths('d(event.time).isAfter(d(cutoff))'), ['cutoff', 'event.time']);
  assert.deepEqual(paths('total = order.amount * rate'), ['order.amount', 'rate']);
  assert.deepEqual(paths('flag ? a.b : c'), ['a.b', 'c', 'flag']);
  assert.deepEqual(paths('1 + 2'), []);
});

test('each path is listed once', () => {
  assert.deepEqual(compileExpression('a.b + a.b * a.b').paths, ['a.b']);
});
