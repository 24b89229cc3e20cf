// The work both threads of a training do, on SharedArrayBuffer-backed arrays. Rows are split into a fixed
// number of blocks (contiguous row ranges). A block item does everything that touches its rows: applies
// the previous tree to the margins, computes gradients, partitions its part of each node's rows in place and
// builds its part of the histograms. Each thread starts from its own end of the block list, so a block
// stays on one core from phase to phase and its gradients, rows and margins do not travel between caches
// (on this kind of machine, a store to a line the other core had read costs more than the arithmetic).
// A split item (one node pair × one column group) sums the blocks' histograms, derives the sibling by
// subtraction and finds the best split within the group. Block and group counts do not depend on the
// number of threads, and partial sums are combined in a fixed order, so models do not either.
//
// The helper thread runs these functions' own source (via toString), so each must stay self-contained:
// no imports, no closures, no nested functions, and calls only to the functions the helper defines under
// the same names (blockTask, splitTask).
//
// The histogram kernel is generated per column count: a generic loop over features pays for an offset
// load, a loop test and bounds checks on every byte; unrolled, V8 emits straight-line loads and adds. The
// row-major codes are pre-offset (column j's code c is stored as colOffs[j] + 2c), so the source holds only
// the column count: later trainings on the same columns (cross-validation folds) reuse code V8 has already
// optimised, and the histogram layout stays compact (with a 4 KiB stride per feature, every feature's bin k
// fell in the same L1 cache set, which cost 25–30 %). The source holds only integers computed here.

import type { WasmMemory, WasmModule } from './wasm-kernel.js';
import type { FeatureBins } from './binner.js';

/** Adds rows [start, end) of `rows` (or every row in that range when rows is null) into `hist`. */
export type HistKernel = (rows: Int32Array | null, start: number, end: number, codes: Uint16Array | Uint32Array, gh: Float64Array, hist: Float64Array) => void;

/** Compiles (once per source) a kernel made by histKernelSource. */
export function kernelFor(src: string): HistKernel {
  let k = kernels.get(src);
  if (!k) {
    k = new Function(src)() as HistKernel;
    if (kernels.size > 64) kernels.clear();
    kernels.set(src, k);
  }
  return k;
}
const kernels = new Map<string, HistKernel>();

/** Source of a function body returning the kernel for a row-major pre-offset code matrix of `stride` columns. */
export function histKernelSource(stride: number, wide: boolean): string {
  let body = '';
  for (let j = 0; j < stride; j++) body += `b = codes[rb + ${j}]; hist[b] += g; hist[b + 1] += h;\n`;
  // Uint32 codes (very wide data) get their own source, so V8 never sees both array types in one kernel.
  return `'use strict';${wide ? ' // u32' : ''}
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

/**
 * ctrl slots. `next` packs the phase number (high 16 bits) with how many items were claimed from the
 * front (bits 8–15) and from the back (bits 0–7); `total` packs the phase number with the item count.
 */
export const CTRL = {
  next: 0,
  total: 1,
  done: 2,
  kind: 3,
  error: 4,
  waiting: 5,
  /** Block items: also run the round (apply the previous tree, gradients, root histogram). */
  round: 6,
  applyPrevious: 7,
  wantLoss: 8,
  /** Round: 1 = every row of the block, 0 = the block's sampled rows (rows[blockStart[b], sampleEnd[b])). */
  fullRows: 9,
  /** Round: build the root histogram. */
  wantHist: 10,
  /** Every column is in this tree (no column subsampling). */
  allOn: 11,
  /** Number of ops for block items. */
  ops: 12,
  size: 13,
} as const;
/** Most items in one phase (item indices are 8-bit in ctrl.next). */
export const MAX_ITEMS = 255;
/** Item kinds of a phase. */
export const KIND = { block: 0, split: 1, bin: 2 } as const;
/** Block ops: what a block item does with its part of one node's rows, before the round (if any). */
export const OP = { finish: 0, assign: 1, expand: 2 } as const;
/** Ints per op: type, column, bin, default left, node id (leaf id, or left child id), build side (0 none, 1 left, 2 right), pair. */
export const OP_INTS = 7;
/** Split pair modes (bits). */
export const PAIR = { searchA: 1, searchB: 2 } as const;
/** Per pair in pairs: mode, slot a (built from the blocks), slot b (parent, becomes the sibling; −1: none), block histograms index. */
export const PAIR_INTS = 4;
/** Per pair in pairStats: G and H of slot a's node, then of slot b's. */
export const PAIR_STATS = 4;
/** Per (pair, side, group) in best: doubled gain, column, bin, default left, GL, HL (column −1: none). */
export const BEST_SIZE = 6;

/** Arrays shared between the trainer and its helper thread (SharedArrayBuffer-backed). */
export interface Shared {
  n: number;
  /** Histogram columns: the features with at least two bins (a single-bin feature can never split). */
  nCols: number;
  nGroups: number;
  nBlocks: number;
  histLen: number;
  ctrl: Int32Array;
  y: Uint8Array;
  /** Row-major, nCols per row, pre-offset: colOffs[j] + 2 × local code (missing = nbins). */
  codes: Uint16Array | Uint32Array;
  /** Column-major local codes of every feature (f × n + row), for partitioning and column subsampling. */
  cols: Uint8Array;
  colFeature: Int32Array;
  colNbins: Int32Array;
  /** Column j's (grad, hess) pairs are [colOffs[j], colOffs[j + 1]): bins, then missing. */
  colOffs: Int32Array;
  /** Column group q is [groups[q], groups[q + 1]). */
  groups: Int32Array;
  /** This tree's columns (column subsampling); every one when ctrl.allOn is 1. */
  colOn: Uint8Array;
  /** lambda, minChildWeight, gamma */
  params: Float64Array;
  /** Block b owns rows[blockStart[b], blockStart[b + 1]), row ids in the same range; nodes are segments of it. */
  rows: Int32Array;
  /** Partition scratch, by block like rows. */
  tmp: Int32Array;
  blockStart: Int32Array;
  /** Per block: end of its sampled rows (row subsampling). */
  sampleEnd: Int32Array;
  margin: Float64Array;
  /** exp(−margin) */
  em: Float64Array;
  /** (grad, hess) interleaved per row: one cache line serves both. */
  gh: Float64Array;
  /** Leaf (index into leafValue) each row fell in at the previous tree, applied by the next round. */
  leafOf: Int32Array;
  leafValue: Float64Array;
  /** exp(−leafValue) */
  leafExp: Float64Array;
  /** Per block: G, H, loss. */
  sums: Float64Array;
  /** OP_INTS per op. */
  ops: Int32Array;
  /** Per op and block: start, end of the node's segment, and (expand) the first right index. */
  segs: Int32Array;
  /** Per pair and block: that block's part of the built child's histogram (pair 0 holds the root's); all zero between uses. */
  blockHists: Float64Array[];
  pairs: Int32Array;
  pairStats: Float64Array;
  best: Float64Array;
  /** Whole-node histograms by slot id. */
  slots: Float64Array[];
  kernelSource: string;
  /** The WebAssembly kernel's module and the memory holding codes, gh, rows and blockHists (else the JavaScript kernel). */
  wasm?: { module: WasmModule; memory: WasmMemory };
  kernel?: HistKernel;
  /**
   * The WebAssembly partition and leaf-assignment loops (wasm-kernel.ts), bound to this training's rows,
   * tmp, cols and leafOf in the memory (column f's codes start at `base` = f × n); else the JavaScript loops.
   */
  part?: (start: number, end: number, base: number, bin: number, miss: number, dl: number) => number;
  assign?: (start: number, end: number, base: number, bin: number, miss: number, dl: number, id: number) => void;
  /** Set in the helper only: takes in arrays the trainer added since (new slots, bigger arrays). */
  sync?: () => void;
}

/**
 * Column subsampling: the histogram of rows[from, to) over only this tree's columns, one column at a time
 * (the kernels cover all columns at once). Shipped to the helper thread by source, like blockTask.
 */
export function subsampledHist(s: Shared, rows: Int32Array, from: number, to: number, hist: Float64Array): void {
  const { cols, gh, n } = s;
  for (let jj = 0; jj < s.nCols; jj++) {
    if (s.colOn[jj] === 0) continue;
    const cb = s.colFeature[jj]! * n;
    const hb = s.colOffs[jj]!;
    for (let k = from; k < to; k++) {
      const rr = rows[k]!;
      const bi = hb + (cols[cb + rr]! << 1);
      hist[bi] += gh[2 * rr]!;
      hist[bi + 1] += gh[2 * rr + 1]!;
    }
  }
}

/** Block item b: the ops on its part of each node's rows, then (ctrl.round) its part of the round. */
export function blockTask(s: Shared, b: number): void {
  const ctrl = s.ctrl;
  const nB = s.nBlocks;
  const rows = s.rows;
  const tmp = s.tmp;
  const cols = s.cols;
  const n = s.n;
  const leafOf = s.leafOf;
  const ops = s.ops;
  const segs = s.segs;
  const nOps = ctrl[12]!;
  for (let o = 0; o < nOps; o++) {
    const type = ops[7 * o]!;
    const sg = 3 * (o * nB + b);
    const start = segs[sg]!;
    const end = segs[sg + 1]!;
    const id = ops[7 * o + 4]!;
    if (type === 0) {
      for (let k = start; k < end; k++) leafOf[rows[k]!] = id;
      continue;
    }
    const j = ops[7 * o + 1]!;
    const base = s.colFeature[j]! * n;
    const miss = s.colNbins[j]!;
    const bin = ops[7 * o + 2]!;
    const dl = ops[7 * o + 3]!;
    // Branch-free: the direction is data-dependent noise to the branch predictor. Codes are < 256, so
    // (c − bin − 1) >>> 31 is c ≤ bin, and ((c ^ miss) − 1) >>> 31 is c = miss (which is always > bin).
    if (type === 1) {
      if (s.assign !== undefined) {
        s.assign(start, end, base, bin, miss, dl, id);
        continue;
      }
      for (let k = start; k < end; k++) {
        const row = rows[k]!;
        const c = cols[base + row]!;
        const goLeft = ((c - bin - 1) >>> 31) | ((((c ^ miss) - 1) >>> 31) & dl);
        leafOf[row] = id + (goLeft ^ 1);
      }
      continue;
    }
    // Stable in-place partition of the segment: lefts compact forward, rights go to tmp and are copied after.
    let l = start;
    if (s.part !== undefined) l = s.part(start, end, base, bin, miss, dl);
    else {
      let r = start;
      for (let k = start; k < end; k++) {
        const row = rows[k]!;
        const c = cols[base + row]!;
        const goLeft = ((c - bin - 1) >>> 31) | ((((c ^ miss) - 1) >>> 31) & dl);
        rows[l] = row;
        tmp[r] = row;
        l += goLeft;
        r += goLeft ^ 1;
      }
    }
    if (l < end) rows.set(tmp.subarray(start, start + end - l), l);
    segs[sg + 2] = l;
    const side = ops[7 * o + 5]!;
    if (side === 0) continue;
    // Block histograms are all zero here: split items zero them as they sum them.
    const hist = s.blockHists[ops[7 * o + 6]! * nB + b]!;
    const hs = side === 1 ? start : l;
    const he = side === 1 ? l : end;
    if (ctrl[11] === 1) s.kernel!(rows, hs, he, s.codes, s.gh, hist);
    else subsampledHist(s, rows, hs, he, hist);
  }
  if (ctrl[6] !== 1) return;
  // The round: margins from the previous tree's leaves, log-loss gradients, this block's root histogram.
  const bs = s.blockStart[b]!;
  const be = s.blockStart[b + 1]!;
  const { y, margin, em, gh, leafValue, leafExp } = s;
  const applyPrevious = ctrl[7] === 1;
  const wantLoss = ctrl[8] === 1;
  const full = ctrl[9] === 1;
  let G = 0;
  let H = 0;
  let loss = 0;
  for (let i = bs; i < be; i++) {
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
    if (full) rows[i] = i;
  }
  if (!full) {
    // Sampled rows: the sums are over the sample.
    G = 0;
    H = 0;
    for (let k = bs, e = s.sampleEnd[b]!; k < e; k++) {
      G += gh[2 * rows[k]!]!;
      H += gh[2 * rows[k]! + 1]!;
    }
  }
  s.sums[3 * b] = G;
  s.sums[3 * b + 1] = H;
  s.sums[3 * b + 2] = loss;
  if (ctrl[10] !== 1) return;
  const hist = s.blockHists[b]!;
  if (full && ctrl[11] === 1) s.kernel!(null, bs, be, s.codes, gh, hist);
  else {
    // The op list is empty in a round, so a synthetic segment is not needed: build over the block's rows.
    const he = full ? be : s.sampleEnd[b]!;
    if (ctrl[11] === 1) s.kernel!(rows, bs, he, s.codes, gh, hist);
    else subsampledHist(s, rows, bs, he, hist);
  }
}

/**
 * Split item t: pair p = t / nGroups, column group q = t % nGroups. Sums the blocks' histograms into
 * slot a over the group's columns, turns slot b (the parent's) into the sibling by subtraction, and finds
 * each searched side's best split within the group. The trainer combines groups in order keeping the
 * first strictly better one, which is exactly the single scan over every column.
 */
export function splitTask(s: Shared, t: number): void {
  const nG = s.nGroups;
  const nB = s.nBlocks;
  const p = (t / nG) | 0;
  const q = t - p * nG;
  const pairs = s.pairs;
  const mode = pairs[4 * p]!;
  const a = pairs[4 * p + 1]!;
  const b = pairs[4 * p + 2]!;
  const bh = pairs[4 * p + 3]! * nB;
  const j0 = s.groups[q]!;
  const j1 = s.groups[q + 1]!;
  const offs = s.colOffs;
  const lo = offs[j0]!;
  const hi = offs[j1]!;
  const ha = s.slots[a]!;
  // The block histograms are zeroed as they are read (while their lines are at hand), ready for the next build.
  const h0 = s.blockHists[bh]!;
  if (nB === 2) {
    // The usual case in one pass (same sums: h0 + h1, then the parent minus that).
    const h1 = s.blockHists[bh + 1]!;
    if (b >= 0) {
      const hp = s.slots[b]!;
      for (let i = lo; i < hi; i++) {
        const v = h0[i]! + h1[i]!;
        ha[i] = v;
        h0[i] = 0;
        h1[i] = 0;
        hp[i] -= v;
      }
    } else {
      for (let i = lo; i < hi; i++) {
        ha[i] = h0[i]! + h1[i]!;
        h0[i] = 0;
        h1[i] = 0;
      }
    }
  } else {
    for (let i = lo; i < hi; i++) {
      ha[i] = h0[i]!;
      h0[i] = 0;
    }
    for (let k = 1; k < nB; k++) {
      const hk = s.blockHists[bh + k]!;
      for (let i = lo; i < hi; i++) {
        ha[i] += hk[i]!;
        hk[i] = 0;
      }
    }
    if (b >= 0) {
      const hp = s.slots[b]!;
      for (let i = lo; i < hi; i++) hp[i] -= ha[i]!;
    }
  }
  const lambda = s.params[0]!;
  const minChildWeight = s.params[1]!;
  const gamma = s.params[2]!;
  const nbins = s.colNbins;
  const colOn = s.colOn;
  for (let side = 0; side < 2; side++) {
    if ((mode & (side === 0 ? 1 : 2)) === 0) continue;
    const hist = side === 0 ? ha : s.slots[b]!;
    const G = s.pairStats[4 * p + 2 * side]!;
    const H = s.pairStats[4 * p + 2 * side + 1]!;
    const parentScore = (G * G) / (H + lambda);
    // Gains are compared doubled (0.5 and γ folded into bestGain); the best is kept in locals.
    let bestGain = 2 * gamma;
    let bj = -1;
    let bb = 0;
    let bdl = 0;
    let bGL = 0;
    let bHL = 0;
    for (let j = j0; j < j1; j++) {
      if (colOn[j] === 0) continue;
      const hb = offs[j]!;
      const nb = nbins[j]!;
      const Gm = hist[hb + (nb << 1)]!;
      const Hm = hist[hb + (nb << 1) + 1]!;
      let GL = 0;
      let HL = 0;
      const last = nb - 1;
      const Hn = H - Hm;
      for (let k = 0; k < last; k++) {
        const hh = hist[hb + (k << 1) + 1]!;
        if (hh === 0) continue; // empty bin: same split as the previous one
        GL += hist[hb + (k << 1)]!;
        HL += hh;
        // Missing to the right.
        if (HL >= minChildWeight && H - HL >= minChildWeight) {
          const gr = G - GL;
          const g2 = (GL * GL) / (HL + lambda) + (gr * gr) / (H - HL + lambda) - parentScore;
          if (g2 > bestGain) {
            bestGain = g2;
            bj = j;
            bb = k;
            bdl = Hm === 0 && HL >= H - HL ? 1 : 0;
            bGL = GL;
            bHL = HL;
          }
        }
        if (Hm > 0) {
          const gl = GL + Gm;
          const hl = HL + Hm;
          if (hl >= minChildWeight && H - hl >= minChildWeight) {
            const gr = G - gl;
            const g2 = (gl * gl) / (hl + lambda) + (gr * gr) / (H - hl + lambda) - parentScore;
            if (g2 > bestGain) {
              bestGain = g2;
              bj = j;
              bb = k;
              bdl = 1;
              bGL = gl;
              bHL = hl;
            }
          }
        }
        if (HL >= Hn) break; // every non-missing row is on the left: later bins are empty
      }
    }
    const o = ((2 * p + side) * nG + q) * 6;
    const best = s.best;
    best[o] = bestGain;
    best[o + 1] = bj;
    best[o + 2] = bb;
    best[o + 3] = bdl;
    best[o + 4] = bGL;
    best[o + 5] = bHL;
  }
}

/**
 * Claims and runs the current phase's items until none are left; the trainer claims from the front, the
 * helper from the back. A claim is a compare-and-swap on ctrl.next checked against ctrl.total, both tagged
 * with the phase number, so a thread still looking at a finished phase can never take an item of the next
 * one with stale numbers.
 */
export function runItems(s: Shared | BinJob, fromBack: boolean): void {
  const ctrl = s.ctrl;
  for (;;) {
    const v = Atomics.load(ctrl, 0);
    const t = Atomics.load(ctrl, 1);
    const front = (v >>> 8) & 0xff;
    const back = v & 0xff;
    if (v >>> 16 !== t >>> 16 || front + back >= (t & 0xffff)) return;
    if (s.sync !== undefined) s.sync();
    if (Atomics.compareExchange(ctrl, 0, v, fromBack ? v + 1 : v + 256) !== v) continue;
    const item = fromBack ? (t & 0xffff) - 1 - back : front;
    try {
      const kind = ctrl[3];
      if (kind === 0) blockTask(s as Shared, item);
      else if (kind === 1) splitTask(s as Shared, item);
      else binTask(s as BinJob, item);
    } catch {
      Atomics.store(ctrl, 4, 1);
    }
    Atomics.add(ctrl, 2, 1);
    if (Atomics.load(ctrl, 5) === 1) Atomics.notify(ctrl, 2);
  }
}

/**
 * Runs block and split items on the first rows of a new training's codes, into private arrays, so that V8
 * optimises the helper's copies of these functions and of the training's kernel before the helper takes
 * real items: an unoptimised helper holding an item would leave the trainer waiting for it.
 */
export function warmUp(s: Shared, rounds: number): void {
  const m = Math.min(s.n, 2048);
  const hl = s.histLen;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * s.ctrl.length));
  const rows = new Int32Array(new SharedArrayBuffer(4 * m + 4));
  const w: Shared = {
    ...s,
    n: m,
    nBlocks: 1,
    ctrl,
    rows,
    tmp: new Int32Array(new SharedArrayBuffer(4 * m + 4)),
    blockStart: Int32Array.of(0, m),
    sampleEnd: Int32Array.of(m),
    margin: new Float64Array(new SharedArrayBuffer(8 * m + 8)),
    em: new Float64Array(new SharedArrayBuffer(8 * m + 8)).fill(1),
    gh: new Float64Array(new SharedArrayBuffer(16 * m + 16)),
    leafOf: new Int32Array(new SharedArrayBuffer(4 * m + 4)),
    leafValue: new Float64Array(new SharedArrayBuffer(16)),
    leafExp: new Float64Array(new SharedArrayBuffer(16)).fill(1),
    sums: new Float64Array(new SharedArrayBuffer(24)),
    ops: new Int32Array(new SharedArrayBuffer(4 * 7)),
    segs: new Int32Array(new SharedArrayBuffer(4 * 3)),
    blockHists: [new Float64Array(new SharedArrayBuffer(8 * hl))],
    pairs: new Int32Array(new SharedArrayBuffer(16)),
    pairStats: new Float64Array(new SharedArrayBuffer(32)),
    best: new Float64Array(new SharedArrayBuffer(96 * s.nGroups)),
    slots: [new Float64Array(new SharedArrayBuffer(8 * hl)), new Float64Array(new SharedArrayBuffer(8 * hl))],
    sync: undefined,
  };
  const { ops, segs, pairs, pairStats } = w;
  ctrl[10] = 1;
  ctrl[11] = 1;
  // Splits on the first column with more than one bin: median-ish bin, so both sides get rows.
  const bin = s.nCols > 0 ? s.colNbins[0]! >> 1 : 0;
  for (let r = 0; r < rounds; r++) {
    // A round over every row, then one over a "sample" (the same rows).
    ctrl[12] = 0;
    ctrl[6] = 1;
    ctrl[7] = r & 1;
    ctrl[8] = r & 1;
    ctrl[9] = r & 1 ? 0 : 1;
    blockTask(w, 0);
    pairs[0] = 1;
    pairs[1] = 0;
    pairs[2] = -1;
    pairs[3] = 0;
    pairStats[0] = w.sums[0]!;
    pairStats[1] = w.sums[1]!;
    for (let q = 0; q < s.nGroups; q++) splitTask(w, q);
    if (s.nCols === 0) continue;
    // Expand the root (left side built), then a pair with a sibling.
    ctrl[6] = 0;
    ctrl[12] = 1;
    ops[0] = 2;
    ops[1] = 0;
    ops[2] = bin;
    ops[3] = r & 1;
    ops[4] = 1;
    ops[5] = 1 + (r & 1);
    ops[6] = 0;
    segs[0] = 0;
    segs[1] = m;
    blockTask(w, 0);
    pairs[0] = 3;
    pairs[1] = 1;
    pairs[2] = 0;
    pairStats[2] = pairStats[0]!;
    pairStats[3] = pairStats[1]!;
    pairStats[0] = pairStats[2]! / 2;
    pairStats[1] = pairStats[3]! / 2;
    for (let q = 0; q < s.nGroups; q++) splitTask(w, q);
    // Leaf ops.
    ops[0] = r & 1;
    blockTask(w, 0);
  }
}

/** Quantile bins of one feature (≤ maxBins); self-contained, as the helper runs its source too. */
export function fitBins(values: Float64Array, maxBins = 255): FeatureBins {
  const mb = Math.min(255, Math.max(2, maxBins));
  // Few distinct values (flags, codes, small counts) are common: find them without sorting every row.
  const few = new Set<number>();
  for (let i = 0; i < values.length && few.size <= mb; i++) if (!Number.isNaN(values[i]!)) few.add(values[i]!);
  if (few.size <= mb) {
    const distinct = Float64Array.from(few).sort();
    const uppers: number[] = [];
    for (let k = 0; k + 1 < distinct.length; k++) uppers.push((distinct[k]! + distinct[k + 1]!) / 2);
    uppers.push(Infinity);
    return { uppers: Float64Array.from(uppers) };
  }
  const buf = new Float64Array(values.length);
  let len = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) buf[len++] = values[i]!;
  // More than mb distinct values (the set above overflowed): quantile cuts.
  const sorted = buf.subarray(0, len).sort();
  const uppers: number[] = [];
  for (let k = 1; k < mb; k++) {
    const v = sorted[Math.floor((k * sorted.length) / mb) - 1]!;
    if (uppers.length === 0 || v > uppers[uppers.length - 1]!) uppers.push(v);
  }
  if (uppers.length && uppers[uppers.length - 1]! >= sorted[sorted.length - 1]!) uppers.pop();
  uppers.push(Infinity);
  return { uppers: Float64Array.from(uppers) };
}

/** Bins per feature, at most: a feature's uppers take this many slots in BinJob.uppers. */
export const BIN_SLOTS = 256;

/**
 * A training's binning, shared with the helper thread (helper.ts) as phases of kind 2: item t fits feature
 * ctrl[6] + t and codes its column. Features are independent, so the bins do not depend on which thread
 * made them.
 */
export interface BinJob {
  n: number;
  maxBins: number;
  ctrl: Int32Array;
  /** Per feature: its n values (NaN = missing). */
  values: Float64Array[];
  /** Feature f's bin uppers at [f × BIN_SLOTS, f × BIN_SLOTS + nUppers[f]). */
  uppers: Float64Array;
  nUppers: Int32Array;
  /** Local codes, column-major (f × n + row); missing is nUppers[f]. */
  cols: Uint8Array;
  /** Set in the helper only (see Shared.sync). */
  sync?: () => void;
}

/** Bin item: fits one feature's bins and codes its column. Self-contained like the kernels (the helper runs its source). */
export function binTask(s: BinJob, item: number): void {
  const n = s.n;
  const f = s.ctrl[6]! + item;
  const values = s.values[f]!;
  const u = fitBins(values, s.maxBins).uppers;
  const nu = u.length;
  s.uppers.set(u, f * 256);
  s.nUppers[f] = nu;
  const cols = s.cols;
  const base = f * n;
  // Coding by binary search alone costs as much as fitting: with many bins, a guide over equal-width slices
  // of the cut range narrows each search to the few bins of the value's slice. The final steps make the
  // result exactly binIndexOf's whatever the rounding (the first k with v ≤ u[k]).
  const G = nu > 16 ? 1024 : 0;
  const lo0 = u[0]!;
  const hiV = u[nu - 2]!;
  const scale = G / (hiV - lo0);
  const guide = new Int32Array(G + 2);
  for (let g = 0, k = 0; g <= G; g++) {
    const x = lo0 + g / scale;
    while (k < nu - 1 && u[k]! < x) k++;
    guide[g] = k;
  }
  guide[G + 1] = nu - 1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) {
      cols[base + i] = nu;
      continue;
    }
    let lo = 0;
    let hi = nu - 1;
    if (G > 0) {
      if (v <= lo0) hi = 0;
      else if (v > hiV) lo = nu - 1;
      else {
        const g = ((v - lo0) * scale) | 0;
        lo = guide[g]!;
        hi = guide[g + 1]!;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= u[mid]!) hi = mid;
      else lo = mid + 1;
    }
    while (lo > 0 && u[lo - 1]! >= v) lo--;
    while (v > u[lo]!) lo++;
    cols[base + i] = lo;
  }
}
