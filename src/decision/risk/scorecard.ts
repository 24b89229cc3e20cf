// scorecard: each characteristic evaluates an expression and falls into the first bin that holds its value
// (a unary test such as "[18..25)", a numeric range min ≤ v < max, a category set, or the missing bin), earning
// that bin's points. Score = basePoints + Σ points. Reason codes rank characteristics by points lost against
// their best bin (largest loss first), the usual adverse-action explanation.
import type { CompiledExpression } from '../../expression/types.js';
import type { CompiledNode, CustomNodeCompiler, NodeOutput } from '../types.js';
import { BatchFailure, ExpressionBatch } from '../fast.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, list, num, str, unary } from './config.js';

type Test = (value: unknown, input: unknown, env: { now: number }) => boolean;

interface Bin {
  test: Test;
  points: number;
  label: string;
  reasonCode?: string;
  missing: boolean;
  /** Set for min/max bins (the test is min ≤ v < max on numbers). */
  range?: { min: number; max: number };
  /** Set for category bins (the test is membership). */
  values?: readonly unknown[];
}

interface Characteristic {
  id: string;
  expression: CompiledExpression;
  bins: Bin[];
  missingBin?: Bin;
  defaultPoints: number;
  best: number;
  reasonCode: string;
  reason?: string;
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

export const compileScorecard: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'scorecard');
  if (!cfg) return undefined;
  let ok = true;
  const issue = (f: string | undefined, m: string) => {
    ok = false;
    ctx.issue(f, m);
  };
  const basePoints = num(cfg, 'basePoints', 'basePoints', issue, 0) ?? 0;
  const maxReasons = num(cfg, 'maxReasons', 'maxReasons', issue, 4) ?? 4;
  const raw = list(cfg, 'characteristics', issue);
  if (!raw) return undefined;
  const paths = new Set<string>();
  const chars: Characteristic[] = [];
  const ids = new Set<string>();
  raw.forEach((c: unknown, i) => {
    const at = `characteristics[${i}]`;
    if (!isPlainObject(c)) return issue(at, 'characteristic must be an object');
    const id = str(c, 'id', `${at}.id`, issue);
    if (id !== undefined && ids.has(id)) issue(`${at}.id`, `duplicate characteristic id '${id}'`);
    if (id !== undefined) ids.add(id);
    const expression = expr(c, 'expression', `${at}.expression`, issue);
    addPaths(paths, expression);
    const rawBins = list(c, 'bins', (f, m) => issue(`${at}.${f ?? ''}`, m));
    const defaultPoints = num(c, 'defaultPoints', `${at}.defaultPoints`, issue, 0) ?? 0;
    const bins: Bin[] = [];
    let missingBin: Bin | undefined;
    rawBins?.forEach((b: unknown, j) => {
      const bat = `${at}.bins[${j}]`;
      if (!isPlainObject(b)) return issue(bat, 'bin must be an object');
      const points = num(b, 'points', `${bat}.points`, issue);
      const shapes = ['when', 'values', 'missing'].filter((k) => b[k] !== undefined).length + (b.min !== undefined || b.max !== undefined ? 1 : 0);
      if (shapes !== 1) return issue(bat, 'bin needs exactly one of: when (unary test), min/max (range), values (categories), missing: true');
      let test: Test | undefined;
      let label = '';
      let missing = false;
      let range: Bin['range'];
      let values: Bin['values'];
      if (typeof b.when === 'string') {
        const e = unary(b.when, `${bat}.when`, issue);
        addPaths(paths, e);
        if (e) test = (v, input, env) => !isMissing(v) && e.evaluate(input, v, env) === true;
        label = b.when;
      } else if (b.when !== undefined) {
        issue(`${bat}.when`, 'when must be a unary expression string such as "[18..25)" or "> 700"');
      } else if (b.values !== undefined) {
        if (!Array.isArray(b.values) || b.values.length === 0) issue(`${bat}.values`, 'values must be a non-empty array');
        else {
          const set = new Set<unknown>(b.values);
          test = (v) => set.has(v);
          values = b.values;
          label = b.values.map((x) => JSON.stringify(x)).join(',');
        }
      } else if (b.missing !== undefined) {
        if (b.missing !== true) issue(`${bat}.missing`, 'missing must be true');
        missing = true;
        test = isMissing;
        label = 'missing';
      } else {
        const min = b.min === undefined ? -Infinity : num(b, 'min', `${bat}.min`, issue);
        const max = b.max === undefined ? Infinity : num(b, 'max', `${bat}.max`, issue);
        if (min !== undefined && max !== undefined) {
          if (!(min < max)) issue(bat, `min (${min}) must be below max (${max})`);
          test = (v) => typeof v === 'number' && v >= min && v < max;
          range = { min, max };
          label = `[${Number.isFinite(min) ? min : '-∞'}, ${Number.isFinite(max) ? max : '+∞'})`;
        }
      }
      if (typeof b.label === 'string') label = b.label;
      const reasonCode = str(b, 'reasonCode', `${bat}.reasonCode`, issue, false);
      if (!test || points === undefined) return;
      const bin: Bin = { test, points, label, reasonCode, missing, range, values };
      if (missing) missingBin = bin;
      else bins.push(bin);
    });
    if (rawBins && rawBins.length === 0) issue(`${at}.bins`, 'a characteristic needs at least one bin');
    const reasonCode = str(c, 'reasonCode', `${at}.reasonCode`, issue, false);
    if (!id || !expression || !ok) return;
    const all = missingBin ? [...bins, missingBin] : bins;
    const best = Math.max(defaultPoints, ...all.map((b) => b.points));
    chars.push({ id, expression, bins, missingBin, defaultPoints, best, reasonCode: reasonCode ?? id, reason: typeof c.reason === 'string' ? c.reason : undefined });
  });
  if (!ok) return undefined;
  const batch = new ExpressionBatch(chars.map((c) => c.expression));
  const classifiers = chars.map(classifierOf);
  const cap = Math.max(0, Math.trunc(maxReasons));
  // Characteristic values of the evaluation in progress (filled and read within one evaluate).
  const scratch: unknown[] = new Array(chars.length).fill(undefined);
  // False when no later node reads `characteristics` (see omitUnread); tracing always builds them.
  let detailsLive = true;

  return {
    paths: [...paths],
    omitUnread(live) {
      detailsLive = live.has('characteristics');
    },
    evaluate(input, nctx): NodeOutput {
      const withDetails = detailsLive || nctx.trace;
      let score = basePoints;
      const env = nctx.env;
      const values = scratch;
      batch.evaluateAll(input, env, values);
      const details: Detail[] | undefined = withDetails ? new Array(chars.length) : undefined;
      // Kept ranked while built (stable: equal losses keep the characteristics' order) and capped at maxReasons.
      const losses: Loss[] = [];
      let errors: { id: string; message: string }[] | undefined;
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i]!;
        let value = values[i];
        if (typeof value === 'object' && value instanceof BatchFailure) {
          (errors ??= []).push({ id: c.id, message: value.message });
          value = undefined;
        }
        const bin = isMissing(value) ? c.missingBin : classify(classifiers[i]!, c.bins, value, input, env);
        const points = bin ? bin.points : c.defaultPoints;
        score += points;
        const lost = c.best - points;
        if (details) details[i] = { id: c.id, points, bin: bin ? bin.label : 'default', lost };
        if (lost > 0) {
          let at = losses.length;
          while (at > 0 && losses[at - 1]!.score < lost) at--;
          if (at < cap) {
            const code = bin?.reasonCode ?? c.reasonCode;
            // Insert at `at`, dropping the last when full (no splice: a builtin call per reason).
            let k = losses.length < cap ? losses.length : cap - 1;
            if (k === losses.length) losses.push(undefined as never);
            for (; k > at; k--) losses[k] = losses[k - 1]!;
            losses[at] = c.reason ? { code, message: c.reason, score: lost } : { code, score: lost };
          }
        }
      }
      const output: Record<string, unknown> = details ? { score, basePoints, characteristics: details, reasons: losses } : { score, basePoints, reasons: losses };
      if (errors) output.errors = errors;
      return nctx.trace ? { output, matched: details!.map(matchedLabel) } : { output };
    },
  };
};

interface Detail {
  id: string;
  points: number;
  bin: string;
  lost: number;
}

type Loss = { code: string; message?: string; score: number };

const matchedLabel = (d: Detail): string => `${d.id}:${d.bin}`;

/**
 * How a characteristic's bins are searched. Bins that are all numeric ranges become two typed arrays scanned
 * in order; bins that are all category sets become one map from value to its first bin. Anything else (unary
 * tests, mixed shapes) tries each bin's test in order. All three give the first bin that holds the value.
 */
interface Classifier {
  kind: 0 | 1 | 2;
  mins: Float64Array;
  maxs: Float64Array;
  categories: Map<unknown, number>;
}

const GENERIC = 0;
const RANGES = 1;
const CATEGORIES = 2;

function classifierOf(c: Characteristic): Classifier {
  const bins = c.bins;
  const mins = new Float64Array(bins.length);
  const maxs = new Float64Array(bins.length);
  const categories = new Map<unknown, number>();
  let kind: Classifier['kind'] = GENERIC;
  if (bins.length > 0 && bins.every((b) => b.range !== undefined)) {
    kind = RANGES;
    bins.forEach((b, j) => {
      mins[j] = b.range!.min;
      maxs[j] = b.range!.max;
    });
  } else if (bins.length > 0 && bins.every((b) => b.values !== undefined)) {
    kind = CATEGORIES;
    bins.forEach((b, j) => {
      for (const v of b.values!) if (!categories.has(v)) categories.set(v, j);
    });
  }
  return { kind, mins, maxs, categories };
}

function classify(k: Classifier, bins: Bin[], value: unknown, input: unknown, env: { now: number }): Bin | undefined {
  switch (k.kind) {
    case RANGES: {
      if (typeof value !== 'number') return undefined;
      const mins = k.mins;
      const maxs = k.maxs;
      for (let j = 0; j < mins.length; j++) if (value >= mins[j]! && value < maxs[j]!) return bins[j];
      return undefined;
    }
    case CATEGORIES: {
      const j = k.categories.get(value);
      return j === undefined ? undefined : bins[j];
    }
    default:
      for (let j = 0; j < bins.length; j++) {
        let hit = false;
        try {
          hit = bins[j]!.test(value, input, env);
        } catch {
          hit = false;
        }
        if (hit) return bins[j];
      }
      return undefined;
  }
}
