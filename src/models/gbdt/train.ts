// Histogram gradient-boosted trees for binary targets (log loss). Rows are pre-binned to uint8 codes;
// each round computes gradients and the root histogram in row chunks (shared with a helper thread), then
// each node's histogram is built for the smaller child only, the larger one is parent − smaller
// (histogram subtraction). Missing values learn a default direction per split.
import { availableParallelism } from 'node:os';
import { binIndexOf, binMatrix, fitBins, numericColumns, MISSING_BIN, type BinnedMatrix, type FeatureBins } from './binner.js';
import type { EnsembleModel, TreeArrays } from '../ensemble.js';
import type { Column } from '../data.js';
import { rng } from '../split.js';
import { CTRL, histKernel, histKernelSource, type RoundShared } from './kernels.js';
import { sharedF64, sharedI32, sharedU8, startRound } from './helper.js';
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
  feature: number;
  bin: number;
  defaultLeft: boolean;
  GL: number;
  HL: number;
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  /** null once the node can no longer split (its histogram would never be read). */
  hist: Float64Array | null;
  split: Split | null;
  /** Its rows' leafOf entries are already set. */
  assigned?: boolean;
}

const HIST_STRIDE = 512; // ≤ 256 bins (the last one missing) × (grad, hess)

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
  const bins: FeatureBins[] = values.map((v) => fitBins(v, o.maxBins));
  const y = input.y;
  const n = values[0]?.length ?? 0;
  const nf = values.length;
  let Xv: BinnedMatrix | undefined;
  if (input.valid) Xv = binMatrix(numericColumns(input.valid.columns, categories).values, bins);

  const nbins = bins.map((b) => b.uppers.length);
  // Histogram layout: feature f's (grad, hess) pairs start at offs[f] = 512 f, bins then missing (code
  // nbins[f]); only [offs[f], ends[f]) is used. A fixed stride keeps the generated kernel's source (and
  // V8's optimised code for it) the same across trainings on the same columns; untouched tails cost nothing.
  const offs = new Int32Array(nf + 1);
  const ends = new Int32Array(nf);
  for (let f = 0; f < nf; f++) {
    offs[f + 1] = offs[f]! + HIST_STRIDE;
    ends[f] = offs[f]! + 2 * (nbins[f]! + 1);
  }
  const histLen = offs[nf]!;
  // Local codes (missing = nbins[f]) column-major for partitioning, and row-major for histograms.
  const cols = new Uint8Array(n * nf);
  const rowMajor = sharedU8(n * nf);
  for (let f = 0; f < nf; f++) {
    const miss = nbins[f]!;
    const base = f * n;
    const col = values[f]!;
    const b = bins[f]!;
    for (let i = 0; i < n; i++) {
      const c = binIndexOf(b, col[i]!);
      const lc = c === MISSING_BIN ? miss : c;
      cols[base + i] = lc;
      rowMajor[i * nf + f] = lc;
    }
  }
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const baseMargin = Math.log(Math.max(pos, 0.5) / Math.max(n - pos, 0.5));
  const margin = sharedF64(n).fill(baseMargin);
  // exp(−margin), updated by one multiply per row and tree: saves an exp per row per round.
  const em = sharedF64(n).fill(Math.exp(-baseMargin));
  const vMargin = Xv ? new Float64Array(Xv.n).fill(baseMargin) : undefined;
  // (grad, hess) interleaved per row: one cache line serves both.
  const gh = sharedF64(2 * n);
  const rows = new Int32Array(n);
  const tmp = new Int32Array(n);
  const ogh = new Float64Array(2 * n);
  const rand = rng(o.seed);
  const pool: Float64Array[] = [];
  const getHist = (): Float64Array => {
    const h = pool.pop();
    if (h) return h.fill(0);
    return new Float64Array(histLen);
  };
  const importance = new Float64Array(nf);
  const leafRanges: [number, number, number][] = [];
  const trees: BinTree[] = [];
  let bestIter = -1;
  let bestLoss = Infinity;
  let featsOn = new Int32Array(nf).map((_, i) => i);
  const { lambda, gamma } = o;
  // A child needs some hessian even at minChildWeight 0, or its leaf value −G/(H+λ) blows up when λ = 0.
  const minChildWeight = Math.max(o.minChildWeight, 1e-9);
  const kernelSource = histKernelSource(nf, offs, 0, nf);
  const kernel = histKernel(nf, offs, 0, nf);
  // Row-parallel part of a round in fixed chunks (summed in chunk order, so any thread count gives the same model).
  const nChunks = Math.min(16, Math.max(1, Math.ceil(n / 6000)));
  const chunk = Math.ceil(n / nChunks);
  const shared: RoundShared = {
    n,
    nChunks,
    chunk,
    histLen,
    ctrl: sharedI32(CTRL.size),
    y: sharedU8(n),
    codes: rowMajor,
    margin,
    em,
    gh,
    leafOf: sharedI32(n),
    // Indexed by node id: a tree has fewer than 2n nodes.
    leafValue: sharedF64(2 * n),
    leafExp: sharedF64(2 * n),
    sums: sharedF64(3 * nChunks),
    hists: sharedF64(nChunks * histLen),
    kernelSource,
  };
  shared.y.set(y);
  const threads = Math.max(1, Math.min(2, Math.floor(threadsOpt ?? (n * nf >= 200_000 ? availableParallelism() : 1))));
  const round = startRound(threads);
  shared.kernel = kernel;
  let applyPrevious = false;

  /** Histogram of rows[start, end) (the root over every row comes from the round's chunks instead). */
  const buildHist = (hist: Float64Array, start: number, end: number): void => {
    if (featsOn.length === nf) {
      // Row-wise over the row-major copy: one pass over the node's rows updates every feature's histogram.
      kernel(rows, start, end, rowMajor, gh, hist);
      return;
    }
    // Column subsampling: only this tree's features, one column at a time over the gathered gradients.
    const len = end - start;
    for (let k = 0; k < len; k++) {
      const r = rows[start + k]!;
      ogh[2 * k] = gh[2 * r]!;
      ogh[2 * k + 1] = gh[2 * r + 1]!;
    }
    for (let fi = 0; fi < featsOn.length; fi++) {
      const f = featsOn[fi]!;
      const base = f * n;
      const hb = offs[f]!;
      for (let k = 0; k < len; k++) {
        const b = hb + (cols[base + rows[start + k]!]! << 1);
        hist[b] += ogh[2 * k]!;
        hist[b + 1] += ogh[2 * k + 1]!;
      }
    }
  };

  const findSplit = (node: OpenNode): Split | null => {
    const { G, H } = node;
    const hist = node.hist!;
    const parentScore = (G * G) / (H + lambda);
    // Best split kept in locals: no allocation in the scan.
    let bestGain = 2 * gamma;
    let bf = -1;
    let bb = 0;
    let bdl = false;
    let bGL = 0;
    let bHL = 0;
    for (let fi = 0; fi < featsOn.length; fi++) {
      const f = featsOn[fi]!;
      const hb = offs[f]!;
      const Gm = hist[hb + (nbins[f]! << 1)]!;
      const Hm = hist[hb + (nbins[f]! << 1) + 1]!;
      let GL = 0;
      let HL = 0;
      const last = nbins[f]! - 1;
      const Hn = H - Hm;
      for (let b = 0; b < last; b++) {
        const hh = hist[hb + (b << 1) + 1]!;
        if (hh === 0) continue; // empty bin: same split as the previous one
        GL += hist[hb + (b << 1)]!;
        HL += hh;
        // Missing to the right. Gains are compared doubled (0.5 and γ folded into bestGain).
        if (HL >= minChildWeight && H - HL >= minChildWeight) {
          const gr = G - GL;
          const g2 = (GL * GL) / (HL + lambda) + (gr * gr) / (H - HL + lambda) - parentScore;
          if (g2 > bestGain) {
            bestGain = g2;
            bf = f;
            bb = b;
            bdl = Hm === 0 ? HL >= H - HL : false;
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
              bf = f;
              bb = b;
              bdl = true;
              bGL = gl;
              bHL = hl;
            }
          }
        }
        if (HL >= Hn) break; // every non-missing row is on the left: later bins are empty
      }
    }
    if (bf < 0) return null;
    return { gain: 0.5 * bestGain - gamma, feature: bf, bin: bb, defaultLeft: bdl, GL: bGL, HL: bHL };
  };

  /** Stable in-place partition of rows[start, end); returns the first right index. */
  const partition = (start: number, end: number, s: Split): number => {
    const base = s.feature * n;
    const miss = nbins[s.feature]!;
    const bin = s.bin;
    const dl = s.defaultLeft ? 1 : 0;
    let l = start;
    let r = 0;
    // Branch-free: the direction is data-dependent noise to the branch predictor. Codes are < 256, so
    // (c − bin − 1) >>> 31 is c ≤ bin, and ((c ^ miss) − 1) >>> 31 is c = miss (which is always > bin).
    for (let k = start; k < end; k++) {
      const row = rows[k]!;
      const c = cols[base + row]!;
      const goLeft = ((c - bin - 1) >>> 31) | ((((c ^ miss) - 1) >>> 31) & dl);
      rows[l] = row;
      tmp[r] = row;
      l += goLeft;
      r += goLeft ^ 1;
    }
    rows.set(tmp.subarray(0, r), l);
    return l;
  };

  /** Sets leafOf for rows[start, end) split by s: left child id li, right li + 1 (rows stay in place). */
  const assignLeaves = (start: number, end: number, s: Split, li: number): void => {
    const base = s.feature * n;
    const miss = nbins[s.feature]!;
    const bin = s.bin;
    const dl = s.defaultLeft ? 1 : 0;
    const leafOf = shared.leafOf;
    for (let k = start; k < end; k++) {
      const row = rows[k]!;
      const c = cols[base + row]!;
      const goLeft = ((c - bin - 1) >>> 31) | ((((c ^ miss) - 1) >>> 31) & dl);
      leafOf[row] = li + (goLeft ^ 1);
    }
  };

  // Progress for iteration t is sent at the start of t+1, whose gradient pass yields the train loss for free.
  let pending: GbdtProgress | undefined;
  // The helper thread is stopped however training ends.
  try {
    for (let iter = 0; iter < o.nEstimators; iter++) {
      // Subsampling draws rows before the round so the round knows whether the root histogram is over all rows.
      let m = 0;
      if (o.subsample < 1) {
        for (let i = 0; i < n; i++) if (rand() < o.subsample) rows[m++] = i;
      } else {
        for (let i = 0; i < n; i++) rows[i] = i;
        m = n;
      }
      round.run(shared, applyPrevious, onProgress !== undefined && pending !== undefined, m === n);
      applyPrevious = false;
      let G = 0;
      let H = 0;
      let loss = 0;
      for (let c = 0; c < nChunks; c++) {
        G += shared.sums[3 * c]!;
        H += shared.sums[3 * c + 1]!;
        loss += shared.sums[3 * c + 2]!;
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
        featsOn = Int32Array.from(all.slice(0, Math.max(1, Math.round(nf * o.colsampleByTree)))).sort();
      }
      const tree: BinTree = { feature: [-1], bin: [0], left: [-1], right: [-1], defaultLeft: [0], value: [0], cover: [0], gain: [0] };
      const rootHist = getHist();
      if (m === n) {
        const hs = shared.hists;
        rootHist.set(hs.subarray(0, histLen));
        for (let c = 1; c < nChunks; c++) {
          const o2 = c * histLen;
          for (let f = 0; f < nf; f++) for (let b = offs[f]!, e = ends[f]!; b < e; b++) rootHist[b] += hs[o2 + b]!;
        }
      } else {
        G = 0;
        H = 0;
        for (let k = 0; k < m; k++) {
          G += gh[2 * rows[k]!]!;
          H += gh[2 * rows[k]! + 1]!;
        }
        buildHist(rootHist, 0, m);
      }
      const root: OpenNode = { id: 0, start: 0, end: m, depth: 0, G, H, hist: rootHist, split: null };
      root.split = findSplit(root);
      const open: OpenNode[] = [root];
      let leaves = 1;
      const leafValue = (nd: OpenNode): number => (nd.H + lambda > 0 ? (-nd.G / (nd.H + lambda)) * o.learningRate : 0);
      leafRanges.length = 0;
      const finish = (nd: OpenNode): void => {
        const v = leafValue(nd);
        // Leaves made at the depth cap already have their rows' leafOf set (see assignLeaves).
        if (!nd.assigned) leafRanges.push([nd.start, nd.end, nd.id]);
        shared.leafValue[nd.id] = v;
        shared.leafExp[nd.id] = Math.exp(-v);
        tree.value[nd.id] = v;
        tree.cover[nd.id] = nd.H;
        if (nd.hist) pool.push(nd.hist);
      };
      const depthCap = o.growth === 'depthwise' ? o.maxDepth : o.maxDepth > 0 ? o.maxDepth : Infinity;
      while (open.length) {
        let pick: number;
        if (o.growth === 'leafwise') {
          if (leaves >= o.maxLeaves) break;
          pick = -1;
          let g = 0;
          for (let i = 0; i < open.length; i++) {
            const s = open[i]!.split;
            if (s && s.gain > g && open[i]!.depth < depthCap) {
              g = s.gain;
              pick = i;
            }
          }
          if (pick < 0) break;
        } else pick = 0;
        const nd = open.splice(pick, 1)[0]!;
        const s = nd.split;
        if (!s || nd.depth >= depthCap) {
          finish(nd);
          continue;
        }
        // Children at the depth cap never split: their rows need no partition, only (with every row in
        // the tree) a note of which leaf they fell in, for the next round's margin update.
        const atCap = nd.depth + 1 >= depthCap;
        const li = tree.feature.length;
        if (atCap && m === n) assignLeaves(nd.start, nd.end, s, li);
        const mid = atCap ? nd.start : partition(nd.start, nd.end, s);
        const ri = li + 1;
        for (const arr of [tree.feature, tree.left, tree.right]) arr.push(-1, -1);
        tree.bin.push(0, 0);
        tree.defaultLeft.push(0, 0);
        tree.value.push(0, 0);
        tree.cover.push(0, 0);
        tree.gain.push(0, 0);
        tree.feature[nd.id] = s.feature;
        tree.bin[nd.id] = s.bin;
        tree.left[nd.id] = li;
        tree.right[nd.id] = ri;
        tree.defaultLeft[nd.id] = s.defaultLeft ? 1 : 0;
        tree.cover[nd.id] = nd.H;
        tree.gain[nd.id] = s.gain;
        tree.value[nd.id] = leafValue(nd);
        importance[s.feature] = importance[s.feature]! + s.gain;
        const L: OpenNode = { id: li, start: nd.start, end: mid, depth: nd.depth + 1, G: s.GL, H: s.HL, hist: nd.hist, split: null };
        const R: OpenNode = { id: ri, start: mid, end: nd.end, depth: nd.depth + 1, G: nd.G - s.GL, H: nd.H - s.HL, hist: nd.hist, split: null };
        leaves++;
        if (atCap) {
          pool.push(nd.hist!);
          L.hist = null;
          R.hist = null;
          L.assigned = true;
          R.assigned = true;
          open.push(L, R);
          continue;
        }
        // Build the smaller child, subtract for the larger; the larger reuses the parent's buffer.
        const small = mid - nd.start <= nd.end - mid ? L : R;
        const large = small === L ? R : L;
        const sh = getHist();
        small.hist = sh;
        buildHist(sh, small.start, small.end);
        const ph = large.hist!;
        for (let fi = 0; fi < featsOn.length; fi++) {
          const f = featsOn[fi]!;
          for (let b = offs[f]!, e = ends[f]!; b < e; b++) ph[b] -= sh[b]!;
        }
        for (const c of [L, R]) {
          c.split = c.depth < depthCap ? findSplit(c) : null;
          open.push(c);
        }
      }
      for (const nd of open) finish(nd);
      trees.push(tree);
      // Every row sits in exactly one leaf range when all rows were used; otherwise walk the tree.
      if (m === n) {
        // The next round applies this tree to the margins, row-parallel: record each row's leaf.
        const leafOf = shared.leafOf;
        for (const [start, end, id] of leafRanges) for (let k = start; k < end; k++) leafOf[rows[k]!] = id;
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
  } finally {
    round.close();
  }
  if (applyPrevious) for (let i = 0; i < n; i++) margin[i] += shared.leafValue[shared.leafOf[i]!]!;
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
