// Value semantics shared by operators and library functions: equality, ordering, type names, text form.
import { ZenDate } from './dates.js';
import { fault } from './errors.js';
import { MAX_DATA_DEPTH, MAX_RANGE_LENGTH } from './limits.js';

/** A range value such as [1..10] or (0..5]; bounds are numbers or dates. */
export class Interval {
  constructor(
    readonly left: unknown,
    readonly right: unknown,
    readonly leftClosed: boolean,
    readonly rightClosed: boolean,
  ) {}

  has(v: unknown): boolean {
    const a = compare(v, this.left);
    const b = compare(v, this.right);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return (this.leftClosed ? a >= 0 : a > 0) && (this.rightClosed ? b <= 0 : b < 0);
  }

  /** The integers in the interval (for map/filter over a range). */
  toArray(): number[] {
    if (typeof this.left !== 'number' || typeof this.right !== 'number') fault('Only numeric ranges can be iterated');
    const start = this.leftClosed ? Math.ceil(this.left) : Math.floor(this.left) + 1;
    const end = this.rightClosed ? Math.floor(this.right) : Math.ceil(this.right) - 1;
    const n = end - start + 1;
    if (n <= 0) return [];
    if (n > MAX_RANGE_LENGTH) fault(`Range too large to iterate: ${n} elements (limit ${MAX_RANGE_LENGTH})`);
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = start + k;
    return out;
  }

  toJSON(): string {
    return `${this.leftClosed ? '[' : '('}${toText(this.left)}..${toText(this.right)}${this.rightClosed ? ']' : ')'}`;
  }
}

/**
 * ZEN computes with decimals. We compute with doubles and remove binary noise: the result is rounded to 15
 * significant digits of `scale` (the largest operand magnitude for + - %, the result for * /), and that decimal
 * is taken only when it lies within a couple of units in the last place of the double. So 0.1 + 0.2 == 0.3 and
 * 10 % 3.3 == 0.1, while 2/3 keeps all its digits (0.6666666666666666, as ZEN prints it).
 */
export function fixNumber(r: number, scale?: number, tolerance = 4.5e-16): number {
  if (Number.isInteger(r) || !Number.isFinite(r)) return r;
  const abs = r < 0 ? -r : r;
  const m = scale !== undefined && scale > abs ? scale : abs;
  if (m >= 1e-7 && m < 1e15) {
    const p = POW10[14 - Math.floor(Math.log10(m)) + 7]!;
    const y = r * p;
    const f = Math.floor(y);
    // An exact tie is a genuine 16th digit, not noise: keep the double.
    if (y - f !== 0.5 && f > -1e15 && f < 1e15) {
      const decimal = (y - f < 0.5 ? f : f + 1) / p;
      const d = decimal - r;
      return (d < 0 ? -d : d) <= m * tolerance ? decimal : r;
    }
  }
  return r;
}

// POW10[k] = 10^(k - 7), for k - 7 from -7 … 21 (all exact doubles).
const POW10 = Array.from({ length: 29 }, (_x, k) => Number(`1e${k - 7}`));

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ZenDate) && !(v instanceof Interval);
}

/** Reads an own data property; anything else (prototype, missing, functions) is null. */
export function own(o: unknown, key: string): unknown {
  if (typeof o === 'object' && o !== null && Object.hasOwn(o, key)) {
    const v = (o as Record<string, unknown>)[key];
    // Arrays expose only indexes (through [i]), never `length` by name.
    return v === undefined || typeof v === 'function' || Array.isArray(o) ? null : v;
  }
  return null;
}

/** Assigns without ever touching a prototype (a '__proto__' key becomes an ordinary own property). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      if (Array.isArray(v)) return 'array';
      if (v instanceof ZenDate) return 'date';
      if (v instanceof Interval) return 'interval';
      return 'object';
  }
}

export function equals(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return (a === undefined && b === null) || (a === null && b === undefined);
  }
  if (depth > MAX_DATA_DEPTH) fault(`Data nested too deep to compare (limit ${MAX_DATA_DEPTH})`);
  if (a instanceof ZenDate) return b instanceof ZenDate && a.ms === b.ms;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof ZenDate) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !equals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/** Orders numbers, dates and strings; NaN when the two values are not comparable. */
export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (a instanceof ZenDate && b instanceof ZenDate) {
    return a.ms < b.ms ? -1 : a.ms > b.ms ? 1 : a.ms === b.ms ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return NaN;
}

/** Plain decimal notation (no exponent), as ZEN prints its decimals. */
export function formatNumber(n: number): string {
  const s = String(n);
  if (!s.includes('e')) return s;
  if (!Number.isFinite(n)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** string() and template text: scalars only, as in ZEN (arrays and objects are an error). */
export function scalarText(v: unknown): string {
  if (typeof v === 'object' && v !== null && !(v instanceof ZenDate) && !(v instanceof Interval)) {
    return fault(`Cannot convert ${typeName(v)} to a string`);
  }
  return toText(v);
}

/** Text form of any value (scalars as ZEN prints them, data as JSON). */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (v instanceof ZenDate || v instanceof Interval) return String(v.toJSON());
  try {
    return JSON.stringify(v);
  } catch {
    return fault('Data nested too deep to convert to text');
  }
}

export function truthy(v: unknown): boolean {
  return v === true;
}

/** An array, or a numeric interval's integers; anything else is an error naming the function. */
export function toList(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Interval) return v.toArray();
  return fault(`${fn}() expects an array, got ${typeName(v)}`);
}

/** Own enumerable properties copied into a new plain object (copy-on-write for assignments). */
export function shallowCopy(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, v[k]);
  return out;
}

/** Replaces date and interval values with their JSON text, for callers that want plain JSON data. */
export function toPlain(v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof ZenDate || v instanceof Interval) return v.toJSON();
  if (depth > MAX_DATA_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x) => toPlain(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, toPlain((v as Record<string, unknown>)[k], depth + 1));
  return out;
}
