// Tree ensembles for binary targets, shared by our GBDT and the XGBoost / LightGBM importers: inference
// on raw feature values and TreeSHAP contributions (Lundberg et al., exact path-dependent algorithm).
import { ModelError } from './errors.js';

export interface TreeArrays {
  /** Feature index per node; -1 marks a leaf. */
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** 1 when missing values go left. */
  defaultLeft: number[];
  /** Leaf value (margin units); ignored for inner nodes. */
  value: number[];
  /** Hessian sum (or row count) reaching the node: TreeSHAP weights paths by it. */
  cover: number[];
  /**
   * Per node, how missing is recognised (LightGBM): 0 = NaN goes the default way (XGBoost, ours);
   * 1 = NaN is treated as 0 and compared; 2 = NaN and 0 both go the default way.
   */
  missingType?: number[];
}

export interface EnsembleModel {
  format: 'xiezhi.model';
  type: 'ensemble';
  /** Who trained it. */
  source: 'xiezhi-gbdt' | 'xgboost' | 'lightgbm';
  features: string[];
  trees: TreeArrays[];
  /** Added to the summed tree outputs (margin units). */
  baseMargin: number;
  /** 'lt': x < threshold goes left (XGBoost); 'le': x <= threshold goes left (LightGBM, ours). */
  decision: 'lt' | 'le';
  /** 'logistic': score = sigmoid(margin); 'identity': score = margin. */
  link: 'logistic' | 'identity';
  /** Categorical features encoded as codes: the code is the index in this list (ours only). */
  categories?: Record<string, string[]>;
  importance?: Record<string, number>;
  /** XGBoost compares float32 inputs against float32 thresholds: round inputs the same way. */
  float32?: boolean;
  target?: string;
  /** Training details (iterations, best iteration, parameters). */
  training?: Record<string, unknown>;
}

/** A compiled ensemble: typed arrays, one contiguous node table for fast scoring. */
export class CompiledEnsemble {
  readonly model: EnsembleModel;
  private readonly roots: Int32Array;
  private readonly feat: Int32Array;
  private readonly thr: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly defLeft: Uint8Array;
  private readonly miss: Uint8Array;
  private readonly val: Float64Array;
  private readonly cover: Float64Array;
  private readonly le: boolean;
  private readonly catIndex: (Map<string, number> | undefined)[];
  /** Cover-weighted mean output of each tree: its share of the SHAP bias. */
  private readonly treeExpected: Float64Array;

  constructor(model: EnsembleModel) {
    validateEnsemble(model);
    this.model = model;
    let total = 0;
    for (const t of model.trees) total += t.feature.length;
    this.roots = new Int32Array(model.trees.length);
    this.feat = new Int32Array(total);
    this.thr = new Float64Array(total);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.defLeft = new Uint8Array(total);
    this.miss = new Uint8Array(total);
    this.val = new Float64Array(total);
    this.cover = new Float64Array(total);
    let off = 0;
    model.trees.forEach((t, ti) => {
      this.roots[ti] = off;
      for (let i = 0; i < t.feature.length; i++) {
        const k = off + i;
        this.feat[k] = t.feature[i]!;
        this.thr[k] = t.threshold[i]!;
        this.left[k] = t.left[i]! + off;
        this.right[k] = t.right[i]! + off;
        this.defLeft[k] = t.defaultLeft[i]!;
        this.miss[k] = t.missingType?.[i] ?? 0;
        this.val[k] = t.value[i]!;
        this.cover[k] = t.cover[i]!;
      }
      off += t.feature.length;
    });
    this.le = model.decision === 'le';
    this.treeExpected = Float64Array.from(this.roots, (r) => this.expected(r));
    this.catIndex = model.features.map((f) => (model.categories?.[f] ? new Map(model.categories[f]!.map((c, i) => [c, i])) : undefined));
  }

  /** Feature record → dense vector (NaN for missing / unknown). */
  vector(features: Record<string, unknown>): Float64Array {
    const fs = this.model.features;
    const x = new Float64Array(fs.length);
    for (let j = 0; j < fs.length; j++) {
      const raw = features[fs[j]!];
      const cat = this.catIndex[j];
      if (raw === null || raw === undefined || raw === '') x[j] = NaN;
      else if (cat) x[j] = cat.get(String(raw)) ?? NaN;
      else x[j] = typeof raw === 'number' ? raw : Number(raw);
    }
    if (this.model.float32) for (let j = 0; j < x.length; j++) x[j] = Math.fround(x[j]!);
    return x;
  }

  private goLeft(k: number, v: number): boolean {
    const mt = this.miss[k]!;
    if (Number.isNaN(v)) {
      if (mt === 1) v = 0;
      else return this.defLeft[k] === 1;
    } else if (mt === 2 && Math.abs(v) <= 1e-35) return this.defLeft[k] === 1;
    return this.le ? v <= this.thr[k]! : v < this.thr[k]!;
  }

  private leaf(root: number, x: Float64Array): number {
    let k = root;
    while (this.feat[k]! >= 0) k = this.goLeft(k, x[this.feat[k]!]!) ? this.left[k]! : this.right[k]!;
    return k;
  }

  margin(x: Float64Array): number {
    let m = this.model.baseMargin;
    for (let t = 0; t < this.roots.length; t++) m += this.val[this.leaf(this.roots[t]!, x)]!;
    return m;
  }

  /** Score: probability of bad for a logistic link, the margin otherwise. */
  predictVector(x: Float64Array): number {
    const m = this.margin(x);
    return this.model.link === 'logistic' ? 1 / (1 + Math.exp(-m)) : m;
  }

  predict(features: Record<string, unknown>): number {
    return this.predictVector(this.vector(features));
  }

  /**
   * TreeSHAP: per-feature contributions in margin units; they sum with `bias` to the margin.
   * Returns an array of length features + 1 (the last entry is the bias).
   */
  shap(x: Float64Array): Float64Array {
    const nf = this.model.features.length;
    const phi = new Float64Array(nf + 1);
    phi[nf] = this.model.baseMargin;
    const maxDepth = 64;
    const pathSize = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    const pf = new Int32Array(pathSize);
    const pz = new Float64Array(pathSize);
    const po = new Float64Array(pathSize);
    const pw = new Float64Array(pathSize);
    for (let t = 0; t < this.roots.length; t++) {
      const root = this.roots[t]!;
      phi[nf] = phi[nf]! + this.treeExpected[t]!;
      this.recurse(x, phi, root, 0, pf, pz, po, pw, 0, 1, 1, -1);
    }
    return phi;
  }

  private expected(k: number): number {
    if (this.feat[k]! < 0) return this.val[k]!;
    const l = this.left[k]!;
    const r = this.right[k]!;
    const c = this.cover[k]!;
    if (c <= 0) return 0;
    return (this.cover[l]! * this.expected(l) + this.cover[r]! * this.expected(r)) / c;
  }

  // The path is stored in the shared arrays at offset `off` with `depth+1` elements.
  private recurse(x: Float64Array, phi: Float64Array, k: number, depth: number, pf: Int32Array, pz: Float64Array, po: Float64Array, pw: Float64Array, parentOff: number, zf: number, of: number, fi: number): void {
    // Copy the parent path forward (each recursion level has its own slot block).
    const off = parentOff + depth + 1;
    if (depth > 0) {
      for (let i = 0; i < depth; i++) {
        pf[off + i] = pf[parentOff + i]!;
        pz[off + i] = pz[parentOff + i]!;
        po[off + i] = po[parentOff + i]!;
        pw[off + i] = pw[parentOff + i]!;
      }
    }
    // extend
    pf[off + depth] = fi;
    pz[off + depth] = zf;
    po[off + depth] = of;
    pw[off + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      pw[off + i + 1] = pw[off + i + 1]! + (of * pw[off + i]! * (i + 1)) / (depth + 1);
      pw[off + i] = (zf * pw[off + i]! * (depth - i)) / (depth + 1);
    }
    if (this.feat[k]! < 0) {
      const v = this.val[k]!;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(pz, po, pw, off, depth, i);
        phi[pf[off + i]!] = phi[pf[off + i]!]! + w * (po[off + i]! - pz[off + i]!) * v;
      }
      return;
    }
    const f = this.feat[k]!;
    const hot = this.goLeft(k, x[f]!) ? this.left[k]! : this.right[k]!;
    const cold = hot === this.left[k]! ? this.right[k]! : this.left[k]!;
    const c = this.cover[k]!;
    const hz = c > 0 ? this.cover[hot]! / c : 0;
    const cz = c > 0 ? this.cover[cold]! / c : 0;
    let iz = 1;
    let io = 1;
    let pathDepth = depth;
    // If this feature was already split on along the path, undo that element first.
    let prev = -1;
    for (let i = 1; i <= depth; i++) if (pf[off + i] === f) { prev = i; break; }
    if (prev >= 0) {
      iz = pz[off + prev]!;
      io = po[off + prev]!;
      this.unwind(pf, pz, po, pw, off, depth, prev);
      pathDepth -= 1;
    }
    this.recurse(x, phi, hot, pathDepth + 1, pf, pz, po, pw, off, hz * iz, io, f);
    this.recurse(x, phi, cold, pathDepth + 1, pf, pz, po, pw, off, cz * iz, 0, f);
  }

  private unwind(pf: Int32Array, pz: Float64Array, po: Float64Array, pw: Float64Array, off: number, depth: number, idx: number): void {
    const one = po[off + idx]!;
    const zero = pz[off + idx]!;
    let next = pw[off + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pw[off + i]!;
        pw[off + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (pw[off + i]! * zero * (depth - i)) / (depth + 1);
      } else {
        pw[off + i] = (pw[off + i]! * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = idx; i < depth; i++) {
      pf[off + i] = pf[off + i + 1]!;
      pz[off + i] = pz[off + i + 1]!;
      po[off + i] = po[off + i + 1]!;
    }
  }

  private unwoundSum(pz: Float64Array, po: Float64Array, pw: Float64Array, off: number, depth: number, idx: number): number {
    const one = po[off + idx]!;
    const zero = pz[off + idx]!;
    let next = pw[off + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = pw[off + i]! - (tmp * zero * (depth - i)) / (depth + 1);
      } else if (zero !== 0) {
        total += pw[off + i]! / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  /** Reasons: the features pushing the margin up (riskier) most, largest first. */
  reasons(x: Float64Array, top = 5): { feature: string; contribution: number }[] {
    const phi = this.shap(x);
    const out: { feature: string; contribution: number }[] = [];
    for (let j = 0; j < this.model.features.length; j++) if (phi[j]! > 1e-12) out.push({ feature: this.model.features[j]!, contribution: phi[j]! });
    return out.sort((a, b) => b.contribution - a.contribution).slice(0, top);
  }
}

export function validateEnsemble(m: EnsembleModel): void {
  const bad = (msg: string): never => {
    throw new ModelError('bad_model', `invalid tree model: ${msg}`, `树模型无效：${msg}`);
  };
  if (!Array.isArray(m.trees) || !Array.isArray(m.features)) bad('trees and features must be arrays');
  m.trees.forEach((t, ti) => {
    const n = t.feature?.length ?? 0;
    if (n === 0) bad(`tree ${ti} is empty`);
    for (const key of ['threshold', 'left', 'right', 'defaultLeft', 'value', 'cover'] as const) {
      if (!Array.isArray(t[key]) || t[key].length !== n) bad(`tree ${ti}: ${key} must have ${n} entries`);
    }
    for (let i = 0; i < n; i++) {
      const f = t.feature[i]!;
      if (f >= m.features.length) bad(`tree ${ti} node ${i} uses feature ${f}, model has ${m.features.length}`);
      if (f >= 0 && !(t.left[i]! >= 0 && t.right[i]! >= 0 && t.left[i]! < n && t.right[i]! < n)) bad(`tree ${ti} node ${i} has bad children`);
    }
    // Every node reachable once from the root: no cycles (which would hang inference).
    const seen = new Uint8Array(n);
    const stack = [0];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen[k]) bad(`tree ${ti} is not a tree (node ${k} reached twice)`);
      seen[k] = 1;
      if (t.feature[k]! >= 0) stack.push(t.left[k]!, t.right[k]!);
    }
  });
}
