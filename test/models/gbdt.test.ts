import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainGbdt, type GbdtProgress } from '../../src/models/gbdt/train.js';
import { trainGbdtInWorker } from '../../src/models/gbdt/run.js';
import { CompiledEnsemble } from '../../src/models/ensemble.js';
import { fitBins, binIndexOf, MISSING_BIN } from '../../src/models/gbdt/binner.js';
import type { Column } from '../../src/models/data.js';
import { rng } from '../../src/models/split.js';
import { auc } from '../../src/models/metrics.js';
import { ModelError } from '../../src/models/errors.js';
import { BIN_SLOTS, binTask, histKernelSource, kernelFor, type BinJob } from '../../src/models/gbdt/kernels.js';
import { sharedWasmMemory, wasmExports, wasmKernel, wasmKernelModule } from '../../src/models/gbdt/wasm-kernel.js';
import { synth } from './gbdt-synth.js';

function scores(m: CompiledEnsemble, cols: Column[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m.predict(Object.fromEntries(cols.map((c) => [c.name, c.values[i]])));
  return out;
}

test('binner: ≤255 bins, missing gets its own code', () => {
  const v = Float64Array.from({ length: 10000 }, (_, i) => (i % 7 === 0 ? NaN : i));
  const b = fitBins(v, 255);
  assert.ok(b.uppers.length <= 255);
  assert.equal(binIndexOf(b, NaN), MISSING_BIN);
  assert.equal(binIndexOf(b, -5), 0);
  assert.equal(binIndexOf(b, 1e9), b.uppers.length - 1);
  const few = fitBins(Float64Array.from([1, 2, 2, 3]), 255);
  assert.deepEqual([...few.uppers], [1.5, 2.5, Infinity]);
});

test('bin items code every value exactly as binIndexOf does (guided search, edges, missing)', () => {
  const r = rng(11);
  const gens: [string, () => number][] = [
    ['skewed', () => Math.round(Math.exp(r() * 12) - 2000)],
    ['uniform', () => r() * 2e6 - 1e6],
    ['few', () => Math.floor(r() * 9)],
    ['huge', () => (r() < 0.5 ? -1 : 1) * 10 ** (r() * 300)],
  ];
  for (const [name, gen] of gens) {
    const n = 5000;
    const v = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : gen()));
    // Values next to a first fit's cuts (quantile cuts are data values, so the final cuts are in the data
    // too), and the extremes.
    const u0 = fitBins(v, 255).uppers;
    for (let k = 0; k + 1 < u0.length && 200 + 3 * k + 2 < n; k++) {
      v[200 + 3 * k] = u0[k]!;
      v[200 + 3 * k + 1] = u0[k]! + Math.abs(u0[k]!) * 1e-15;
      v[200 + 3 * k + 2] = -u0[k]!;
    }
    v[0] = -Infinity;
    v[2] = Infinity;
    v[3] = -0;
    const b = fitBins(v, 255);
    const u = b.uppers;
    const job: BinJob = { n, maxBins: 255, ctrl: new Int32Array(new SharedArrayBuffer(64)), values: [v], uppers: new Float64Array(BIN_SLOTS), nUppers: new Int32Array(1), cols: new Uint8Array(n) };
    binTask(job, 0);
    assert.deepEqual([...job.uppers.subarray(0, job.nUppers[0]!)], [...u], name);
    for (let i = 0; i < n; i++) {
      const c = binIndexOf(b, v[i]!);
      assert.equal(job.cols[i], c === MISSING_BIN ? u.length : c, `${name}: value ${v[i]}`);
    }
    if (name !== 'few') assert.ok(u.length > 16, `${name} uses the guide`);
  }
});

for (const growth of ['depthwise', 'leafwise'] as const) {
  test(`${growth}: learns interactions, missingness and categories; SHAP adds up to the margin`, () => {
    const tr = synth(6000, 1);
    const te = synth(3000, 2);
    const model = trainGbdt(tr, { nEstimators: 60, maxDepth: growth === 'depthwise' ? 4 : 0, growth, maxLeaves: 12 });
    const c = new CompiledEnsemble(model);
    const a = auc(te.y, scores(c, te.columns, 3000));
    assert.ok(a > 0.78, `test AUC ${a}`);
    if (growth === 'leafwise') assert.ok(model.trees.every((t) => t.feature.filter((f) => f < 0).length <= 12));
    else assert.ok(model.trees.every((t) => t.feature.length <= 31));
    const imp = model.importance!;
    assert.ok(imp.a! > imp.noise! && imp.c! > imp.noise!, JSON.stringify(imp));
    // Missing c is learned as risky: same row, c missing vs present.
    const row = { a: 0, b: 0, c: 0.5, noise: 0.5, city: 'bj' };
    assert.ok(c.predict({ ...row, c: null }) > c.predict(row) + 0.1);
    assert.ok(c.predict({ ...row, city: 'gz' }) > c.predict(row));
    const x = c.vector({ ...row, c: null });
    const phi = c.shap(x);
    assert.ok(Math.abs(phi.reduce((s, v) => s + v, 0) - c.margin(x)) < 1e-9);
    assert.equal(c.reasons(x, 2)[0]!.feature, 'c');
  });
}

test('row/column subsampling is seeded; early stopping keeps the best iteration', () => {
  const tr = synth(3000, 3);
  const va = synth(1500, 4);
  const opts = { nEstimators: 20, subsample: 0.7, colsampleByTree: 0.6, seed: 5 };
  assert.deepEqual(trainGbdt(tr, opts).trees, trainGbdt(tr, opts).trees);
  assert.notDeepEqual(trainGbdt(tr, { ...opts, seed: 6 }).trees, trainGbdt(tr, opts).trees);
  const progress: GbdtProgress[] = [];
  // A huge learning rate overfits fast, so validation loss turns up and training stops early.
  const m = trainGbdt({ ...tr, valid: va }, { nEstimators: 300, learningRate: 1, maxDepth: 6, minChildWeight: 0, lambda: 0, earlyStoppingRounds: 5 }, (p) => progress.push(p));
  assert.ok(progress.length < 300, `${progress.length} rounds`);
  const best = m.training!.bestIteration as number;
  assert.equal(m.trees.length, best);
  assert.equal(progress.length, best + 5);
  assert.ok(progress.every((p) => p.validLoss !== undefined));
});

test('bad options give clear errors', () => {
  const tr = synth(200, 1);
  assert.throws(() => trainGbdt(tr, { maxBins: 300 }), (e: unknown) => e instanceof ModelError && /maxBins/.test(e.message));
  assert.throws(() => trainGbdt(tr, { subsample: 0 }), /subsample/);
  assert.throws(() => trainGbdt(tr, { learningRate: -1 }), /learningRate/);
});

test('training in a worker thread streams progress and returns the same model', async () => {
  const tr = synth(2000, 7);
  const seen: number[] = [];
  const m = await trainGbdtInWorker(tr, { nEstimators: 15 }, (p) => seen.push(p.iteration));
  assert.deepEqual(seen, Array.from({ length: 15 }, (_, i) => i + 1));
  assert.deepEqual(m.trees, trainGbdt(tr, { nEstimators: 15 }).trees);
  await assert.rejects(trainGbdtInWorker(tr, { maxBins: 999 }), /maxBins/);
});

test('threads: the helper thread gives the same model as one thread, across trainings of different shapes', () => {
  const full = synth(14000, 8);
  const narrow = { columns: full.columns.slice(0, 3), y: full.y };
  const runs = [
    [full, { nEstimators: 25 }],
    [narrow, { nEstimators: 15, maxDepth: 3 }],
    [full, { nEstimators: 10, subsample: 0.8, colsampleByTree: 0.8 }],
    // Wide levels: 64 nodes at depth 6 are split in batches of 32 pairs.
    [full, { nEstimators: 3, maxDepth: 8, minChildWeight: 0 }],
    [full, { nEstimators: 8, growth: 'leafwise', maxDepth: 0, maxLeaves: 20, colsampleByTree: 0.6 }],
  ] as const;
  for (const [data, opts] of runs) {
    const one = trainGbdt(data, { ...opts, threads: 1 });
    const two = trainGbdt(data, { ...opts, threads: 2 });
    assert.deepEqual(two.trees, one.trees);
    assert.equal(two.baseMargin, one.baseMargin);
  }
  // A training started from a progress callback (helper busy) runs on one thread and still matches.
  let inner: ReturnType<typeof trainGbdt> | undefined;
  trainGbdt(full, { nEstimators: 3, threads: 2 }, (p) => {
    if (p.iteration === 1) inner = trainGbdt(narrow, { nEstimators: 15, maxDepth: 3, threads: 2 });
  });
  assert.deepEqual(inner!.trees, trainGbdt(narrow, { nEstimators: 15, maxDepth: 3, threads: 1 }).trees);
});

test('the WebAssembly histogram kernel adds exactly what the JavaScript kernel adds', () => {
  for (const wide of [false, true]) {
    const stride = 5;
    const n = 300;
    const histLen = stride * 2 * 40;
    const bytes = wide ? 4 : 2;
    const module = wasmKernelModule(stride, wide);
    const memory = sharedWasmMemory(n * stride * bytes + 20 * n + 8 * histLen + 64);
    assert.ok(module && memory, 'WebAssembly is available in Node 20');
    const codesBytes = (n * stride * bytes + 7) & ~7;
    const codes = wide ? new Uint32Array(memory.buffer, 0, n * stride) : new Uint16Array(memory.buffer, 0, n * stride);
    const gh = new Float64Array(memory.buffer, codesBytes, 2 * n);
    const rows = new Int32Array(memory.buffer, codesBytes + 16 * n, n);
    const hist = new Float64Array(memory.buffer, codesBytes + 20 * n, histLen);
    const r = rng(3);
    // Pre-offset codes: column j's bin c at 80 j + 2 c.
    for (let i = 0; i < n * stride; i++) codes[i] = (i % stride) * 80 + 2 * Math.floor(r() * 40);
    for (let i = 0; i < 2 * n; i++) gh[i] = r() - 0.4;
    for (let i = 0; i < n; i++) rows[i] = (i * 7) % n;
    const js = kernelFor(histKernelSource(stride, wide));
    const expected = new Float64Array(histLen);
    js(rows, 10, 250, codes, gh, expected);
    js(null, 5, 280, codes, gh, expected);
    const k = wasmKernel(module, memory);
    k(rows, 10, 250, codes, gh, hist);
    k(null, 5, 280, codes, gh, hist);
    assert.deepEqual([...hist], [...expected]);
    assert.ok(expected.some((v) => v !== 0));
  }
});

test('the WebAssembly partition and leaf assignment match the JavaScript loops', () => {
  const module = wasmKernelModule(3, false);
  const memory = sharedWasmMemory(1 << 16);
  assert.ok(module && memory);
  const ex = wasmExports(module, memory);
  const n = 1000;
  const rows = new Int32Array(memory.buffer, 0, n);
  const tmp = new Int32Array(memory.buffer, 4096, n);
  const leafOf = new Int32Array(memory.buffer, 8192, n);
  const col = new Uint8Array(memory.buffer, 12288, n);
  const r = rng(5);
  for (let t = 0; t < 50; t++) {
    const miss = 11;
    for (let i = 0; i < n; i++) {
      rows[i] = (i * 7 + t) % n;
      col[i] = Math.floor(r() * 12);
    }
    const start = Math.floor(r() * 100);
    const end = start + Math.floor(r() * 800);
    const bin = Math.floor(r() * 11);
    const dl = t & 1;
    const before = [...rows];
    const left = (row: number): boolean => col[row]! <= bin || (col[row] === miss && dl === 1);
    const lefts = before.slice(start, end).filter(left);
    const rights = before.slice(start, end).filter((row) => !left(row));
    leafOf.fill(-1);
    ex.assign(rows.byteOffset, leafOf.byteOffset, col.byteOffset, start, end, bin, miss, dl, 7);
    for (let i = 0; i < n; i++) assert.equal(leafOf[i], before.indexOf(i) >= start && before.indexOf(i) < end ? (left(i) ? 7 : 8) : -1);
    const l = ex.part(rows.byteOffset, tmp.byteOffset, col.byteOffset, start, end, bin, miss, dl);
    assert.equal(l, start + lefts.length);
    assert.deepEqual([...rows.subarray(start, l)], lefts);
    assert.deepEqual([...tmp.subarray(start, start + rights.length)], rights);
    assert.deepEqual([...rows.subarray(0, start)], before.slice(0, start));
    assert.deepEqual([...rows.subarray(end)], before.slice(end));
  }
});
