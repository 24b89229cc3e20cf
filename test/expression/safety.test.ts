// Attacks tried against the expression language, each expected to fail cleanly (or read nothing):
//  1. prototype / constructor access by member, index and root name
//  2. prototype pollution through object literals, merge, mergeDeep and assignments
//  3. globals and host functions (process, globalThis, eval, Function, require, methods on strings)
//  4. functions and prototype getters hidden in the input
//  5. deep nesting of parentheses, prefixes, brackets, templates, operator chains and member chains
//  6. oversized source text
//  7. 10 MB input strings through every string function, incl. regex and fuzzy matching
//  8. catastrophic-backtracking and backreference regular expressions
//  9. huge ranges and nested closures (iteration budget)
// 10. deeply nested input data compared, merged or assigned around
// 11. numeric overflow
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, evaluateExpression as ev, ExpressionError } from '../../src/expression/index.js';

function rejects(source: string, input: unknown, pattern: RegExp): void {
  assert.throws(() => ev(source, input), (e: unknown) => {
    assert.ok(e instanceof ExpressionError, `${source.slice(0, 40)}: expected ExpressionError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('1. prototype and constructor are unreachable', () => {
  const input = { a: {}, arr: [1, 2], s: 'text' };
  for (const src of [
    'a.constructor', "a['constructor']", 'a.__proto__', "a['__proto__']", 'a.constructor.constructor', 'a.toString',
    'a.hasOwnProperty', "a['valueOf']", 'arr.length', 'arr.constructor', "arr['map']", 's.length', 'constructor',
    '__proto__', '$root.constructor', "$['constructor']", 'map([a], #.constructor)[0]', "{}['__proto__']",
  ]) {
    assert.equal(ev(src, input), null, src);
  }
});

test('2. prototype pollution is impossible', () => {
  const polluting = JSON.parse('{"x": {"__proto__": {"polluted": 1}}, "y": {"__proto__": {"polluted": 2}}}');
  ev('{__proto__: {polluted: 1}}', {});
  ev("{['__proto__']: {polluted: 1}}", {});
  ev('merge([{}, x])', polluting);
  ev('mergeDeep([x, y])', polluting);
  ev('__proto__.polluted = 1', {});
  ev('a.__proto__.polluted = 1', { a: {} });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  // The key survives as plain data.
  assert.deepEqual(Object.keys(ev('{__proto__: 1}', {}) as object), ['__proto__']);
});

test('3. no globals, no host functions', () => {
  for (const src of ['process', 'globalThis', 'window', 'require', 'Function', 'this']) assert.equal(ev(src, {}), null, src);
  for (const src of ['eval("1")', 'Function("return 1")', 'require("fs")', 'process.exit(1)', 'constructor("x")']) {
    assert.throws(() => compileExpression(src), ExpressionError, src);
  }
  assert.throws(() => compileExpression('"abc".constructor("x")'), /Unknown method 'constructor'/);
  assert.throws(() => compileExpression('a.toString()'), /Unknown method 'toString'/);
  rejects('d().toJSON()', {}, /Unknown method/);
});

test('4. functions and prototype getters in the input are never called', () => {
  let called = 0;
  class Host {
    get secret(): string {
      called++;
      return 'leaked';
    }
  }
  const input = { f: () => called++, h: new Host() };
  assert.equal(ev('f', input), null);
  assert.equal(ev('h.secret', input), null);
  assert.equal(ev('[f][0]', input), null);
  assert.equal(called, 0);
});

test('4b. member reads cached per load site still read own data properties only', () => {
  // More member reads than load sites (64), so sites are shared between keys and object shapes.
  let called = 0;
  class Host {
    get k3(): string {
      called++;
      return 'leaked';
    }
  }
  const keys = Array.from({ length: 150 }, (_x, i) => `k${i}`);
  const exprs = keys.map((k) => compileExpression(`o.${k}`));
  const plain = Object.fromEntries(keys.map((k, i) => [k, i]));
  const cases: [unknown, (i: number) => unknown][] = [
    [{ o: plain }, (i) => i],
    [{ o: Object.assign(Object.create(null), plain) }, (i) => i],
    [{ o: Object.create(plain) }, () => null], // inherited data is not own
    [{ o: new Host() }, () => null],
    [{ o: keys.map((_k, i) => i) }, () => null],
    [{ o: { k3: () => 1, k4: undefined, k5: null } }, () => null],
    [{ o: 'k3' }, () => null],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [input, want] of cases) exprs.forEach((e, i) => assert.equal(e.evaluate(input, undefined, {}), want(i), `${e.source} on case ${cases.findIndex((c) => c[0] === input)}`));
  }
  assert.equal(called, 0);
  const json = JSON.parse('{"o": {"__proto__": {"x": 1}, "toString": 5}}');
  assert.deepEqual(ev('o.__proto__', json), { x: 1 }, 'an own "__proto__" key from JSON is data');
  assert.equal(ev('o.toString', json), 5);
  assert.equal(ev('o.__proto__', { o: {} }), null);
});

test('5. deep nesting fails with a clear error, never a stack overflow', () => {
  const deep = [
    '('.repeat(10_000) + '1' + ')'.repeat(10_000),
    '-'.repeat(10_000) + '1',
    'not '.repeat(10_000) + 'true',
    '['.repeat(10_000) + ']'.repeat(10_000),
    '{a:'.repeat(10_000) + '1' + '}'.repeat(10_000),
    '`${'.repeat(10_000) + '1' + '}`'.repeat(10_000),
    '1' + '+1'.repeat(100_000),
    'a' + '.b'.repeat(10_000),
    'len('.repeat(10_000) + 'x' + ')'.repeat(10_000),
    'map(x, '.repeat(5_000) + '#' + ')'.repeat(5_000),
  ];
  for (const src of deep) {
    assert.throws(() => compileExpression(src), (e: unknown) => e instanceof ExpressionError && /nesting too deep/.test(e.message), src.slice(0, 20));
  }
  // Reasonable nesting still works.
  assert.equal(ev('('.repeat(100) + '1' + ')'.repeat(100), {}), 1);
  assert.equal(ev('1' + '+1'.repeat(500), {}), 501);
});

test('6. oversized source is refused', () => {
  assert.throws(() => compileExpression('a'.repeat(1_000_000)), /Expression too long: 1000000 characters/);
});

test('7. a 10 MB input string does not hang any string function', () => {
  const s = 'ab,'.repeat(3_500_000);
  const input = { s };
  const t0 = Date.now();
  assert.equal(ev('len(s)', input), s.length);
  assert.equal(ev('contains(s, "zz")', input), false);
  assert.equal(ev('startsWith(s, "ab") and endsWith(s, ",")', input), true);
  assert.equal(ev('len(upper(s))', input), s.length);
  assert.equal(ev('len(trim(s + " "))', input), s.length);
  assert.equal(ev('len(split(s, ","))', input), 3_500_001);
  assert.equal(ev('len(`${s}${s}`)', input), 2 * s.length);
  assert.equal(ev('s == s', input), true);
  rejects('matches(s, "a+b")', input, /String too long for a regular expression/);
  rejects('extract(s, "a")', input, /String too long for a regular expression/);
  rejects('fuzzyMatch(s, "abc")', input, /fuzzyMatch\(\) strings too long/);
  assert.ok(Date.now() - t0 < 10_000, 'string functions finished quickly');
});

test('8. regular expressions that could backtrack catastrophically are refused', () => {
  const input = { s: 'a'.repeat(40) + '!' };
  for (const pattern of ['(a+)+$', '(a|aa)*b', '(.*)*x', '(a*)*', '((ab)+)+', '(a|b)+c', '(x+x+)+y']) {
    rejects(`matches(s, "${pattern}")`, input, /quantified group/);
  }
  rejects('matches(s, "(a)\\\\1")', input, /Backreferences and lookaround/);
  rejects('matches(s, "a(?=b)")', input, /Backreferences and lookaround/);
  rejects('matches(s, "[")', input, /Invalid regular expression/);
  rejects(`matches(s, "${'a'.repeat(2000)}")`, input, /Regular expression too long/);
  assert.equal(ev('matches(s, "^a+!$")', input), true);
});

test('9. huge ranges and nested closures are bounded', () => {
  rejects('map([1..1e9], #)', {}, /Range too large to iterate: 1000000000 elements/);
  rejects('count((0..1e12), # > 1)', {}, /Range too large/);
  const t0 = Date.now();
  rejects('count([1..1000], count([1..1000], count([1..1000], # > 0)))', {}, /Too many closure iterations/);
  assert.ok(Date.now() - t0 < 10_000);
  // The budget resets per evaluation.
  const c = compileExpression('count([1..100000], # > 0)');
  for (let k = 0; k < 3; k++) assert.equal(c.evaluate({}), 100_000);
});

test('10. deeply nested input data is refused, not a stack overflow', () => {
  let deep: unknown = 1;
  let twin: unknown = 1;
  for (let k = 0; k < 100_000; k++) {
    deep = [deep];
    twin = [twin];
  }
  rejects('a == b', { a: deep, b: twin }, /nested too deep to compare/);
  // Assignments copy only what they write, so deep input is fine (and left untouched).
  assert.equal(ev('x = 1; len(a)', { a: deep }), 1);
  let obj: Record<string, unknown> = {};
  const root = obj;
  for (let k = 0; k < 100_000; k++) obj = obj.n = {};
  rejects('mergeDeep([a, a])', { a: root }, /nested too deep/);
});

test('11. numeric overflow is an error', () => {
  rejects('10 ^ 1000', {}, /Number overflow/);
});
