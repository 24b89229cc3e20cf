// Histogram-building kernels specialised to one data set's layout. A generic loop over features pays for
// an offset load, a loop test and bounds checks on every byte; unrolling the features with their histogram
// offsets as constants lets V8 emit straight-line loads and adds (about 3× faster on the Taiwan data).
// The generated source holds only integers computed here, never user text.

/** Adds rows [start, end) of `rows` (or every row when rows is null) into `hist`. */
export type HistKernel = (rows: Int32Array | null, start: number, end: number, codes: Uint8Array, gh: Float64Array, hist: Float64Array) => void;

/**
 * Kernel for features [f0, f1) of a row-major uint8 code matrix with `stride` bytes per row;
 * feature f's (grad, hess) pairs start at offs[f] in the histogram. Kernels are cached by source: with a
 * fixed histogram stride per feature the source depends only on the column count, so later trainings on
 * the same columns (cross-validation folds) reuse code V8 has already optimised.
 */
export function histKernel(stride: number, offs: ArrayLike<number>, f0: number, f1: number): HistKernel {
  const src = histKernelSource(stride, offs, f0, f1);
  let k = kernels.get(src);
  if (!k) {
    k = new Function(src)() as HistKernel;
    if (kernels.size > 64) kernels.clear();
    kernels.set(src, k);
  }
  return k;
}
const kernels = new Map<string, HistKernel>();

/** Source of a function body returning the kernel (see histKernel). */
export function histKernelSource(stride: number, offs: ArrayLike<number>, f0: number, f1: number): string {
  let body = '';
  for (let f = f0; f < f1; f++) body += `b = ${offs[f]} + (codes[rb + ${f}] << 1); hist[b] += g; hist[b + 1] += h;\n`;
  return `'use strict';
return function histKernel(rows, start, end, codes, gh, hist) {
  let b = 0;
  if (rows === null) {
    for (let r = start, rb = start * ${stride}; r < end; r++, rb += ${stride}) {
      const g = gh[2 * r]; const h = gh[2 * r + 1];
${body}    }
    return;
  }
  for (let k = start; k < end; k++) {
    const r = rows[k]; const rb = r * ${stride};
    const g = gh[2 * r]; const h = gh[2 * r + 1];
${body}  }
};`;
}

/** Arrays shared (SharedArrayBuffer-backed) between the trainer and its helper thread, and the round's flags. */
export interface RoundShared {
  n: number;
  nChunks: number;
  chunk: number;
  histLen: number;
  /** This training's [unused, nextChunk, doneChunks, applyPrevious, wantLoss, unused, error, wantHist]. */
  ctrl: Int32Array;
  y: Uint8Array;
  codes: Uint8Array;
  margin: Float64Array;
  /** exp(−margin) */
  em: Float64Array;
  gh: Float64Array;
  /** Leaf (index into leafValue) each row fell in at the previous tree, applied at the start of this round. */
  leafOf: Int32Array;
  leafValue: Float64Array;
  /** exp(−leafValue) */
  leafExp: Float64Array;
  /** Per chunk: G, H, loss. */
  sums: Float64Array;
  /** Per chunk: a root histogram of histLen numbers. */
  hists: Float64Array;
  kernelSource: string;
  kernel?: HistKernel;
}

export const CTRL = { next: 1, done: 2, applyPrevious: 3, wantLoss: 4, error: 6, wantHist: 7, size: 8 } as const;

/**
 * One chunk of a boosting round's row-parallel part: applies the previous tree to the margins, computes
 * log-loss gradients and builds the chunk's own root histogram. Chunks are summed in order afterwards, so
 * the result does not depend on which thread ran which chunk. Its source is also run by the helper thread
 * (via toString), so it must stay self-contained: no imports, no closures, no nested functions.
 */
export function roundChunk(s: RoundShared, c: number): void {
  const start = c * s.chunk;
  const end = Math.min(s.n, start + s.chunk);
  const { y, margin, em, gh, leafOf, leafValue, leafExp } = s;
  const applyPrevious = s.ctrl[3] === 1;
  const wantLoss = s.ctrl[4] === 1;
  let G = 0;
  let H = 0;
  let loss = 0;
  for (let i = start; i < end; i++) {
    if (applyPrevious) {
      const leaf = leafOf[i]!;
      margin[i] += leafValue[leaf]!;
      em[i] *= leafExp[leaf]!;
    }
    const p = 1 / (1 + em[i]!);
    const g = p - y[i]!;
    const h = Math.max(p * (1 - p), 1e-16);
    gh[2 * i] = g;
    gh[2 * i + 1] = h;
    G += g;
    H += h;
    if (wantLoss) loss -= Math.log(Math.max(y[i] ? p : 1 - p, 1e-300));
  }
  s.sums[3 * c] = G;
  s.sums[3 * c + 1] = H;
  s.sums[3 * c + 2] = loss;
  if (s.ctrl[7] !== 1) return;
  const hist = s.hists.subarray(c * s.histLen, (c + 1) * s.histLen);
  hist.fill(0);
  s.kernel!(null, start, end, s.codes, gh, hist);
}

/** Claims chunks until none are left; the trainer and the helper both run this. */
export function claimChunks(s: RoundShared): void {
  const ctrl = s.ctrl;
  for (;;) {
    const c = Atomics.add(ctrl, 1, 1);
    if (c >= s.nChunks) return;
    try {
      roundChunk(s, c);
    } catch {
      Atomics.store(ctrl, 6, 1);
    }
    Atomics.add(ctrl, 2, 1);
    Atomics.notify(ctrl, 2);
  }
}
