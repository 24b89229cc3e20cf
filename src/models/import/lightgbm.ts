// LightGBM text model import (Booster.save_model('model.txt')): binary objectives, numeric splits,
// all three missing-value types (None, Zero, NaN) and default directions.
import type { EnsembleModel, TreeArrays } from '../ensemble.js';
import { ModelError } from '../errors.js';

const unsupported = (what: string): never => {
  throw new ModelError('unsupported_model', `unsupported LightGBM model: ${what}`, `不支持的 LightGBM 模型：${what}`);
};

function nums(v: string | undefined): number[] {
  return v === undefined || v.trim() === '' ? [] : v.trim().split(/\s+/).map(Number);
}

export function importLightgbmText(text: string): EnsembleModel {
  if (!/^tree\s*$/m.test(text.split('\n', 1)[0] ?? '') && !text.startsWith('tree')) unsupported('not a LightGBM text model (first line must be "tree")');
  const blocks = text.split(/\n(?=Tree=\d+)/);
  const head = new Map<string, string>();
  for (const line of blocks[0]!.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) head.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const objective = head.get('objective') ?? '';
  let link: 'logistic' | 'identity';
  if (/^binary\b/.test(objective) || /^cross_entropy\b/.test(objective)) {
    const sig = /sigmoid:([\d.eE+-]+)/.exec(objective);
    if (sig && Number(sig[1]) !== 1) unsupported(`sigmoid scale ${sig[1]} (only 1)`);
    link = 'logistic';
  } else if (/^regression\b/.test(objective)) link = 'identity';
  else link = unsupported(`objective "${objective}" (binary, cross_entropy, regression)`);
  if (Number(head.get('num_class') ?? 1) !== 1 || Number(head.get('num_tree_per_iteration') ?? 1) !== 1) unsupported('multi-class models');
  const features = (head.get('feature_names') ?? '').trim().split(/\s+/).filter(Boolean);
  if (features.length === 0) unsupported('no feature_names');
  const trees: TreeArrays[] = [];
  for (const block of blocks.slice(1)) {
    const end = block.indexOf('end of trees');
    const body = end >= 0 ? block.slice(0, end) : block;
    const kv = new Map<string, string>();
    for (const line of body.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
    }
    if (!kv.has('num_leaves')) continue;
    if (Number(kv.get('num_cat') ?? 0) > 0) unsupported('categorical splits');
    if (kv.get('is_linear') === '1') unsupported('linear trees');
    const leaves = Number(kv.get('num_leaves'));
    const leafValue = nums(kv.get('leaf_value'));
    const shrink = 1; // leaf values are stored already shrunk
    if (leaves === 1) {
      trees.push({ feature: [-1], threshold: [0], left: [0], right: [0], defaultLeft: [0], value: [leafValue[0]! * shrink], cover: [nums(kv.get('leaf_count'))[0] ?? 1] });
      continue;
    }
    const sf = nums(kv.get('split_feature'));
    const th = nums(kv.get('threshold'));
    const dt = nums(kv.get('decision_type'));
    const lc = nums(kv.get('left_child'));
    const rc = nums(kv.get('right_child'));
    const ic = nums(kv.get('internal_count'));
    const lcnt = nums(kv.get('leaf_count'));
    const ni = leaves - 1;
    const idx = (c: number): number => (c < 0 ? ni + ~c : c);
    const t: TreeArrays = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [], missingType: [] };
    for (let i = 0; i < ni; i++) {
      const d = dt[i]!;
      if (d & 1) unsupported('categorical splits');
      const mt = (d >> 2) & 3;
      t.feature.push(sf[i]!);
      t.threshold.push(th[i]!);
      t.left.push(idx(lc[i]!));
      t.right.push(idx(rc[i]!));
      t.defaultLeft.push(d & 2 ? 1 : 0);
      t.value.push(0);
      t.cover.push(ic[i] ?? 0);
      // Ours: 0 = NaN → default, 1 = NaN → 0 then compare, 2 = NaN or 0 → default.
      t.missingType!.push(mt === 2 ? 0 : mt === 1 ? 2 : 1);
    }
    for (let j = 0; j < leaves; j++) {
      t.feature.push(-1);
      t.threshold.push(0);
      t.left.push(0);
      t.right.push(0);
      t.defaultLeft.push(0);
      t.value.push(leafValue[j]! * shrink);
      t.cover.push(lcnt[j] ?? 0);
      t.missingType!.push(0);
    }
    trees.push(t);
  }
  if (trees.length === 0) unsupported('no trees');
  return { format: 'xiezhi.model', type: 'ensemble', source: 'lightgbm', features, trees, baseMargin: 0, decision: 'le', link, training: { objective } };
}
