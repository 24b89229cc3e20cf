import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFromCsv } from '../../src/models/data.js';
import { stratifiedSplit, stratifiedKFold, outOfTimeSplit } from '../../src/models/split.js';
import { auc, ks, liftTable, psi, evaluate } from '../../src/models/metrics.js';
import { ModelError } from '../../src/models/errors.js';

test('CSV loading: types columns, maps the target, treats NA/empty as missing', () => {
  const ds = datasetFromCsv('age,city,label\n30,bj,good\n,sh,bad\nNA,bj,good\n41,,bad\n', { target: 'label' });
  assert.equal(ds.n, 4);
  assert.deepEqual([...ds.y], [0, 1, 0, 1]);
  const [age, city] = ds.columns;
  assert.equal(age!.kind, 'numeric');
  assert.ok(Number.isNaN(age!.values[1] as number) && Number.isNaN(age!.values[2] as number));
  assert.equal(city!.kind, 'categorical');
  assert.equal(city!.values[3], null);
  assert.match(ds.fingerprint, /^[0-9a-f]{64}$/);
});

test('declared good/bad values', () => {
  const ds = datasetFromCsv('x,status\n1,Paid\n2,Overdue\n3,Written-off\n', { target: 'status', bad: ['overdue', 'written-off'], good: ['paid'] });
  assert.deepEqual([...ds.y], [0, 1, 1]);
});

test('clear errors: missing target column, non-binary target, one class, empty file, header only', () => {
  const is = (code: string, re: RegExp) => (err: unknown) => err instanceof ModelError && err.code === code && re.test(err.message) && err.zh.length > 0;
  assert.throws(() => datasetFromCsv('a,b\n1,0\n', { target: 'y' }), is('missing_target', /target column "y" is not in the CSV/));
  assert.throws(() => datasetFromCsv('a,y\n1,0\n2,1\n3,2\n', { target: 'y' }), is('non_binary_target', /must be binary: value "2"/));
  assert.throws(() => datasetFromCsv('a,y\n1,0\n2,0\n', { target: 'y' }), is('non_binary_target', /only one class/));
  assert.throws(() => datasetFromCsv('', { target: 'y' }), is('empty_file', /empty/));
  assert.throws(() => datasetFromCsv('a,y\n', { target: 'y' }), is('empty_file', /no data rows/));
  assert.throws(() => datasetFromCsv('a,y\n1,0,9\n', { target: 'y' }), is('bad_csv', /cannot parse CSV/));
});

test('stratified splits keep the bad rate and are reproducible by seed', () => {
  const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const s = stratifiedSplit(y, 0.3, 7);
  assert.equal(s.test.length, 300);
  assert.equal(s.test.filter((i) => y[i]).length, 90);
  assert.deepEqual(stratifiedSplit(y, 0.3, 7), s);
  assert.notDeepEqual(stratifiedSplit(y, 0.3, 8).test, s.test);
  const folds = stratifiedKFold(y, 5, 1);
  const seen = new Set(folds.flatMap((f) => f.test));
  assert.equal(seen.size, 1000, 'every row is tested exactly once');
  for (const f of folds) assert.equal(f.test.filter((i) => y[i]).length, 60);
});

test('out-of-time split by date, with clear errors', () => {
  const s = outOfTimeSplit(['2024-01-05', '2024-03-01', '2023-12-31', '2024-02-01'], '2024-02-01');
  assert.deepEqual(s, { train: [0, 2], test: [1, 3] });
  assert.throws(() => outOfTimeSplit(['2024-01-01', 'soon'], '2024-01-02'), /row 2: bad date "soon"/);
  assert.throws(() => outOfTimeSplit(['2024-01-01'], '2025-01-01'), /one side empty/);
});

test('AUC (ties averaged), KS, Gini against hand-computed values', () => {
  const y = [0, 0, 1, 1];
  assert.equal(auc(y, [0.1, 0.4, 0.35, 0.8]), 0.75);
  assert.equal(auc(y, [0.5, 0.5, 0.5, 0.5]), 0.5);
  assert.equal(auc(y, [0.1, 0.2, 0.3, 0.4]), 1);
  assert.equal(ks(y, [0.1, 0.4, 0.35, 0.8]), 0.5);
  const m = evaluate(y, [0.1, 0.4, 0.35, 0.8], true);
  assert.equal(m.gini, 0.5);
  assert.ok(m.logLoss! > 0);
});

test('lift table: riskiest decile first, cumulative bad share reaches 1', () => {
  const n = 1000;
  const scores = Array.from({ length: n }, (_, i) => i / n);
  const y = scores.map((s) => (s > 0.8 ? 1 : 0));
  const t = liftTable(y, scores);
  assert.equal(t.length, 10);
  assert.equal(t[0]!.badRate, 1);
  assert.equal(t[0]!.lift, 1 / 0.199);
  assert.equal(t[9]!.cumBadShare, 1);
});

test('PSI: ~0 for the same distribution, large for a shifted one', () => {
  const a = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
  const b = Array.from({ length: 5000 }, (_, i) => Math.sin(i + 0.5) * 100);
  assert.ok(psi(a, b) < 0.01, `psi ${psi(a, b)}`);
  const c = a.map((v) => v + 60);
  assert.ok(psi(a, c) > 0.25, `psi ${psi(a, c)}`);
});
