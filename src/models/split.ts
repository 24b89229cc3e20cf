// Seeded, reproducible splits: stratified train/test, stratified k-fold, and out-of-time by a date column.
import { ModelError } from './errors.js';
import { seededRandom } from '../core/random.js';

export const rng = seededRandom;

function shuffle(a: number[], rand: () => number): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

function byClass(y: ArrayLike<number>, rand: () => number): [number[], number[]] {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] ? pos : neg).push(i);
  return [shuffle(pos, rand), shuffle(neg, rand)];
}

export interface Split {
  train: number[];
  test: number[];
}

/** Stratified split keeping the bad rate equal in both parts. */
export function stratifiedSplit(y: ArrayLike<number>, testFraction = 0.3, seed = 42): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new ModelError('bad_option', 'testFraction must be in (0, 1)', 'testFraction 必须在 (0, 1) 之间');
  const rand = rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of byClass(y, rand)) {
    const k = Math.round(cls.length * testFraction);
    test.push(...cls.slice(0, k));
    train.push(...cls.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Stratified k folds: fold f is the test set of split f. */
export function stratifiedKFold(y: ArrayLike<number>, k = 5, seed = 42): Split[] {
  const rand = rng(seed);
  const foldOf = new Int32Array(y.length);
  for (const cls of byClass(y, rand)) cls.forEach((row, i) => (foldOf[row] = i % k));
  const out: Split[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[i] === f ? test : train).push(i);
    out.push({ train, test });
  }
  return out;
}

/**
 * Out-of-time split: rows dated before `cutoff` train, rows at or after it test. Dates are ISO-8601
 * strings or epoch ms; unparseable dates are an error (silently dropping rows would bias the test).
 */
export function outOfTimeSplit(dates: ArrayLike<string | number | null>, cutoff: string | number): Split {
  const cut = typeof cutoff === 'number' ? cutoff : Date.parse(cutoff);
  if (!Number.isFinite(cut)) throw new ModelError('bad_date', `bad cutoff date: ${cutoff}`, `截止日期无效：${cutoff}`);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    const t = typeof d === 'number' ? d : d == null ? NaN : Date.parse(d);
    if (!Number.isFinite(t)) throw new ModelError('bad_date', `row ${i + 1}: bad date "${d}"`, `第 ${i + 1} 行：日期无效 "${d}"`);
    (t < cut ? train : test).push(i);
  }
  if (train.length === 0 || test.length === 0) {
    throw new ModelError('bad_split', 'out-of-time cutoff leaves one side empty', '跨时间切分后有一侧为空');
  }
  return { train, test };
}
