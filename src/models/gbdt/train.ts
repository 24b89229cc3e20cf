// Histogram gradient-boosted trees for binary targets (log loss). Rows are pre-binned to uint8 codes and
// split into two fixed blocks; each phase of a tree is a few items shared with a helper thread (kernels.ts):
// block items apply the previous tree, compute gradients, partition their rows and build their part of the
// smaller child's histogram; split items sum the blocks, derive the larger child as parent − smaller
// (histogram subtraction) and search splits by column group. Missing values learn a default direction.
import { availableParallelism } from 'node:os';
import { binMatrix, numericColumns, MISSING_BIN, type BinnedMatrix, type FeatureBins } from './binner.js';
import type { EnsembleModel, TreeArrays } from '../ensemble.js';
import type { Column } from '../data.js';
import { rng } from '../split.js';
import { BEST_SIZE, BIN_SLOTS, CTRL, KIND, MAX_ITEMS, OP, OP_INTS, PAIR, PAIR_INTS, PAIR_STATS, histKernelSource, kernelFor, type BinJob, type Shared } from './kernels.js';
import { sharedF64, sharedI32, sharedU16, sharedU32, sharedU8, startPhases } from './helper.js';
import { sharedWasmMemory, wasmExports, wasmKernel, wasmKernelModule } from './wasm-kernel.js';
import { ModelError } from '../errors.js';

export interface GbdtOptions {
  nEstimators?: number;
  learningRate?: number;
  /** Max depth (depth-wise growth), or a depth cap for leaf-wise growth (0 = none). */
  maxDepth?: number;
  growth?: 'depthwise' | 'leafwise';
  /** Leaf-wise growth: max leaves per tree. */
  maxLeaves?: number;
  /** Min hessian sum in a child. */
  minChildWeight?: number;
  /** L2 on leaf values. */
  lambda?: number;
  /** Min loss reduction to split. */
  gamma?: number;
  /** Row subsampling per tree. */
  subsample?: number;
  /** Column subsampling per tree. */
  colsampleByTree?: number;
  maxBins?: number;
  /** Stop when the validation loss has not improved for this many rounds (needs a validation set). */
  earlyStoppingRounds?: number;
  seed?: number;
  /** Threads for the row-parallel part of each round (1 or 2; default 2 on multi-core machines for large data). Models do not depend on it. */
  threads?: number;
}

export interface GbdtProgress {
  iteration: number;
  total: number;
  trainLoss: number;
  validLoss?: number;
}

export interface TrainInput {
  columns: Column[];
  y: Uint8Array;
  valid?: { columns: Column[]; y: Uint8Array };
  target?: string;
}

export const GBDT_DEFAULTS: Required<Omit<GbdtOptions, 'earlyStoppingRounds' | 'threads'>> = {
  nEstimators: 300,
  learningRate: 0.1,
  maxDepth: 4,
  growth: 'depthwise',
  maxLeaves: 31,
  minChildWeight: 1,
  lambda: 1,
  gamma: 0,
  subsample: 1,
  colsampleByTree: 1,
  maxBins: 255,
  seed: 42,
};

interface Split {
  gain: number;
  /** Histogram column (see Shared.colFeature for the feature). */
  col: number;
  bin: number;
  defaultLeft: boolean;
  GL: number;
  HL: number;
}

interface OpenNode {
  id: number;
  /** Per block: start and end of the node's rows in Shared.rows. */
  segs: Int32Array;
  depth: number;
  G: number;
  H: number;
  /** Histogram slot, −1 once the node can no longer split (its histogram would never be read). */
  slot: number;
  split: Split | null;
}

/** Column groups for split items: enough for two threads to balance when one is late. */
const GROUPS = 4;
/** Most pairs per phase: bounds the per-block histogram buffers of a wide level. */
const MAX_PAIRS = 32;
/** Two row blocks when each gets at least this many rows, else one. */
const MIN_BLOCK_ROWS = 2000;

/** Tree being grown, in bin space; converted to raw thresholds at the end. */
interface BinTree {
  feature: number[];
  bin: number[];
  left: number[];
  right: number[];
  defaultLeft: number[];
  value: number[];
  cover: number[];
  gain: number[];
}

function logLossFromMargin(y: Uint8Array, m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const z = m[i]!;
    const lse = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    s += lse - (y[i] ? z : 0);
  }
  return s / y.length;
}

export function trainGbdt(input: TrainInput, options: GbdtOptions = {}, onProgress?: (p: GbdtProgress) => void): EnsembleModel {
  const { threads: threadsOpt, ...rest } = options;
  const o = { ...GBDT_DEFAULTS, ...rest };
  if (!(o.learningRate > 0)) throw new ModelError('bad_option', 'learningRate must be > 0', 'learningRate 必须大于 0');
  if (!(o.subsample > 0 && o.subsample <= 1) || !(o.colsampleByTree > 0 && o.colsampleByTree <= 1)) {
    throw new ModelError('bad_option', 'subsample and colsampleByTree must be in (0, 1]', 'subsample 和 colsampleByTree 必须在 (0, 1] 内');
  }
  if (o.maxBins > 255 || o.maxBins < 2) throw new ModelError('bad_option', 'maxBins must be in [2, 255]', 'maxBins 必须在 [2, 255] 内');
  const features = input.columns.map((c) => c.name);
  const { values, categories } = numericColumns(input.columns);
  const y = input.y;
  const n = values[0]?.length ?? 0;
  const nf = values.length;
  const threads = Math.max(1, Math.min(2, Math.floor(threadsOpt ?? (n * nf >= 200_000 ? availableParallelism() : 1))));
  // Local codes (missing = nbins[f]) column-major, for partitioning; binning fills them.
  const binnedCols = sharedU8(n * nf);
  const bins = binFeatures(values, o.maxBins, binnedCols, threads);
  let Xv: BinnedMatrix | undefined;
  if (input.valid) Xv = binMatrix(numericColumns(input.valid.columns, categories).values, bins);

  const nbins = bins.map((b) => b.uppers.length);
  // Histogram columns: features with two bins or more, laid out back to back (bins, then missing at code nbins[f]).
  const colList: number[] = [];
  for (let f = 0; f < nf; f++) if (nbins[f]! > 1) colList.push(f);
  const nCols = colList.length;
  const colFeature = sharedI32(nCols);
  const colNbins = sharedI32(nCols);
  const colOffs = sharedI32(nCols + 1);
  for (let j = 0; j < nCols; j++) {
    colFeature[j] = colList[j]!;
    colNbins[j] = nbins[colList[j]!]!;
    colOffs[j + 1] = colOffs[j]! + 2 * (colNbins[j]! + 1);
  }
  const histLen = Math.max(1, colOffs[nCols]!);
  const wide = histLen > 65536;
  const nGroups = Math.min(GROUPS, Math.max(1, nCols));
  const nBlocks = n >= 2 * MIN_BLOCK_ROWS ? 2 : 1;
  const depthCap = o.growth === 'depthwise' ? o.maxDepth : o.maxDepth > 0 ? o.maxDepth : Infinity;
  // Pairs one phase can hold: a level's worth depth-wise (batched by MAX_PAIRS), one leaf-wise.
  const pairCap = o.growth === 'depthwise' ? Math.min(MAX_PAIRS, 2 ** Math.max(0, Math.min(o.maxDepth, 6) - 1)) : 1;
  // The kernel's arrays: in one shared WebAssembly memory when the WebAssembly kernel is available.
  const wasmModule = wasmKernelModule(nCols, wide);
  const cw = wide ? 4 : 2;
  const codesBytes = (n * nCols * cw + 7) & ~7;
  const memory = wasmModule ? sharedWasmMemory(codesBytes + 28 * n + ((n * nf + 7) & ~7) + 8 * histLen * pairCap * nBlocks + 64) : null;
  let at = 0;
  const view = <T>(make: (buf: ArrayBufferLike, offset: number) => T, bytes: number): T => {
    const v = make(memory!.buffer, at);
    at += (bytes + 7) & ~7;
    return v;
  };
  const codes = memory
    ? view((buf, off) => (wide ? new Uint32Array(buf, off, n * nCols) : new Uint16Array(buf, off, n * nCols)), codesBytes)
    : wide
      ? sharedU32(n * nCols)
      : sharedU16(n * nCols);
  const gh = memory ? view((buf, off) => new Float64Array(buf, off, 2 * n), 16 * n) : sharedF64(2 * n);
  const rows = memory ? view((buf, off) => new Int32Array(buf, off, n), 4 * n) : sharedI32(n);
  // The partition's arrays too, for the WebAssembly row loops.
  const tmp = memory ? view((buf, off) => new Int32Array(buf, off, n), 4 * n) : sharedI32(n);
  const leafOf = memory ? view((buf, off) => new Int32Array(buf, off, n), 4 * n) : sharedI32(n);
  const cols = memory ? view((buf, off) => new Uint8Array(buf, off, n * nf), n * nf) : binnedCols;
  if (cols !== binnedCols) cols.set(binnedCols);
  const blockHists = Array.from({ length: pairCap * nBlocks }, () => (memory ? view((buf, off) => new Float64Array(buf, off, histLen), 8 * histLen) : sharedF64(histLen)));
  // Pre-offset row-major codes for histograms.
  for (let j = 0; j < nCols; j++) {
    const base = colFeature[j]! * n;
    const off = colOffs[j]!;
    for (let i = 0, k = j; i < n; i++, k += nCols) codes[k] = off + (cols[base + i]! << 1);
  }
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const baseMargin = Math.log(Math.max(pos, 0.5) / Math.max(n - pos, 0.5));
  const vMargin = Xv ? new Float64Array(Xv.n).fill(baseMargin) : undefined;
  const rand = rng(o.seed);
  const importance = new Float64Array(nf);
  const trees: BinTree[] = [];
  let bestIter = -1;
  let bestLoss = Infinity;
  const { lambda } = o;
  // A child needs some hessian even at minChildWeight 0, or its leaf value −G/(H+λ) blows up when λ = 0.
  const minChildWeight = Math.max(o.minChildWeight, 1e-9);
  const groups = sharedI32(nGroups + 1);
  // Groups of about equal histogram length rather than equal column counts: a split item's work is its
  // bins, and data often has flags and codes next to 255-bin amounts (the Taiwan data's last half of the
  // columns holds most of the bins), which left one thread with most of a phase. Every group keeps at
  // least one column. Any contiguous grouping gives the same splits (see combine).
  for (let q = 1, j = 0; q < nGroups; q++) {
    const target = (q * colOffs[nCols]!) / nGroups;
    j = Math.max(j + 1, groups[q - 1]! + 1);
    while (j < nCols - (nGroups - q) && colOffs[j]! + colOffs[j + 1]! <= 2 * target) j++;
    groups[q] = j;
  }
  groups[nGroups] = nCols;
  const blockStart = sharedI32(nBlocks + 1);
  for (let b = 0; b <= nBlocks; b++) blockStart[b] = Math.round((b * n) / nBlocks);
  let opCap = 8;
  const shared: Shared = {
    n,
    nCols,
    nGroups,
    nBlocks,
    histLen,
    ctrl: sharedI32(CTRL.size),
    y: sharedU8(n),
    codes,
    cols,
    colFeature,
    colNbins,
    colOffs,
    groups,
    colOn: sharedU8(nCols).fill(1),
    params: sharedF64(3),
    rows,
    tmp,
    blockStart,
    sampleEnd: sharedI32(nBlocks),
    margin: sharedF64(n).fill(baseMargin),
    // exp(−margin), updated by one multiply per row and tree: saves an exp per row per round.
    em: sharedF64(n).fill(Math.exp(-baseMargin)),
    gh,
    leafOf,
    // Indexed by node id: a tree has fewer than 2n nodes.
    leafValue: sharedF64(2 * n),
    leafExp: sharedF64(2 * n),
    sums: sharedF64(3 * nBlocks),
    ops: sharedI32(OP_INTS * opCap),
    segs: sharedI32(3 * nBlocks * opCap),
    blockHists,
    pairs: sharedI32(PAIR_INTS * pairCap),
    pairStats: sharedF64(PAIR_STATS * pairCap),
    best: sharedF64(2 * nGroups * BEST_SIZE * pairCap),
    slots: [],
    kernelSource: histKernelSource(nCols, wide),
  };
  shared.y.set(y);
  shared.params.set([lambda, minChildWeight, o.gamma]);
  if (memory) {
    shared.wasm = { module: wasmModule!, memory };
    const ex = wasmExports(wasmModule!, memory);
    shared.kernel = wasmKernel(wasmModule!, memory, ex);
    const [rp, tp, cp, lp] = [rows.byteOffset, tmp.byteOffset, cols.byteOffset, leafOf.byteOffset];
    shared.part = (start, end, base, bin, miss, dl) => ex.part(rp, tp, cp + base, start, end, bin, miss, dl);
    shared.assign = (start, end, base, bin, miss, dl, id) => ex.assign(rp, lp, cp + base, start, end, bin, miss, dl, id);
  } else shared.kernel = kernelFor(shared.kernelSource);
  const { ctrl, margin, em, colOn } = shared;
  ctrl[CTRL.allOn] = 1;
  const full = o.subsample >= 1;
  const phases = startPhases(shared, threads);
  // Whole-node histograms by slot id, reused through a free list; new ones are handed to the helper as they appear.
  const freeSlots: number[] = [];
  const getSlot = (): number => {
    const id = freeSlots.pop();
    if (id !== undefined) return id;
    const slot = shared.slots.length;
    phases.patch({}, [[slot, sharedF64(histLen)]]);
    return slot;
  };

  /** Makes room for `ops` ops in the shared arrays (new arrays go to the helper). */
  const reserve = (ops: number): void => {
    const patch: Partial<Shared> = {};
    if (ops > opCap) {
      while (opCap < ops) opCap *= 2;
      // Pending ops carry over.
      const op = sharedI32(OP_INTS * opCap);
      const sg = sharedI32(3 * nBlocks * opCap);
      op.set(shared.ops);
      sg.set(shared.segs);
      Object.assign(patch, { ops: op, segs: sg });
    }
    if (Object.keys(patch).length) phases.patch(patch);
  };

  /** The best split of side (0: slot a, 1: slot b) of pair p, over the groups in order (see splitTask). */
  const combine = (p: number, side: number): Split | null => {
    const best = shared.best;
    let g2 = 2 * o.gamma;
    let at = -1;
    for (let q = 0; q < nGroups; q++) {
      const k = ((2 * p + side) * nGroups + q) * BEST_SIZE;
      if (best[k + 1]! >= 0 && best[k]! > g2) {
        g2 = best[k]!;
        at = k;
      }
    }
    if (at < 0) return null;
    // Column and bin come back as doubles from the Float64Array: made small integers again for the row loops.
    return { gain: 0.5 * g2 - o.gamma, col: best[at + 1]! | 0, bin: best[at + 2]! | 0, defaultLeft: best[at + 3] === 1, GL: best[at + 4]!, HL: best[at + 5]! };
  };

  // Block ops waiting for the next block phase: leaf records (finish, assign at the depth cap) are never
  // urgent, so they ride along with the next expansion or the next round.
  let nOps = 0;
  const pushOp = (type: number, nd: OpenNode, s: Split | null, id: number, side: number, pair: number): void => {
    reserve(nOps + 1);
    const op = shared.ops;
    const k = OP_INTS * nOps;
    op[k] = type;
    op[k + 1] = s ? s.col : 0;
    op[k + 2] = s ? s.bin : 0;
    op[k + 3] = s && s.defaultLeft ? 1 : 0;
    op[k + 4] = id;
    op[k + 5] = side;
    op[k + 6] = pair;
    const sg = shared.segs;
    for (let b = 0; b < nBlocks; b++) {
      sg[3 * (nOps * nBlocks + b)] = nd.segs[2 * b]!;
      sg[3 * (nOps * nBlocks + b) + 1] = nd.segs[2 * b + 1]!;
    }
    nOps++;
  };
  /** Runs a block phase over the pending ops (and the round when `round`). */
  const runBlocks = (round: boolean): void => {
    ctrl[CTRL.ops] = nOps;
    ctrl[CTRL.round] = round ? 1 : 0;
    phases.run(KIND.block, nBlocks, true);
    nOps = 0;
  };

  // Progress for iteration t is sent at the start of t+1, whose gradient pass yields the train loss for free.
  let pending: GbdtProgress | undefined;
  let applyPrevious = false;
  // The helper thread is stopped however training ends.
  try {
    for (let iter = 0; iter < o.nEstimators; iter++) {
      const searchRoot = depthCap > 0 && nCols > 0;
      // Subsampling draws rows (in order, so each block's sample is a run of its own rows) before the round.
      if (!full) {
        let b = 0;
        let k = 0;
        for (let i = 0; i < n; i++) {
          while (i >= blockStart[b + 1]!) shared.sampleEnd[b++] = k;
          if (rand() < o.subsample) rows[k++] = i;
        }
        while (b < nBlocks) shared.sampleEnd[b++] = k;
        // Block b's sample must start at blockStart[b]: move each run into place (back to front).
        for (let bb = nBlocks - 1; bb >= 0; bb--) {
          const from = bb === 0 ? 0 : shared.sampleEnd[bb - 1]!;
          const len = shared.sampleEnd[bb]! - from;
          rows.copyWithin(blockStart[bb]!, from, from + len);
          shared.sampleEnd[bb] = blockStart[bb]! + len;
        }
      }
      ctrl[CTRL.applyPrevious] = applyPrevious ? 1 : 0;
      ctrl[CTRL.wantLoss] = onProgress !== undefined && pending !== undefined ? 1 : 0;
      ctrl[CTRL.fullRows] = full ? 1 : 0;
      ctrl[CTRL.wantHist] = searchRoot ? 1 : 0;
      runBlocks(true);
      applyPrevious = false;
      let G = 0;
      let H = 0;
      let loss = 0;
      for (let b = 0; b < nBlocks; b++) {
        G += shared.sums[3 * b]!;
        H += shared.sums[3 * b + 1]!;
        loss += shared.sums[3 * b + 2]!;
      }
      if (pending) {
        pending.trainLoss = loss / n;
        onProgress?.(pending);
        pending = undefined;
      }
      if (o.colsampleByTree < 1) {
        const all = Array.from({ length: nf }, (_, i) => i);
        for (let i = nf - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [all[i], all[j]] = [all[j]!, all[i]!];
        }
        const on = new Uint8Array(nf);
        for (const f of all.slice(0, Math.max(1, Math.round(nf * o.colsampleByTree)))) on[f] = 1;
        for (let j = 0; j < nCols; j++) colOn[j] = on[colFeature[j]!]!;
        ctrl[CTRL.allOn] = 0;
      }
      const tree: BinTree = { feature: [-1], bin: [0], left: [-1], right: [-1], defaultLeft: [0], value: [0], cover: [0], gain: [0] };
      const rootSegs = new Int32Array(2 * nBlocks);
      for (let b = 0; b < nBlocks; b++) {
        rootSegs[2 * b] = blockStart[b]!;
        rootSegs[2 * b + 1] = full ? blockStart[b + 1]! : shared.sampleEnd[b]!;
      }
      const root: OpenNode = { id: 0, segs: rootSegs, depth: 0, G, H, slot: -1, split: null };
      if (searchRoot) {
        // The round built each block's root histogram into pair 0's block buffers.
        root.slot = getSlot();
        const pairs = shared.pairs;
        pairs[0] = PAIR.searchA;
        pairs[1] = root.slot;
        pairs[2] = -1;
        pairs[3] = 0;
        shared.pairStats[0] = G;
        shared.pairStats[1] = H;
        phases.run(KIND.split, nGroups, true);
        root.split = combine(0, 0);
      }
      const leafValue = (nd: OpenNode): number => (nd.H + lambda > 0 ? (-nd.G / (nd.H + lambda)) * o.learningRate : 0);
      const finish = (nd: OpenNode, recorded: boolean): void => {
        const v = leafValue(nd);
        // Leaves made at the depth cap are recorded per row by their parent's assign op.
        if (!recorded && full) pushOp(OP.finish, nd, null, nd.id, 0, 0);
        shared.leafValue[nd.id] = v;
        shared.leafExp[nd.id] = Math.exp(-v);
        tree.value[nd.id] = v;
        tree.cover[nd.id] = nd.H;
        if (nd.slot >= 0) freeSlots.push(nd.slot);
      };
      // Splits a batch of nodes (part of a level depth-wise, one leaf leaf-wise). Children at the depth cap
      // are leaves: their rows are only recorded (assign op). The others are partitioned, the child with less
      // hessian (usually fewer rows) gets its histogram built, and the pair is searched in a split phase.
      const expand = (batch: OpenNode[]): OpenNode[] => {
        const children: OpenNode[] = [];
        const searched: OpenNode[] = [];
        /** Per pair: its expand op, and the children in id order. */
        const opOf: number[] = [];
        const lr: OpenNode[] = [];
        reserve(nOps + batch.length);
        let np = 0;
        for (const nd of batch) {
          const s = nd.split!;
          const atCap = nd.depth + 1 >= depthCap;
          const li = tree.feature.length;
          const ri = li + 1;
          const f = colFeature[s.col]!;
          for (const arr of [tree.feature, tree.left, tree.right]) arr.push(-1, -1);
          tree.bin.push(0, 0);
          tree.defaultLeft.push(0, 0);
          tree.value.push(0, 0);
          tree.cover.push(0, 0);
          tree.gain.push(0, 0);
          tree.feature[nd.id] = f;
          tree.bin[nd.id] = s.bin;
          tree.left[nd.id] = li;
          tree.right[nd.id] = ri;
          tree.defaultLeft[nd.id] = s.defaultLeft ? 1 : 0;
          tree.cover[nd.id] = nd.H;
          tree.gain[nd.id] = s.gain;
          tree.value[nd.id] = leafValue(nd);
          importance[f] = importance[f]! + s.gain;
          const L: OpenNode = { id: li, segs: nd.segs, depth: nd.depth + 1, G: s.GL, H: s.HL, slot: -1, split: null };
          const R: OpenNode = { id: ri, segs: nd.segs, depth: nd.depth + 1, G: nd.G - s.GL, H: nd.H - s.HL, slot: -1, split: null };
          if (atCap) {
            if (full) pushOp(OP.assign, nd, s, li, 0, 0);
            if (nd.slot >= 0) freeSlots.push(nd.slot);
            finish(L, true);
            finish(R, true);
            continue;
          }
          children.push(L, R);
          const smallLeft = L.H <= R.H;
          const small = smallLeft ? L : R;
          const large = smallLeft ? R : L;
          small.slot = getSlot();
          large.slot = nd.slot;
          opOf.push(nOps);
          lr.push(L, R);
          pushOp(OP.expand, nd, s, li, smallLeft ? 1 : 2, np);
          const pairs = shared.pairs;
          pairs[PAIR_INTS * np] = PAIR.searchA | PAIR.searchB;
          pairs[PAIR_INTS * np + 1] = small.slot;
          pairs[PAIR_INTS * np + 2] = large.slot;
          pairs[PAIR_INTS * np + 3] = np;
          const st = shared.pairStats;
          st[PAIR_STATS * np] = small.G;
          st[PAIR_STATS * np + 1] = small.H;
          st[PAIR_STATS * np + 2] = large.G;
          st[PAIR_STATS * np + 3] = large.H;
          searched.push(small, large);
          np++;
        }
        if (np === 0) return children;
        runBlocks(false);
        // Each expand op's first right index per block splits the parent's segments.
        const sg = shared.segs;
        for (let p = 0; p < np; p++) {
          const ls = new Int32Array(2 * nBlocks);
          const rs = new Int32Array(2 * nBlocks);
          for (let b = 0; b < nBlocks; b++) {
            const k = 3 * (opOf[p]! * nBlocks + b);
            ls[2 * b] = sg[k]!;
            ls[2 * b + 1] = sg[k + 2]!;
            rs[2 * b] = sg[k + 2]!;
            rs[2 * b + 1] = sg[k + 1]!;
          }
          lr[2 * p]!.segs = ls;
          lr[2 * p + 1]!.segs = rs;
        }
        phases.run(KIND.split, np * nGroups, true);
        for (let p = 0; p < np; p++) {
          searched[2 * p]!.split = combine(p, 0);
          searched[2 * p + 1]!.split = combine(p, 1);
        }
        return children;
      };
      if (o.growth === 'leafwise') {
        const open: OpenNode[] = [root];
        let leaves = 1;
        while (open.length && leaves < o.maxLeaves) {
          let pick = -1;
          let g = 0;
          for (let i = 0; i < open.length; i++) {
            const s = open[i]!.split;
            if (s && s.gain > g && open[i]!.depth < depthCap) {
              g = s.gain;
              pick = i;
            }
          }
          if (pick < 0) break;
          const nd = open.splice(pick, 1)[0]!;
          open.push(...expand([nd]));
          leaves++;
        }
        for (const nd of open) finish(nd, false);
      } else {
        let level: OpenNode[] = [root];
        while (level.length) {
          const batch: OpenNode[] = [];
          for (const nd of level) {
            if (nd.split && nd.depth < depthCap) batch.push(nd);
            else finish(nd, false);
          }
          const next: OpenNode[] = [];
          for (let i = 0; i < batch.length; i += MAX_PAIRS) next.push(...expand(batch.slice(i, i + MAX_PAIRS)));
          level = next;
        }
      }
      trees.push(tree);
      if (full) {
        // The next round applies this tree to the margins by the leaves its ops record per row.
        applyPrevious = true;
      } else {
        applyTree(tree, { n, nFeatures: nf, codes: cols }, nbins, margin);
        for (let i = 0; i < n; i++) em[i] = Math.exp(-margin[i]!);
      }
      let validLoss: number | undefined;
      if (Xv && vMargin) {
        applyTree(tree, Xv, null, vMargin);
        validLoss = logLossFromMargin(input.valid!.y, vMargin);
        if (validLoss < bestLoss - 1e-12) {
          bestLoss = validLoss;
          bestIter = iter;
        }
      }
      pending = { iteration: iter + 1, total: o.nEstimators, trainLoss: NaN, ...(validLoss !== undefined ? { validLoss } : {}) };
      if (o.earlyStoppingRounds && Xv && iter - bestIter >= o.earlyStoppingRounds) {
        break;
      }
    }
    // The last tree's leaf records.
    if (nOps > 0) runBlocks(false);
  } finally {
    phases.close();
  }
  if (applyPrevious) for (let i = 0; i < n; i++) margin[i] += shared.leafValue[leafOf[i]!]!;
  if (pending && onProgress) {
    pending.trainLoss = logLossFromMargin(y, margin);
    onProgress(pending);
  }
  const kept = o.earlyStoppingRounds && Xv && bestIter >= 0 ? trees.slice(0, bestIter + 1) : trees;
  const imp: Record<string, number> = {};
  features.forEach((f, j) => (imp[f] = importance[j]!));
  const out: EnsembleModel = {
    format: 'xiezhi.model',
    type: 'ensemble',
    source: 'xiezhi-gbdt',
    features,
    trees: kept.map((t) => toRawTree(t, bins)),
    baseMargin,
    decision: 'le',
    link: 'logistic',
    importance: imp,
    training: { ...o, iterations: trees.length, bestIteration: bestIter >= 0 ? bestIter + 1 : trees.length, ...(Number.isFinite(bestLoss) ? { bestValidLoss: bestLoss } : {}) },
  };
  if (Object.keys(categories).length) out.categories = categories;
  if (input.target) out.target = input.target;
  return out;
}

/**
 * Fits every feature's bins and codes its column into `cols`, features shared out to the helper thread
 * (with two threads): binning is a tenth of a training and would otherwise leave the second core idle.
 * On the first training of a process this also starts the helper, which boots while the trainer bins.
 */
function binFeatures(values: Float64Array[], maxBins: number, cols: Uint8Array, threads: number): FeatureBins[] {
  const nf = values.length;
  const n = values[0]?.length ?? 0;
  let vals = values;
  if (threads > 1) {
    // Shared with the helper by one copy here, rather than by cloning each column (or the whole buffer
    // behind a column view) into the message.
    const buf = sharedF64(n * nf);
    vals = values.map((v, f) => {
      buf.set(v, f * n);
      return buf.subarray(f * n, f * n + n);
    });
  }
  const job: BinJob = { n, maxBins, ctrl: sharedI32(CTRL.size), values: vals, uppers: sharedF64(BIN_SLOTS * nf), nUppers: sharedI32(nf), cols };
  const phases = startPhases(job, threads);
  try {
    for (let first = 0; first < nf; first += MAX_ITEMS) {
      job.ctrl[6] = first;
      phases.run(KIND.bin, Math.min(MAX_ITEMS, nf - first), true);
    }
  } finally {
    phases.close();
  }
  return Array.from({ length: nf }, (_, f) => ({ uppers: job.uppers.slice(BIN_SLOTS * f, BIN_SLOTS * f + job.nUppers[f]!) }));
}

/** Adds the tree's leaf values to margin; missing is code missing[f] (local codes) or MISSING_BIN (null). */
function applyTree(t: BinTree, X: BinnedMatrix, missing: ArrayLike<number> | null, margin: Float64Array): void {
  const { n, codes } = X;
  for (let i = 0; i < n; i++) {
    let k = 0;
    while (t.feature[k]! >= 0) {
      const f = t.feature[k]!;
      const c = codes[f * n + i]!;
      k = (c === (missing ? missing[f]! : MISSING_BIN) ? t.defaultLeft[k] === 1 : c <= t.bin[k]!) ? t.left[k]! : t.right[k]!;
    }
    margin[i] = margin[i]! + t.value[k]!;
  }
}

function toRawTree(t: BinTree, bins: FeatureBins[]): TreeArrays {
  return {
    feature: t.feature,
    threshold: t.feature.map((f, k) => (f >= 0 ? bins[f]!.uppers[t.bin[k]!]! : 0)),
    left: t.left,
    right: t.right,
    defaultLeft: t.defaultLeft,
    value: t.value,
    cover: t.cover,
  };
}
