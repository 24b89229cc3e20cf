import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectVariables, vif } from '../../src/models/selection.js';
import { rng } from '../../src/models/split.js';

function data(n = 5000) {
  const r = rng(11);
  const a = new Float64Array(n);
  const aTwin = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  const sum = new Float64Array(n);
  const weak = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r() - 0.5;
    aTwin[i] = a[i]! + (r() - 0.5) * 0.05;
    b[i] = r() - 0.5;
    c[i] = r() - 0.5;
    d[i] = r() - 0.5;
    sum[i] = b[i]! + c[i]! + d[i]! + (r() - 0.5) * 0.01; // collinear with b, c, d but not strongly with any one
    weak[i] = r() - 0.5;
    y[i] = r() < 1 / (1 + Math.exp(-(3 * a[i]! + 2 * b[i]! + 2 * c[i]! + 2 * d[i]!))) ? 1 : 0;
  }
  return { woe: { a, aTwin, b, c, d, sum, weak }, y };
}

test('selection drops by IV, missing rate, correlation (keeps higher IV) and VIF', () => {
  const { woe, y } = data();
  const iv = { a: 0.5, aTwin: 0.45, b: 0.2, c: 0.2, d: 0.2, sum: 0.6, weak: 0.001 };
  const miss = { a: 0, aTwin: 0, b: 0, c: 0, d: 0.97, sum: 0, weak: 0 };
  const r = selectVariables(woe, iv, miss, y);
  const why = Object.fromEntries(r.dropped.map((d) => [d.feature, d.reason]));
  assert.equal(why.weak, 'iv');
  assert.equal(why.d, 'missing');
  assert.equal(why.aTwin, 'correlation');
  assert.ok(r.selected.includes('a') && !r.selected.includes('aTwin'));
  // Without d's missing-rate drop, sum ≈ b + c + d is collinear: VIF removes one of them.
  const r2 = selectVariables(woe, iv, { ...miss, d: 0 }, y, { maxCorrelation: 0.95 });
  assert.ok(r2.dropped.some((x) => x.reason === 'vif'), JSON.stringify(r2.dropped));
  assert.ok(vif([woe.b, woe.c, woe.d, woe.sum], 3) > 100);
  assert.ok(vif([woe.a, woe.b], 0) < 1.1);
});

test('forward stepwise adds variables while AIC falls; backward removes the useless', () => {
  const { woe, y } = data();
  const sub = { a: woe.a, b: woe.b, weak: woe.weak };
  const iv = { a: 0.5, b: 0.2, weak: 0.05 };
  const miss = { a: 0, b: 0, weak: 0 };
  const fwd = selectVariables(sub, iv, miss, y, { stepwise: 'forward' });
  assert.deepEqual(fwd.selected, ['a', 'b']);
  assert.equal(fwd.dropped.find((d) => d.feature === 'weak')?.reason, 'stepwise');
  const bwd = selectVariables(sub, iv, miss, y, { stepwise: 'backward' });
  assert.deepEqual(bwd.selected.sort(), ['a', 'b']);
});
