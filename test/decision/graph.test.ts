import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDecision, DecisionEvaluationError, evaluateDecision } from '../../src/decision/index.js';
import { chain, edge, exprNode, graph, input, output, switchNode, tableNode } from './helpers.js';

const NOW = '2025-08-19T16:55:02.078Z';

test('first-hit table: rows top to bottom, empty cells match anything, dotted outputs nest', () => {
  const g = chain(
    tableNode('t', 'first', ['age', 'country'], ['limit.amount', 'limit.tier'], [
      ['< 18', '', '0', '"none"'],
      ['[18..30]', '"US","CA"', '1000', '"young"'],
      ['', '', '500', ''],
    ]),
  );
  const d = compileDecision(g);
  assert.deepEqual(d.evaluate({ age: 10, country: 'US' }).result, { limit: { amount: 0, tier: 'none' } });
  assert.deepEqual(d.evaluate({ age: 25, country: 'CA' }).result, { limit: { amount: 1000, tier: 'young' } });
  // Empty output cells are left out, not written as null.
  assert.deepEqual(d.evaluate({ age: 25, country: 'FR' }).result, { limit: { amount: 500 } });
  assert.deepEqual(d.paths, ['age', 'country']);
});

test('first-hit table with no matching row yields {} ; collect yields every matching row in order', () => {
  const rows = [
    ['> 5', '"big"'],
    ['> 1', '"medium"'],
    ['> 10', '"huge"'],
  ];
  assert.deepEqual(evaluateDecision(chain(tableNode('t', 'first', ['x'], ['size'], rows)), { x: 0 }).result, {});
  const collect = compileDecision(chain(tableNode('t', 'collect', ['x'], ['size'], rows)));
  assert.deepEqual(collect.evaluate({ x: 7 }).result, [{ size: 'big' }, { size: 'medium' }]);
  assert.deepEqual(collect.evaluate({ x: 0 }).result, []);
});

test('`field[]` output columns collect across matching rows under first-hit; scalars come from the first row', () => {
  const g = chain(
    tableNode('t', 'first', ['score'], ['band', 'tags[]'], [
      ['> 80', '"A"', '"excellent"'],
      ['> 50', '"B"', '"good"'],
      ['> 90', '"A+"', '"top"'],
      ['< 0', '"X"', '"never"'],
    ]),
  );
  assert.deepEqual(evaluateDecision(g, { score: 95 }).result, { band: 'A', tags: ['excellent', 'good', 'top'] });
  assert.deepEqual(evaluateDecision(g, { score: 10 }).result, { tags: [] });
});

test('table columns without a field take standard boolean cells; a failing cell makes its row not match', () => {
  const g = chain(
    tableNode('t', 'first', [undefined], ['r'], [
      ['a.b.c > 1', '"deep"'],
      ['x > 1 and y < 3', '"both"'],
      ['', '"default"'],
    ]),
  );
  assert.deepEqual(evaluateDecision(g, { x: 2, y: 1 }).result, { r: 'both' });
  assert.deepEqual(evaluateDecision(g, { x: 0 }).result, { r: 'default' });
});

test('expression node: keys in order, `$` is the output built so far, dotted keys nest', () => {
  const g = chain(exprNode('e', [['sum', 'a + b'], ['twice', '$.sum * 2'], ['meta.label', '"s=" + string($.twice)']]));
  assert.deepEqual(evaluateDecision(g, { a: 1, b: 2 }).result, { sum: 3, twice: 6, meta: { label: 's=6' } });
});

test('passThrough merges the node output over its input, deeply; outputPath nests it; inputField narrows it', () => {
  const g = chain(
    exprNode('e', [['fullName', 'first + " " + last']], { inputField: 'customer', outputPath: 'customer', passThrough: true }),
  );
  const inputValue = { customer: { first: 'Li', last: 'Lei', age: 30 }, order: { id: 1 } };
  const before = JSON.stringify(inputValue);
  assert.deepEqual(evaluateDecision(g, inputValue).result, { customer: { first: 'Li', last: 'Lei', age: 30, fullName: 'Li Lei' }, order: { id: 1 } });
  assert.equal(JSON.stringify(inputValue), before, 'the caller input is never modified');
});

test('executionMode loop runs the node once per item of inputField', () => {
  const g = chain(tableNode('t', 'first', ['kind'], ['fee'], [['"a"', '1'], ['', '9']], { inputField: 'items', outputPath: 'fees', executionMode: 'loop' }));
  assert.deepEqual(evaluateDecision(g, { items: [{ kind: 'a' }, { kind: 'b' }] }).result, { fees: [{ fee: 1 }, { fee: 9 }] });
  assert.throws(() => evaluateDecision(g, { items: 5 }), (err: unknown) => err instanceof DecisionEvaluationError && err.nodeId === 't' && /expects an array/.test(err.message));
});

test('switch first follows only the first true statement; collect follows all; others are pruned', () => {
  const nodes = [
    input(),
    switchNode('s', [['big', 'amount > 100'], ['vip', 'vip == true'], ['else', '']]),
    exprNode('a', [['route', '"big"']]),
    exprNode('b', [['vipRoute', '"vip"']]),
    exprNode('c', [['fallback', 'true']]),
  ];
  const edges = [edge('in', 's'), edge('s', 'a', 'big'), edge('s', 'b', 'vip'), edge('s', 'c', 'else')];
  const first = compileDecision(graph(nodes, edges));
  assert.deepEqual(first.evaluate({ amount: 500, vip: true }).result, { route: 'big' });
  assert.deepEqual(first.evaluate({ amount: 5, vip: false }).result, { fallback: true });
  nodes[1] = switchNode('s', [['big', 'amount > 100'], ['vip', 'vip == true'], ['else', 'false']], 'collect');
  const collect = compileDecision(graph(nodes, edges));
  assert.deepEqual(collect.evaluate({ amount: 500, vip: true }).result, { route: 'big', vipRoute: 'vip' });
  // Nothing matches: the whole chain to the switch is pruned, as in ZEN.
  assert.deepEqual(collect.evaluate({ amount: 1, vip: false }).result, {});
});

test('several incoming edges merge (first edge listed wins); several leaves merge (later node wins)', () => {
  const nodes = [input(), exprNode('a', [['v', '"a"'], ['o.a', '1']]), exprNode('b', [['v', '"b"'], ['o.b', '2']]), exprNode('c', [['seen', 'v'], ['o', 'o']])];
  const joined = graph(nodes, [edge('in', 'a'), edge('in', 'b'), edge('a', 'c'), edge('b', 'c')]);
  assert.deepEqual(evaluateDecision(joined, {}).result, { seen: 'a', o: { a: 1, b: 2 } });
  const leaves = graph(nodes.slice(0, 3), [edge('in', 'a'), edge('in', 'b')]);
  assert.deepEqual(evaluateDecision(leaves, {}).result, { v: 'b', o: { a: 1, b: 2 } });
});

test('decisionNode runs a sub-decision from the loader, with transform attributes', () => {
  const sub = chain(exprNode('e', [['score', 'income / 1000']]));
  const main = chain({ id: 'd', type: 'decisionNode', name: 'sub', content: { key: 'scoring', passThrough: true, outputPath: 'sub' } });
  const d = compileDecision(main, { loader: (k) => (k === 'scoring' ? sub : undefined) });
  assert.deepEqual(d.evaluate({ income: 5000 }).result, { income: 5000, sub: { score: 5 } });
  assert.deepEqual(d.paths, ['income']);
  const traced = d.evaluate({ income: 5000 }, { trace: true });
  assert.ok(traced.trace?.d?.children?.e, 'the sub-decision trace is nested');
});

test('an expression that throws fails the evaluation with the node id and key', () => {
  const g = chain(exprNode('calc', [['x', 'date("not a date")']]));
  assert.throws(
    () => evaluateDecision(g, {}),
    (err: unknown) => err instanceof DecisionEvaluationError && err.nodeId === 'calc' && /expression 'x'/.test(err.message),
  );
});

test('the clock is injected: date functions see `now`', () => {
  const g = chain(exprNode('e', [['year', 'year(date())']]));
  assert.deepEqual(evaluateDecision(g, {}, { now: NOW }).result, { year: 2025 });
  assert.deepEqual(evaluateDecision(g, {}, { now: Date.parse('2030-01-01T00:00:00Z') }).result, { year: 2030 });
  assert.throws(() => evaluateDecision(g, {}, { now: 'yesterday-ish' }), /invalid 'now'/);
});

test('trace: per-node input, output, matched rows, order and time; personal data masked; absent when off', () => {
  const g = chain(tableNode('t', 'first', ['amount'], ['level'], [['> 100', '"high"'], ['', '"low"']], { passThrough: true }));
  const d = compileDecision(g);
  assert.equal(d.evaluate({ amount: 500 }).trace, undefined);
  const r = d.evaluate({ amount: 500, phone: '13812345678' }, { trace: true });
  const t = r.trace!.t!;
  assert.equal(t.kind, 'decisionTableNode');
  assert.deepEqual(t.matched, ['r1']);
  assert.equal(t.order, 1);
  assert.ok(t.micros >= 0);
  assert.deepEqual(t.output, { amount: 500, phone: '138****5678', level: 'high' });
  assert.equal((r.result as { phone: string }).phone, '13812345678', 'the result itself is not masked');
  assert.match(r.performance!, /µs|ms/);
});

test('paths lists every input path the graph reads, for feature selection', () => {
  const g = chain(
    tableNode('t', 'first', ['features.card_1h', 'applicant.age'], ['x'], [['> 3', '', '1']]),
    exprNode('e', [['y', 'features.device_users_7d + 1']]),
  );
  assert.deepEqual(compileDecision(g).paths, ['applicant.age', 'features.card_1h', 'features.device_users_7d']);
});

test('an output node fed by two branches merges them; unconnected graph text is accepted as JSON', () => {
  const g = graph([input(), exprNode('a', [['a', '1']]), exprNode('b', [['b', '2']]), output()], [edge('in', 'a'), edge('in', 'b'), edge('a', 'out'), edge('b', 'out')]);
  assert.deepEqual(compileDecision(JSON.stringify(g)).evaluate({}).result, { a: 1, b: 2 });
});

test('hostile input: "__proto__" keys stay data, deep nesting does not crash tracing', () => {
  const g = chain(exprNode('e', [['ok', 'true']], { passThrough: true }));
  const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as Record<string, unknown>;
  const r = evaluateDecision(g, hostile).result as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.equal((r as { polluted?: number }).polluted, undefined);
  assert.equal(({} as { polluted?: number }).polluted, undefined);
  let deep: unknown = 1;
  for (let i = 0; i < 20000; i++) deep = { d: deep };
  const traced = compileDecision(g).evaluate({ deep }, { trace: true });
  assert.equal((traced.result as { ok: boolean }).ok, true);
});

test('with an outputNode, side branches that reach no outputNode do not shape the result', () => {
  const g = graph([input(), exprNode('a', [['v', '"a"']]), output(), exprNode('side', [['w', '"side"']])], [edge('in', 'a'), edge('a', 'out'), edge('in', 'side')]);
  assert.deepEqual(evaluateDecision(g, {}).result, { v: 'a' });
  // When the switch prunes the only outputNode, the leaves that ran answer (ZEN fixture set-fee).
  const pruned = graph(
    [input(), switchNode('s', [['left', 'x > 0'], ['right', 'x <= 0']]), exprNode('l', [['side', '"left"']]), output()],
    [edge('in', 's'), edge('s', 'l', 'left'), edge('s', 'out', 'right')],
  );
  assert.deepEqual(evaluateDecision(pruned, { x: 1 }).result, { side: 'left' });
  assert.deepEqual(evaluateDecision(pruned, { x: -1 }).result, { x: -1 });
});

test('`$nodes` exposes earlier node outputs by name (also inside loops) and never leaks into results', () => {
  const g = graph(
    [
      { id: 'in', type: 'inputNode', name: 'request' },
      exprNode('limits', [['cap', 'tier == "gold" ? 100 : 10']]),
      tableNode('t', 'first', [undefined], ['over'], [['amount > $nodes.limits.cap and $nodes.request.country == "US"', 'true'], ['', 'false']], { inputField: 'items', executionMode: 'loop', outputPath: 'checked', passThrough: true }),
    ],
    [edge('in', 'limits'), edge('limits', 't'), edge('in', 't')],
  );
  const d = compileDecision(g);
  const r = d.evaluate({ tier: 'silver', country: 'US', items: [{ amount: 5 }, { amount: 50 }] }).result as Record<string, unknown>;
  assert.deepEqual(r.checked, [{ amount: 5, over: false }, { amount: 50, over: true }]);
  assert.equal(JSON.stringify(r).includes('$nodes'), false);
  assert.equal(d.paths.some((p) => p.startsWith('$nodes')), false);
});
