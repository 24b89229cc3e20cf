import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitBinning, editBinning, woeFor, woeColumn } from '../../src/models/binning.js';
import type { Column } from '../../src/models/data.js';
import { rng } from '../../src/models/split.js';

// Bad probability rises with x, with a bump in the middle that monotonic enforcement must merge away.
function synth(n = 4000, seed = 3): { col: Column; y: Uint8Array } {
  const r = rng(seed);
  const v = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = Math.floor(r() * 100);
    v[i] = i % 20 === 0 ? NaN : i % 25 === 0 ? -999 : x;
    const p = Number.isNaN(v[i]!) ? 0.6 : v[i] === -999 ? 0.05 : 0.05 + 0.4 * (x / 100) + (x >= 45 && x < 55 ? -0.15 : 0);
    y[i] = r() < p ? 1 : 0;
  }
  return { col: { name: 'x', kind: 'numeric', values: v }, y };
}

for (const method of ['tree', 'quantile', 'chimerge'] as const) {
  test(`${method} binning: monotonic WOE, missing and special values in their own bins`, () => {
    const { col, y } = synth();
    const b = fitBinning(col, y, { method, maxBins: 6, special: { x: [-999] } });
    const ranges = b.bins.filter((x) => x.kind === 'range');
    assert.ok(ranges.length >= 2 && ranges.length <= 6, `${ranges.length} bins`);
    for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i]!.woe >= ranges[i - 1]!.woe, `WOE not increasing at bin ${i}: ${ranges.map((r) => r.woe.toFixed(2))}`);
    const missing = b.bins.find((x) => x.kind === 'missing')!;
    const special = b.bins.find((x) => x.kind === 'special')!;
    assert.equal(missing.count, 200);
    assert.equal(special.count, 120); // multiples of 25 that are not multiples of 20
    assert.ok(missing.woe > 0.5 && special.woe < -1, 'missing is risky, the special code is safe');
    assert.equal(b.bins.reduce((s, x) => s + x.count, 0), 4000);
    assert.ok(b.iv > 0.2);
    assert.equal(woeFor(b, null), missing.woe);
    assert.equal(woeFor(b, -999), special.woe);
  });
}

test('monotonic: false keeps the non-monotonic bump', () => {
  const { col, y } = synth(20000, 5);
  const b = fitBinning(col, y, { method: 'quantile', maxBins: 10, monotonic: false });
  const ranges = b.bins.filter((x) => x.kind === 'range');
  assert.ok(ranges.some((r, i) => i > 0 && r.woe < ranges[i - 1]!.woe), 'the bump shows without enforcement');
});

test('manual bin edits recompute the statistics and reject bad edges', () => {
  const { col, y } = synth();
  const b = fitBinning(col, y);
  const e = editBinning(b, { edges: [30, 60] }, col, y);
  assert.deepEqual(e.edges, [30, 60]);
  assert.deepEqual(e.bins.filter((x) => x.kind === 'range').map((x) => x.label), ['[-inf, 30)', '[30, 60)', '[60, inf)']);
  assert.equal(e.bins.reduce((s, x) => s + x.count, 0), 4000);
  assert.throws(() => editBinning(b, { edges: [60, 30] }, col, y), /strictly increasing/);
  assert.throws(() => editBinning(b, { edges: [NaN] }, col, y), /finite/);
});

test('categorical binning groups categories by bad rate; unseen categories score WOE 0', () => {
  const r = rng(9);
  const cats = ['a', 'b', 'c', 'd', 'e', 'f'];
  const rate: Record<string, number> = { a: 0.05, b: 0.06, c: 0.3, d: 0.32, e: 0.6, f: 0.62 };
  const values: (string | null)[] = [];
  const y = new Uint8Array(6000);
  for (let i = 0; i < 6000; i++) {
    const c = cats[i % 6]!;
    values.push(c);
    y[i] = r() < rate[c]! ? 1 : 0;
  }
  const col: Column = { name: 'c', kind: 'categorical', values };
  const b = fitBinning(col, y, { maxBins: 3 });
  assert.deepEqual(b.groups!.map((g) => [...g].sort()), [['a', 'b'], ['c', 'd'], ['e', 'f']]);
  assert.equal(woeFor(b, 'zzz'), 0);
  const edited = editBinning(b, { groups: [['a', 'b', 'c'], ['d', 'e', 'f']] }, col, y);
  assert.equal(edited.bins.length, 2);
  assert.throws(() => editBinning(b, { groups: [['a'], ['a', 'b']] }, col, y), /in two groups/);
  assert.throws(() => editBinning(b, { edges: [1] }, col, y), /categorical/);
  assert.equal(woeColumn(b, col).length, 6000);
});
