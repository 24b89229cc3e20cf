// Standard-mode language behaviour: operators, precedence, access, closures, templates, assignments, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, evaluateExpression as ev, ExpressionError } from '../../src/expression/index.js';

test('arithmetic follows ZEN precedence and decimal-like rounding', () => {
  assert.equal(ev('1 + 2 * 3', {}), 7);
  assert.equal(ev('2 ^ 3 ^ 2', {}), 512); // right-associative
  assert.equal(ev('-2 ^ 2', {}), 4); // prefix minus binds tighter than ^ in ZEN
  assert.equal(ev('10 % 4 + 7 / 2', {}), 5.5);
  assert.equal(ev('0.1 + 0.2 == 0.3', {}), true);
  assert.equal(ev('1.1 * 3', {}), 3.3);
  assert.equal(ev('0.3 - 0.1', {}), 0.2);
  assert.equal(ev('"a" + "b"', {}), 'ab');
  assert.equal(ev('2 / 3', {}), 0.6666666666666666); // real digits are kept
  assert.equal(ev('10 % 3.3', {}), 0.1);
  assert.equal(ev('1.0000001 - 1', {}), 1e-7);
  assert.equal(ev('x / 0', { x: 1 }), null); // ZEN: division by zero is null
});

test('logic: and/or short-circuit, not, ternary, nullish coalescing', () => {
  assert.equal(ev('false and missing.fn > 1', {}), false);
  assert.equal(ev('true or 1 / 0 > 1', {}), true);
  assert.equal(ev('not a and b', { a: false, b: true }), true);
  assert.equal(ev('"\\d+\\t"', {}), '\\d+\\t'); // no escape sequences in ZEN strings
  assert.equal(ev('x > 5 ? "big" : x > 2 ? "mid" : "small"', { x: 3 }), 'mid');
  assert.equal(ev('a.b ?? c ?? "d"', { c: null }), 'd');
  assert.equal(ev('true and 5', {}), 5); // the deciding operand's value, as in ZEN
  assert.equal(ev('false or "x"', {}), 'x');
  assert.equal(ev('a ?? 1', { a: 0 }), 0);
});

test('member and index access is null-propagating', () => {
  const input = { user: { contacts: [{ phone: '1' }, { phone: '2' }], tags: { vip: true } } };
  assert.equal(ev('user.contacts[1].phone', input), '2');
  assert.equal(ev('user.contacts[-1].phone', input), '2');
  assert.equal(ev("user['tags'].vip", input), true);
  assert.equal(ev('user.missing.deeper.still', input), null);
  assert.equal(ev('user.contacts[9].phone', input), null);
  assert.equal(ev('nothing', {}), null);
  assert.equal(ev('user.contacts[0].phone', null), null);
});

test('ranges, in and not in, slices', () => {
  assert.equal(ev('x in [1..10]', { x: 10 }), true);
  assert.equal(ev('x in [1..10)', { x: 10 }), false);
  assert.equal(ev('x in (1..10]', { x: 1 }), false);
  assert.equal(ev('x in [lo..hi]', { x: 5, lo: 1, hi: 5 }), true);
  assert.equal(ev('x not in ["US", "CA"]', { x: 'FR' }), true);
  assert.equal(ev('x in list', { x: 2, list: [1, 2] }), true);
  assert.equal(ev('x in [1..10]', { x: 'a' }), false);
  assert.deepEqual(ev('[1, 2, 3, 4][1:2]', {}), [2, 3]);
  assert.equal(ev('"hello"[1:]', {}), 'ello');
  assert.deepEqual(ev('map([1..3], # * 10)', {}), [10, 20, 30]);
});

test('closures with # and aliases, nested', () => {
  const input = { orders: [{ items: [{ qty: 1 }, { qty: 4 }] }, { items: [{ qty: 2 }] }] };
  assert.deepEqual(ev('map(orders as o, sum(map(o.items, #.qty)))', input), [5, 2]);
  assert.equal(ev('count(orders, some(#.items, #.qty > 3))', input), 1);
  assert.equal(ev('all([], # > 1)', {}), true);
  assert.equal(ev('one([1, 2, 3], # > 2)', {}), true);
  assert.deepEqual(ev('flatMap(orders, map(#.items, #.qty))', input), [1, 4, 2]);
  assert.throws(() => compileExpression('# > 1'), /'#' is only allowed inside a closure/);
});

test('object and array literals, templates, dynamic keys', () => {
  assert.deepEqual(ev('{a: 1, "b c": [x, x * 2], [k]: true}', { x: 2, k: 'dyn' }), { a: 1, 'b c': [2, 4], dyn: true });
  assert.equal(ev('`${n} items, total ${sum(xs)}`', { n: 2, xs: [1.5, 2] }), '2 items, total 3.5');
  assert.equal(ev('`nested ${`inner ${1 + 1}`}`', {}), 'nested inner 2');
});

test('assignments build a new object and never modify the input', () => {
  const input = { counter: 5, user: { name: 'A' } };
  assert.deepEqual(ev('counter = counter + 1; user.name = "B"', input), { counter: 6, user: { name: 'B' } });
  assert.deepEqual(input, { counter: 5, user: { name: 'A' } });
  assert.equal(ev('x = 2; y = x * 3; y', {}), 6);
  const nested = { a: { b: { c: 1 }, keep: true } };
  assert.deepEqual(ev('a.b.c = 2; a', nested), { b: { c: 2 }, keep: true });
  assert.deepEqual(nested, { a: { b: { c: 1 }, keep: true } });
  assert.throws(() => compileExpression('1 = 2'), /Invalid assignment target/);
});

test('library: strings, numbers, arrays, types', () => {
  assert.equal(ev('lower(trim("  AbC "))', {}), 'abc');
  assert.deepEqual(ev('extract("ab-12", "([a-z]+)-(\\d+)")', {}), ['ab-12', 'ab', '12']);
  assert.equal(ev('round(2.345, 2)', {}), 2.35);
  assert.equal(ev('trunc(-2.349, 2)', {}), -2.34);
  assert.equal(ev('mode([1, 2, 2, 3])', {}), 2);
  assert.equal(ev('median([1, 2, 3, 4])', {}), 2.5);
  assert.deepEqual(ev('flatten([[1], 2, [3, 4]])', {}), [1, 2, 3, 4]);
  assert.equal(ev('type(null)', {}), 'null');
  assert.equal(ev('type({})', {}), 'object');
  assert.equal(ev('len("獬豸")', {}), 2);
  assert.equal(ev('isNumeric("12a")', {}), false);
  assert.equal(ev('string(0.1 + 0.2)', {}), '0.3');
  assert.deepEqual(ev('fuzzyMatch(["hello", "help"], "hello")', {}), [1, 0.6]);
});

test('compile errors carry line, column, offset and the offending token', () => {
  const cases: [string, string, number, number, string][] = [
    ['(1 + 2))', "Unexpected token ')' at 1:8", 1, 8, ')'],
    ['a +\n  * 2', "Unexpected token '*' at 2:3", 2, 3, '*'],
    ['1 +', 'Unexpected end of expression at 1:4', 1, 4, ''],
    ['"open', 'Unterminated string at 1:1', 1, 1, '"open'],
    ['a @ b', "Unexpected character '@' at 1:3", 1, 3, '@'],
    ['nope(1)', "Unknown function 'nope' at 1:1", 1, 1, 'nope'],
    ['len()', 'len() takes 1 argument, got 0 at 1:1', 1, 1, 'len'],
    ["d().explode()", "Unknown method 'explode' at 1:1", 1, 1, 'explode'],
  ];
  for (const [src, message, line, column, token] of cases) {
    assert.throws(() => compileExpression(src), (e: unknown) => {
      assert.ok(e instanceof ExpressionError, src);
      assert.equal(e.message, message);
      assert.equal(e.line, line);
      assert.equal(e.column, column);
      assert.equal(e.token, token);
      return true;
    });
  }
});

test('evaluation errors are ExpressionErrors pointing at the operator or call', () => {
  assert.throws(() => ev('a + 1', {}), { name: 'ExpressionError', message: "Cannot apply '+' to null and number at 1:3" });
  assert.throws(() => ev('"a" + 1', {}), { message: "Cannot apply '+' to string and number at 1:5" });
  assert.throws(() => ev('x and true', {}), { message: "'and' expects a boolean, got null at 1:3" });
  assert.throws(() => ev('not x', {}), /'not' expects a boolean, got null/);
  assert.throws(() => ev('avg([])', {}), /avg\(\) of an empty array/);
  assert.throws(() => ev('string([1])', {}), /Cannot convert array to a string/);
  assert.throws(() => ev('upper(5)', {}), { message: 'upper() expects a string, got number at 1:1' });
  assert.throws(() => ev('map(x, #)', { x: 'str' }), { message: 'map() expects an array, got string at 1:1' });
  assert.throws(() => ev('number("12x")', {}), /number\(\) cannot convert/);
});

test('comparisons of mismatched or missing values are false, not errors', () => {
  assert.equal(ev('missing > 5', {}), false);
  assert.equal(ev('missing < 5', {}), false);
  assert.equal(ev('"b" > "a"', {}), true);
  assert.equal(ev('missing == null', {}), true);
  assert.equal(ev('[1, {a: 2}] == [1, {a: 2}]', {}), true);
});

test('compiled expressions are cached by source', () => {
  assert.equal(compileExpression('a + 1'), compileExpression('a + 1'));
  assert.notEqual(compileExpression('a + 1'), compileExpression('a + 2'));
});

test('errors also read in Chinese for the console editor', () => {
  const zh = (src: string, input?: unknown): string => {
    try {
      if (input === undefined) compileExpression(src);
      else ev(src, input);
    } catch (e) {
      assert.ok(e instanceof ExpressionError);
      return e.messageZh;
    }
    return assert.fail(`no error for ${src}`);
  };
  assert.equal(zh('(1 + 2))'), "意外的符号 ')'（第 1 行第 8 列）");
  assert.equal(zh('1 +'), '表达式意外结束（第 1 行第 4 列）');
  assert.equal(zh('nope(1)'), "未知函数 'nope'（第 1 行第 1 列）");
  assert.equal(zh('len()'), 'len() 需要 1 个参数，实际为 0 个（第 1 行第 1 列）');
  assert.equal(zh('a + 1', {}), "不能对 null 和 number 使用 '+'（第 1 行第 3 列）");
  assert.equal(zh('upper(1)', {}), 'upper() 需要 string，实际为 number（第 1 行第 1 列）');
  assert.equal(zh('('.repeat(300)), '表达式嵌套过深（上限 256）（第 1 行第 257 列）');
});
