// The scorecard bin shapes of the engine (src/decision/risk/scorecard.ts, docs/risk-nodes.md), switching a bin
// between them, parsing category tags, and the checks the form shows inline before the engine sees the graph.
type Obj = Record<string, any>;

export type BinType = 'range' | 'values' | 'missing' | 'when';

/** Which shape a bin has; a bin with none yet counts as a unary test (what a new bin starts as). */
export function binType(b: Obj): BinType {
  if (b.missing !== undefined) return 'missing';
  if (b.values !== undefined) return 'values';
  if (b.min !== undefined || b.max !== undefined) return 'range';
  if (b.when !== undefined) return 'when';
  return 'when';
}

/** The bin with its shape switched; points, reason code and label are kept, the old shape's fields dropped. */
export function withType(b: Obj, t: BinType): Obj {
  const { when: _w, min: _min, max: _max, values: _v, missing: _m, ...rest } = b;
  switch (t) {
    case 'range':
      // Both ends open would be "no shape" to the engine, so a fresh range starts at 0.
      return { ...rest, min: 0 };
    case 'values':
      return { ...rest, values: [] };
    case 'missing':
      return { ...rest, missing: true };
    case 'when':
      return { ...rest, when: '' };
  }
}

/**
 * A typed category tag: JSON scalars keep their type (`3` is a number, `true` a boolean, `"3"` the text 3);
 * anything else is text as typed. The engine matches values exactly, so 3 and "3" are different categories.
 */
export function parseTag(t: string): unknown {
  const s = t.trim();
  try {
    const v: unknown = JSON.parse(s);
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  } catch {
    // not JSON: plain text
  }
  return s;
}

/** The tag text for a category value (round-trips through parseTag). */
export function tagOf(v: unknown): string {
  if (typeof v === 'string') {
    // Text that would parse as another type is shown quoted so it stays text.
    return parseTag(v) === v ? v : JSON.stringify(v);
  }
  return JSON.stringify(v);
}

export interface BinIssue {
  /** Index of the bin the message is shown beside. */
  bin: number;
  /** Which part: the bin as a whole, or one of its fields. */
  field?: 'min' | 'max' | 'values';
  code: 'inverted' | 'overlap' | 'bothOpen' | 'emptyValues' | 'duplicateMissing' | 'duplicateValue' | 'badNumber';
  /** The other bin involved (overlaps, duplicates). */
  other?: number;
  /** The value or bound involved, for the message. */
  detail?: string;
}

const bound = (v: unknown, open: number): number | undefined => (v === undefined || v === null ? open : typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * A range bin with one bound set (undefined = open end). Clearing the last bound leaves it `null`, so the bin
 * stays a range in the form and the check below says it needs a bound (the engine wants at least one).
 */
export function withBound(b: Obj, key: 'min' | 'max', v: number | null): Obj {
  const other = key === 'min' ? b.max : b.min;
  const next: Obj = { ...b };
  if (v !== null) {
    next[key] = v;
    if (other === null) delete next[key === 'min' ? 'max' : 'min'];
  } else if (other === undefined || other === null) next[key] = null;
  else delete next[key];
  return next;
}

/** Checks one characteristic's bins: inverted or overlapping ranges, empty or repeated categories, two missing bins. */
export function checkBins(bins: readonly Obj[]): BinIssue[] {
  const out: BinIssue[] = [];
  const ranges: { i: number; min: number; max: number }[] = [];
  const seen = new Map<string, number>();
  let missingAt = -1;
  bins.forEach((b, i) => {
    const t = binType(b);
    if (t === 'range') {
      const min = bound(b.min, -Infinity);
      const max = bound(b.max, Infinity);
      if (min === undefined) return out.push({ bin: i, field: 'min', code: 'badNumber' });
      if (max === undefined) return out.push({ bin: i, field: 'max', code: 'badNumber' });
      if (min === -Infinity && max === Infinity) return out.push({ bin: i, code: 'bothOpen' });
      if (!(min < max)) return out.push({ bin: i, code: 'inverted', detail: `${fmt(min)} ≥ ${fmt(max)}` });
      for (const r of ranges) {
        if (min < r.max && r.min < max) {
          out.push({ bin: i, code: 'overlap', other: r.i, detail: `[${fmt(Math.max(min, r.min))}, ${fmt(Math.min(max, r.max))})` });
          break;
        }
      }
      ranges.push({ i, min, max });
    } else if (t === 'values') {
      if (!Array.isArray(b.values) || b.values.length === 0) return out.push({ bin: i, field: 'values', code: 'emptyValues' });
      for (const v of b.values as unknown[]) {
        const k = JSON.stringify(v);
        const first = seen.get(k);
        if (first !== undefined && first !== i) {
          out.push({ bin: i, field: 'values', code: 'duplicateValue', other: first, detail: tagOf(v) });
          break;
        }
        seen.set(k, i);
      }
    } else if (t === 'missing') {
      if (missingAt >= 0) out.push({ bin: i, code: 'duplicateMissing', other: missingAt });
      else missingAt = i;
    }
  });
  return out;
}

const fmt = (n: number): string => (n === Infinity ? '+∞' : n === -Infinity ? '-∞' : String(n));

/** The bin as the engine labels it in traces ("[25, 50)", "\"own\",\"rent\"", "missing", or the test). */
export function binLabel(b: Obj): string {
  switch (binType(b)) {
    case 'range':
      return `[${b.min ?? '-∞'}, ${b.max ?? '+∞'})`;
    case 'values':
      return Array.isArray(b.values) ? b.values.map((x: unknown) => JSON.stringify(x)).join(',') : '';
    case 'missing':
      return 'missing';
    default:
      return String(b.when ?? '');
  }
}
