// The fixed function library (ZEN built-ins). Every function takes up to three evaluated arguments plus the
// clock; nothing here can reach host objects. Closure functions (map, filter, …) live in the compiler.
import {
  addDuration, addUnit, dateString, dayOfYear, diff, durationSeconds, endOf, fieldsOf, format, isLeap, isoWeek, MONTHS,
  normalizeZone, parseDate, setUnit, startOf, toEpochSeconds, unitOf, utcDate, WEEKDAYS, zoneOrFault, ZenDate,
} from './dates.js';
import { add, div } from './decimal.js';
import { fault } from './errors.js';
import { MAX_DATA_DEPTH, MAX_FUZZY_CELLS } from './limits.js';
import { checkRegexInput, regexFor } from './regex.js';
import { compare, equals, formatNumber, Interval, isPlainObject, scalarText, setOwn, toList, typeName } from './values.js';

export type LibFn = (a: unknown, b: unknown, c: unknown, now: number) => unknown;
export interface LibEntry {
  min: number;
  max: number;
  fn: LibFn;
}

function str(v: unknown, fn: string): string {
  return typeof v === 'string' ? v : fault(`${fn}() expects a string, got ${typeName(v)}`);
}
function num(v: unknown, fn: string): number {
  return typeof v === 'number' ? v : fault(`${fn}() expects a number, got ${typeName(v)}`);
}
function numbers(v: unknown, fn: string): number[] {
  const list = toList(v, fn);
  for (const x of list) if (typeof x !== 'number') fault(`${fn}() expects an array of numbers, found ${typeName(x)}`);
  return list as number[];
}

/** Rounds half away from zero at `dp` decimals, on the decimal text (7.555 → 7.56, as decimals do). */
function shiftRound(x: number, dp: unknown, mode: 'round' | 'trunc', fn: string): number {
  const places = dp === undefined || dp === null ? 0 : num(dp, fn);
  if (!Number.isInteger(places) || places < 0 || places > 20) fault(`${fn}() decimal places must be an integer from 0 to 20`);
  const sign = x < 0 ? -1 : 1;
  const [mant, exp] = String(Math.abs(x)).split('e');
  const shifted = Number(`${mant}e${Number(exp ?? 0) + places}`);
  const r = mode === 'round' ? Math.round(shifted) : Math.trunc(shifted);
  const [m2, e2] = String(r).split('e');
  return sign * Number(`${m2}e${Number(e2 ?? 0) - places}`) || 0;
}

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function levenshteinSimilarity(a: string, b: string): number {
  if (a.length * b.length > MAX_FUZZY_CELLS) fault(`fuzzyMatch() strings too long (limit ${MAX_FUZZY_CELLS} character pairs)`);
  if (a.length === 0 && b.length === 0) return 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  // ZEN converts this float to a decimal, keeping 15 significant digits.
  return +(1 - prev[b.length]! / Math.max(a.length, b.length)).toPrecision(15);
}

function extreme(v: unknown, fn: string, sign: 1 | -1): unknown {
  const list = toList(v, fn);
  if (list.length === 0) return fault(`${fn}() of an empty array`);
  let best = list[0];
  for (let i = 1; i < list.length; i++) {
    const c = compare(list[i], best);
    if (Number.isNaN(c)) fault(`${fn}() expects numbers or dates, found ${typeName(list[i])}`);
    if (c * sign > 0) best = list[i];
  }
  if (typeof best !== 'number' && !(best instanceof ZenDate)) fault(`${fn}() expects numbers or dates, found ${typeName(best)}`);
  return best;
}

function mergeDeepInto(target: Record<string, unknown>, src: Record<string, unknown>, depth: number): void {
  if (depth > MAX_DATA_DEPTH) fault(`mergeDeep() data nested too deep (limit ${MAX_DATA_DEPTH})`);
  for (const k of Object.keys(src)) {
    const v = src[k];
    const t = Object.hasOwn(target, k) ? target[k] : undefined;
    if (isPlainObject(v) && isPlainObject(t)) {
      const copy: Record<string, unknown> = {};
      mergeDeepInto(copy, t, depth + 1);
      mergeDeepInto(copy, v, depth + 1);
      setOwn(target, k, copy);
    } else if (isPlainObject(v)) {
      const copy: Record<string, unknown> = {};
      mergeDeepInto(copy, v, depth + 1);
      setOwn(target, k, copy);
    } else {
      setOwn(target, k, v);
    }
  }
}

function merge(v: unknown, deep: boolean): unknown {
  const list = toList(v, deep ? 'mergeDeep' : 'merge').filter((x) => x !== null && x !== undefined);
  if (list.length > 0 && list.every(Array.isArray)) return ([] as unknown[]).concat(...(list as unknown[][]));
  const out: Record<string, unknown> = {};
  for (const x of list) {
    if (!isPlainObject(x)) fault(`${deep ? 'mergeDeep' : 'merge'}() expects all arrays or all objects, found ${typeName(x)}`);
    if (deep) mergeDeepInto(out, x, 0);
    else for (const k of Object.keys(x)) setOwn(out, k, x[k]);
  }
  return out;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    const n = Number(t);
    if (t !== '' && Number.isFinite(n) && !/^0[xob]/i.test(t)) return n;
    return fault(`number() cannot convert '${v.slice(0, 64)}'`);
  }
  if (v instanceof ZenDate) return v.ms / 1000;
  return fault(`number() cannot convert ${typeName(v)}`);
}

function toDate(a: unknown, tz: unknown, now: number): ZenDate {
  const zone = tz === undefined || tz === null ? 'UTC' : zoneOrFault(tz);
  const keep = tz !== undefined && tz !== null;
  if (a === undefined) return new ZenDate(now, zone);
  if (a === null) return new ZenDate(NaN, zone);
  if (a instanceof ZenDate) return new ZenDate(a.ms, keep ? zone : a.tz);
  if (typeof a === 'number') return new ZenDate(a, zone);
  if (typeof a === 'string') {
    // d('now') is the evaluation clock, as date('now') is in ZEN's fixtures.
    if (a === 'now') return new ZenDate(now, zone);
    const d = parseDate(a, zone, keep);
    if (!d.valid && tz === undefined && !/\d/.test(a)) {
      // d('Europe/Berlin'): now, viewed in that zone.
      const z = normalizeZone(a);
      if (z !== undefined) return new ZenDate(now, z);
    }
    return d;
  }
  return new ZenDate(NaN, zone);
}

function legacy(fn: (f: ReturnType<typeof fieldsOf>) => unknown): LibEntry {
  return { min: 1, max: 1, fn: (a, _b, _c, now) => fn(fieldsOf(utcDate(toEpochSeconds(a, now)))) };
}

function legacyStartEnd(end: boolean): LibEntry {
  return {
    min: 2,
    max: 2,
    fn: (a, u, _c, now) => {
      const d = utcDate(toEpochSeconds(a, now));
      const unit = unitOf(u);
      const s = startOf(d, unit);
      // Legacy endOf is the last whole second of the period.
      return end ? addUnit(s, 1, unit).ms / 1000 - 1 : s.ms / 1000;
    },
  };
}

const one = (fn: (a: unknown) => unknown): LibEntry => ({ min: 1, max: 1, fn: (a) => fn(a) });
const two = (fn: (a: unknown, b: unknown) => unknown): LibEntry => ({ min: 2, max: 2, fn: (a, b) => fn(a, b) });

export const LIBRARY: Record<string, LibEntry> = {
  // strings
  len: one((v) => {
    if (typeof v === 'string') return codePointLength(v);
    if (Array.isArray(v)) return v.length;
    if (isPlainObject(v)) return Object.keys(v).length;
    return fault(`len() expects a string or an array, got ${typeName(v)}`);
  }),
  upper: one((v) => str(v, 'upper').toUpperCase()),
  lower: one((v) => str(v, 'lower').toLowerCase()),
  trim: one((v) => str(v, 'trim').trim()),
  startsWith: two((a, b) => str(a, 'startsWith').startsWith(str(b, 'startsWith'))),
  endsWith: two((a, b) => str(a, 'endsWith').endsWith(str(b, 'endsWith'))),
  contains: two((a, b) => {
    if (typeof a === 'string') return a.includes(str(b, 'contains'));
    if (Array.isArray(a)) return a.some((x) => equals(x, b));
    return fault(`contains() expects a string or an array, got ${typeName(a)}`);
  }),
  matches: two((a, b) => {
    const s = str(a, 'matches');
    checkRegexInput(s);
    return regexFor(b).test(s);
  }),
  extract: two((a, b) => {
    const s = str(a, 'extract');
    checkRegexInput(s);
    const m = regexFor(b).exec(s);
    return m === null ? [] : Array.from(m, (x) => x ?? null);
  }),
  fuzzyMatch: two((a, b) => {
    const needle = str(b, 'fuzzyMatch');
    if (Array.isArray(a)) return a.map((x) => levenshteinSimilarity(str(x, 'fuzzyMatch'), needle));
    return levenshteinSimilarity(str(a, 'fuzzyMatch'), needle);
  }),
  split: two((a, b) => str(a, 'split').split(str(b, 'split'))),
  // conversions and types
  string: one((v) => scalarText(v)),
  number: one(toNumber),
  // ZEN: only the string 'true' is true; numbers are true when non-zero; arrays, objects and dates are true.
  bool: one((v) => {
    if (typeof v === 'boolean') return v;
    if (v === null || v === undefined) return false;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v === 'true';
    return true;
  }),
  isNumeric: one((v) => {
    if (typeof v === 'number') return Number.isFinite(v);
    if (typeof v !== 'string') return false;
    const t = v.trim();
    return t !== '' && Number.isFinite(Number(t)) && !/^0[xob]/i.test(t);
  }),
  type: one(typeName),
  // numbers
  abs: one((v) => Math.abs(num(v, 'abs'))),
  floor: one((v) => Math.floor(num(v, 'floor')) || 0),
  ceil: one((v) => Math.ceil(num(v, 'ceil')) || 0),
  round: { min: 1, max: 2, fn: (a, b) => shiftRound(num(a, 'round'), b, 'round', 'round') },
  trunc: { min: 1, max: 2, fn: (a, b) => shiftRound(num(a, 'trunc'), b, 'trunc', 'trunc') },
  rand: one((v) => {
    const n = num(v, 'rand');
    return Math.floor(Math.random() * (Math.floor(n) + 1));
  }),
  sum: one((v) => {
    let t = 0;
    for (const x of numbers(v, 'sum')) t = add(t, x);
    return t;
  }),
  avg: one((v) => {
    const xs = numbers(v, 'avg');
    if (xs.length === 0) return fault('avg() of an empty array');
    let t = 0;
    for (const x of xs) t = add(t, x);
    return div(t, xs.length);
  }),
  min: one((v) => extreme(v, 'min', -1)),
  max: one((v) => extreme(v, 'max', 1)),
  median: one((v) => {
    const xs = [...numbers(v, 'median')].sort((x, y) => x - y);
    if (xs.length === 0) return fault('median() of an empty array');
    const mid = xs.length >> 1;
    return xs.length % 2 ? xs[mid] : div(add(xs[mid - 1]!, xs[mid]!), 2);
  }),
  mode: one((v) => {
    const xs = numbers(v, 'mode');
    const counts = new Map<number, number>();
    let best: number | null = null;
    let bestN = 0;
    for (const x of xs) {
      const n = (counts.get(x) ?? 0) + 1;
      counts.set(x, n);
      if (n > bestN || (n === bestN && best !== null && x > best)) {
        best = x;
        bestN = n;
      }
    }
    return best;
  }),
  // arrays and objects
  flatten: one((v) => toList(v, 'flatten').flatMap((x) => (Array.isArray(x) ? x : [x]))),
  merge: one((v) => merge(v, false)),
  mergeDeep: one((v) => merge(v, true)),
  keys: one((v) => {
    if (Array.isArray(v)) return v.map((_x, i) => i);
    if (isPlainObject(v)) return Object.keys(v);
    return fault(`keys() expects an object, got ${typeName(v)}`);
  }),
  values: one((v) => {
    if (Array.isArray(v)) return v.slice();
    if (isPlainObject(v)) return Object.values(v);
    return fault(`values() expects an object, got ${typeName(v)}`);
  }),
  // dates
  d: { min: 0, max: 2, fn: (a, b, _c, now) => toDate(a, b, now) },
  date: { min: 0, max: 1, fn: (a, _b, _c, now) => toEpochSeconds(a, now) },
  time: legacy((f) => f.h * 3600 + f.m * 60 + f.s),
  duration: one(durationSeconds),
  year: legacy((f) => f.y),
  monthOfYear: legacy((f) => f.M),
  dayOfMonth: legacy((f) => f.D),
  dayOfWeek: legacy((f) => f.wd),
  dayOfYear: legacy((f) => dayOfYear(f)),
  weekOfYear: legacy((f) => isoWeek(f)),
  monthString: legacy((f) => MONTHS[f.M - 1]!.slice(0, 3)),
  weekdayString: legacy((f) => WEEKDAYS[f.wd - 1]!.slice(0, 3)),
  dateString: { min: 1, max: 1, fn: (a, _b, _c, now) => dateString(toEpochSeconds(a, now)) },
  startOf: legacyStartEnd(false),
  endOf: legacyStartEnd(true),
};

/** Methods on date values: d('2023-10-15').add('1d'). */
export const DATE_METHODS: Record<string, LibEntry> = {
  add: { min: 1, max: 2, fn: (d, a, u) => addDuration(d as ZenDate, a, u, 1) },
  sub: { min: 1, max: 2, fn: (d, a, u) => addDuration(d as ZenDate, a, u, -1) },
  set: { min: 2, max: 2, fn: (d, u, v) => setUnit(d as ZenDate, unitOf(u), num(v, 'set')) },
  startOf: { min: 1, max: 1, fn: (d, u) => startOf(d as ZenDate, unitOf(u)) },
  endOf: { min: 1, max: 1, fn: (d, u) => endOf(d as ZenDate, unitOf(u)) },
  tz: { min: 1, max: 1, fn: (d, z) => new ZenDate((d as ZenDate).ms, zoneOrFault(z)) },
  format: { min: 0, max: 1, fn: (d, p) => format(d as ZenDate, p === undefined ? '%Y-%m-%d %H:%M:%S %Z' : str(p, 'format')) },
  diff: { min: 1, max: 2, fn: (d, o, u) => diff(d as ZenDate, asDate(o), u === undefined ? 'ms' : unitOf(u)) },
  year: getter((f) => f.y),
  month: getter((f) => f.M),
  day: getter((f) => f.D),
  weekday: getter((f) => f.wd),
  hour: getter((f) => f.h),
  minute: getter((f) => f.m),
  second: getter((f) => f.s),
  dayOfYear: getter(dayOfYear),
  week: getter(isoWeek),
  quarter: getter((f) => Math.floor((f.M - 1) / 3) + 1),
  timestamp: { min: 0, max: 0, fn: (d) => (d as ZenDate).ms },
  offsetName: { min: 0, max: 0, fn: (d) => (d as ZenDate).tz },
  isValid: { min: 0, max: 0, fn: (d) => (d as ZenDate).valid },
  isLeapYear: getter((f) => isLeap(f.y)),
  isBefore: relation((c) => c < 0),
  isAfter: relation((c) => c > 0),
  isSame: relation((c) => c === 0),
  isSameOrBefore: relation((c) => c <= 0),
  isSameOrAfter: relation((c) => c >= 0),
  isToday: relative(0),
  isYesterday: relative(-1),
  isTomorrow: relative(1),
};

function asDate(v: unknown): ZenDate {
  if (v instanceof ZenDate) return v;
  if (typeof v === 'string') return parseDate(v, 'UTC', false);
  return fault(`Expected a date, got ${typeName(v)}`);
}

function getter(fn: (f: ReturnType<typeof fieldsOf>) => unknown): LibEntry {
  return { min: 0, max: 0, fn: (d) => ((d as ZenDate).valid ? fn(fieldsOf(d as ZenDate)) : null) };
}

function relation(test: (c: number) => boolean): LibEntry {
  return {
    min: 1,
    max: 2,
    fn: (d, o, u) => {
      let a = d as ZenDate;
      let b = asDate(o);
      if (!a.valid || !b.valid) return false;
      if (u !== undefined) {
        const unit = unitOf(u);
        a = startOf(a, unit);
        b = startOf(new ZenDate(b.ms, a.tz), unit);
      }
      return test(a.ms < b.ms ? -1 : a.ms > b.ms ? 1 : 0);
    },
  };
}

function relative(days: number): LibEntry {
  return {
    min: 0,
    max: 0,
    fn: (d, _b, _c, now) => {
      const date = d as ZenDate;
      if (!date.valid) return false;
      const today = startOf(new ZenDate(now, date.tz), 'd');
      const target = days === 0 ? today : startOf(new ZenDate(today.ms + days * 86_400_000 + 43_200_000, date.tz), 'd');
      return startOf(date, 'd').ms === target.ms;
    },
  };
}

export { formatNumber, Interval };
