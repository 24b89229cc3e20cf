// Date values for d()/date(): an instant (UTC epoch ms) plus the time zone it is viewed in. Calendar maths
// (add months, start of week, …) works on the wall-clock fields of that zone, computed with Intl (full ICU).
import { fault } from './errors.js';

const MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type DateUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'y';

export class ZenDate {
  /** ms is NaN for an invalid date (d(null), d('2023-13-01')). */
  constructor(
    readonly ms: number,
    readonly tz: string,
  ) {}

  get valid(): boolean {
    return !Number.isNaN(this.ms);
  }

  /** ISO-8601 with the zone's offset, second precision: 2023-10-15T14:30:00+02:00 (Z for UTC). */
  toJSON(): string {
    if (!this.valid) return 'Invalid date';
    const off = offsetMinutes(this.tz, this.ms);
    const f = new Date(this.ms + off * 60_000);
    const date = `${pad(f.getUTCFullYear(), 4)}-${pad(f.getUTCMonth() + 1)}-${pad(f.getUTCDate())}`;
    const time = `${pad(f.getUTCHours())}:${pad(f.getUTCMinutes())}:${pad(f.getUTCSeconds())}`;
    return `${date}T${time}${this.tz === 'UTC' ? 'Z' : offsetText(off, ':')}`;
  }

  toString(): string {
    return this.toJSON();
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function offsetText(minutes: number, sep: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}${sep}${pad(a % 60)}`;
}

// ---- time zones ----
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    if (formatters.size > 1000) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

const FIXED = /^([+-])(\d{2}):?(\d{2})$/;

/** Canonical zone name ('UTC', an IANA name, or a fixed offset '+02:00'), or undefined when unknown. */
export function normalizeZone(name: string): string | undefined {
  if (name === 'UTC' || name === 'Z' || name === 'utc' || name === 'Etc/UTC') return 'UTC';
  const m = FIXED.exec(name);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return minutes === 0 ? 'UTC' : offsetText(minutes, ':');
  }
  if (name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  try {
    return formatterFor(name).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function zoneOrFault(name: unknown): string {
  if (typeof name !== 'string') return fault(`Time zone must be a string`);
  return normalizeZone(name) ?? fault(`Unknown time zone '${name.slice(0, 64)}'`);
}

/** Offset of `tz` from UTC at instant `ms`, in minutes. */
export function offsetMinutes(tz: string, ms: number): number {
  if (tz === 'UTC') return 0;
  const c = tz.charCodeAt(0);
  if (c === 43 || c === 45) {
    const m = FIXED.exec(tz)!;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of formatterFor(tz).formatToParts(ms)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
    }
  }
  const local = utc(bc ? 1 - y : y, mo, d, h, mi, s, 0);
  const floored = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((local - floored) / 60_000);
}

/** Date.UTC without the 0–99 → 1900s quirk. Months are 1-based; out-of-range fields roll over. */
function utc(y: number, M: number, D: number, h: number, m: number, s: number, ms: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, M - 1, D);
  t.setUTCHours(h, m, s, ms);
  return t.getTime();
}

export interface Fields {
  y: number;
  M: number;
  D: number;
  h: number;
  m: number;
  s: number;
  ms: number;
  /** ISO weekday, Monday = 1 … Sunday = 7. */
  wd: number;
}

export function fieldsOf(d: ZenDate): Fields {
  const f = new Date(d.ms + offsetMinutes(d.tz, d.ms) * 60_000);
  return {
    y: f.getUTCFullYear(),
    M: f.getUTCMonth() + 1,
    D: f.getUTCDate(),
    h: f.getUTCHours(),
    m: f.getUTCMinutes(),
    s: f.getUTCSeconds(),
    ms: f.getUTCMilliseconds(),
    wd: f.getUTCDay() === 0 ? 7 : f.getUTCDay(),
  };
}

/** The instant whose wall-clock time in `tz` is the given fields. */
export function fromFields(tz: string, f: Omit<Fields, 'wd'>): ZenDate {
  const local = utc(f.y, f.M, f.D, f.h, f.m, f.s, f.ms);
  if (tz === 'UTC') return new ZenDate(local, tz);
  const guess = local - offsetMinutes(tz, local) * 60_000;
  return new ZenDate(local - offsetMinutes(tz, guess) * 60_000, tz);
}

export function daysInMonth(y: number, M: number): number {
  return M === 2 ? (isLeap(y) ? 29 : 28) : M === 4 || M === 6 || M === 9 || M === 11 ? 30 : 31;
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

// ---- parsing ----
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a date string; `tz` applies to strings without an explicit offset. Invalid text gives an invalid date. */
export function parseDate(text: string, tz: string, keepZone: boolean): ZenDate {
  const m = text.length <= 64 ? ISO.exec(text.trim()) : null;
  if (!m) return new ZenDate(NaN, tz);
  const y = Number(m[1]), M = Number(m[2]), D = Number(m[3]);
  const h = m[4] ? Number(m[4]) : 0, mi = m[5] ? Number(m[5]) : 0, s = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (M < 1 || M > 12 || D < 1 || D > daysInMonth(y, M) || h > 23 || mi > 59 || s > 59) return new ZenDate(NaN, tz);
  if (m[8]) {
    const zone = normalizeZone(m[8].toUpperCase())!;
    const instant = utc(y, M, D, h, mi, s, ms) - offsetMinutes(zone, 0) * 60_000;
    return new ZenDate(instant, keepZone ? tz : zone);
  }
  return fromFields(tz, { y, M, D, h, m: mi, s, ms });
}

// ---- units and durations ----
const UNITS: Record<string, DateUnit> = {
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd', date: 'd',
  w: 'w', week: 'w', weeks: 'w',
  M: 'M', mo: 'M', month: 'M', months: 'M',
  Q: 'Q', q: 'Q', quarter: 'Q', quarters: 'Q',
  y: 'y', year: 'y', years: 'y',
};

export function unitOf(u: unknown): DateUnit {
  const unit = typeof u === 'string' && Object.hasOwn(UNITS, u) ? UNITS[u] : undefined;
  return unit ?? fault(`Unknown date unit '${String(u).slice(0, 32)}'`);
}

/** Parses '1d 5h', '1h 30m', '-2w' into (amount, unit) pairs. */
export function parseDuration(text: unknown): [number, DateUnit][] {
  if (typeof text !== 'string' || text.length > 256) return fault(`Invalid duration '${String(text).slice(0, 64)}'`);
  const out: [number, DateUnit][] = [];
  const re = /\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*,?/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) out.push([Number(m[1]), unitOf(m[2])]);
  if (out.length === 0 || re.lastIndex !== text.length) return fault(`Invalid duration '${text.slice(0, 64)}'`);
  return out;
}

// As ZEN: a month is 30.44 days, a year 365.25 days.
const UNIT_SECONDS: Record<DateUnit, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2_630_016, Q: 7_890_048, y: 31_557_600 };

/** Legacy duration(): total seconds. */
export function durationSeconds(text: unknown): number {
  let total = 0;
  for (const [n, u] of parseDuration(text)) total += n * UNIT_SECONDS[u];
  return total;
}

// ---- arithmetic ----
export function addUnit(d: ZenDate, n: number, unit: DateUnit): ZenDate {
  if (!d.valid) return d;
  switch (unit) {
    case 'ms':
    case 's':
    case 'm':
    case 'h':
    case 'd':
    case 'w':
      // As ZEN (chrono durations): a day is exactly 24 hours, also across daylight-saving changes.
      return new ZenDate(d.ms + n * MS[unit], d.tz);
    default: {
      const f = fieldsOf(d);
      const total = f.y * 12 + (f.M - 1) + Math.trunc(n) * (unit === 'y' ? 12 : unit === 'Q' ? 3 : 1);
      f.y = Math.floor(total / 12);
      f.M = (total % 12) + 1;
      f.D = Math.min(f.D, daysInMonth(f.y, f.M));
      return fromFields(d.tz, f);
    }
  }
}

export function addDuration(d: ZenDate, amount: unknown, unit: unknown, sign: 1 | -1): ZenDate {
  if (typeof amount === 'number') return addUnit(d, sign * amount, unit === undefined ? 'ms' : unitOf(unit));
  let out = d;
  for (const [n, u] of parseDuration(amount)) out = addUnit(out, sign * n, u);
  return out;
}

const UNIT_RANK: Record<DateUnit, number> = { ms: 0, s: 1, m: 2, h: 3, d: 4, w: 5, M: 6, Q: 7, y: 8 };

export function startOf(d: ZenDate, unit: DateUnit): ZenDate {
  if (!d.valid) return d;
  const f = fieldsOf(d);
  // Clear every field finer than the unit; weeks start on Monday.
  const rank = UNIT_RANK[unit];
  if (rank >= 1) f.ms = 0;
  if (rank >= 2) f.s = 0;
  if (rank >= 3) f.m = 0;
  if (rank >= 4) f.h = 0;
  if (unit === 'w') f.D -= f.wd - 1;
  if (rank >= 6) f.D = 1;
  if (unit === 'Q') f.M = Math.floor((f.M - 1) / 3) * 3 + 1;
  if (unit === 'y') f.M = 1;
  return fromFields(d.tz, f);
}

export function endOf(d: ZenDate, unit: DateUnit): ZenDate {
  if (!d.valid || unit === 'ms') return d;
  return new ZenDate(addUnit(startOf(d, unit), 1, unit).ms - 1, d.tz);
}

export function setUnit(d: ZenDate, unit: DateUnit, value: number): ZenDate {
  if (!d.valid) return d;
  const f = fieldsOf(d);
  switch (unit) {
    case 'y': f.y = value; break;
    case 'M': f.M = value; break;
    case 'd': f.D = value; break;
    case 'h': f.h = value; break;
    case 'm': f.m = value; break;
    case 's': f.s = value; break;
    case 'ms': f.ms = value; break;
    default: return fault(`Cannot set unit '${unit}'`);
  }
  // As ZEN: a field out of range (month 13, Feb 31, hour 25) gives an invalid date rather than rolling over.
  const ok = Number.isInteger(value) && f.M >= 1 && f.M <= 12 && f.D >= 1 && f.D <= daysInMonth(f.y, f.M) &&
    f.h >= 0 && f.h <= 23 && f.m >= 0 && f.m <= 59 && f.s >= 0 && f.s <= 59 && f.ms >= 0 && f.ms <= 999;
  return ok ? fromFields(d.tz, f) : new ZenDate(NaN, d.tz);
}

/** Whole months from b to a, fractional, after moment/dayjs (end-of-month aware). */
function monthDiff(a: ZenDate, b: ZenDate): number {
  const fa = fieldsOf(a), fb = fieldsOf(b);
  if (fa.D < fb.D) return -monthDiff(b, a);
  const whole = (fb.y - fa.y) * 12 + (fb.M - fa.M);
  const anchor = addUnit(a, whole, 'M').ms;
  const before = b.ms - anchor < 0;
  const anchor2 = addUnit(a, whole + (before ? -1 : 1), 'M').ms;
  const frac = (b.ms - anchor) / (before ? anchor - anchor2 : anchor2 - anchor);
  return -(whole + (Number.isFinite(frac) ? frac : 0)) || 0;
}

export function diff(a: ZenDate, b: ZenDate, unit: DateUnit): number {
  if (!a.valid || !b.valid) return NaN;
  switch (unit) {
    case 'M':
      return Math.trunc(monthDiff(a, b));
    case 'Q':
      return Math.trunc(monthDiff(a, b) / 3);
    case 'y':
      return Math.trunc(monthDiff(a, b) / 12);
    default:
      return Math.trunc((a.ms - b.ms) / MS[unit]);
  }
}

export function isoWeek(f: Fields): number {
  // Thursday of this ISO week decides the year; count weeks from that year's first Thursday.
  const day = Date.UTC(f.y, f.M - 1, f.D) / MS.d;
  const thursday = day - f.wd + 4;
  const yearStart = Date.UTC(new Date(thursday * MS.d).getUTCFullYear(), 0, 1) / MS.d;
  return Math.floor((thursday - yearStart) / 7) + 1;
}

export function dayOfYear(f: Fields): number {
  return (Date.UTC(f.y, f.M - 1, f.D) - Date.UTC(f.y, 0, 1)) / MS.d + 1;
}

// ---- formatting (strftime subset) ----
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function format(d: ZenDate, pattern: string): string {
  if (!d.valid) return fault('Cannot format an invalid date');
  const f = fieldsOf(d);
  const off = offsetMinutes(d.tz, d.ms);
  return pattern.replace(/%(:?[a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y': return pad(f.y, 4);
      case 'y': return pad(f.y % 100);
      case 'm': return pad(f.M);
      case 'd': return pad(f.D);
      case 'e': return String(f.D).padStart(2, ' ');
      case 'H': return pad(f.h);
      case 'I': return pad(((f.h + 11) % 12) + 1);
      case 'p': return f.h < 12 ? 'AM' : 'PM';
      case 'M': return pad(f.m);
      case 'S': return pad(f.s);
      case 'f': return pad(f.ms, 3);
      case 'A': return WEEKDAYS[f.wd - 1]!;
      case 'a': return WEEKDAYS[f.wd - 1]!.slice(0, 3);
      case 'B': return MONTHS[f.M - 1]!;
      case 'b': case 'h': return MONTHS[f.M - 1]!.slice(0, 3);
      case 'j': return pad(dayOfYear(f), 3);
      case 'u': return String(f.wd);
      case 'w': return String(f.wd % 7);
      case 'V': return pad(isoWeek(f));
      case 'F': return `${pad(f.y, 4)}-${pad(f.M)}-${pad(f.D)}`;
      case 'T': return `${pad(f.h)}:${pad(f.m)}:${pad(f.s)}`;
      case 'c': return `${WEEKDAYS[f.wd - 1]!.slice(0, 3)} ${MONTHS[f.M - 1]!.slice(0, 3)} ${f.D} ${pad(f.h)}:${pad(f.m)}:${pad(f.s)} ${f.y}`;
      case 's': return String(Math.floor(d.ms / 1000));
      case 'z': return offsetText(off, '');
      case ':z': return offsetText(off, ':');
      case 'Z': return zoneAbbreviation(d);
      case '%': return '%';
      default: return all;
    }
  });
}

const abbreviations = new Map<string, Intl.DateTimeFormat>();

/** Short zone name at the date's instant ('UTC', 'EDT', 'GMT+8'); fixed offsets print as themselves. */
function zoneAbbreviation(d: ZenDate): string {
  if (d.tz === 'UTC' || d.tz.startsWith('+') || d.tz.startsWith('-')) return d.tz;
  let f = abbreviations.get(d.tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: d.tz, timeZoneName: 'short' });
    if (abbreviations.size > 1000) abbreviations.clear();
    abbreviations.set(d.tz, f);
  }
  return f.formatToParts(d.ms).find((p) => p.type === 'timeZoneName')?.value ?? d.tz;
}

// ---- legacy (deprecated ZEN) functions work in UTC epoch seconds ----
export function toEpochSeconds(v: unknown, nowMs: number): number {
  // date() and date('now') both read the evaluation clock (ZEN's graphs use the latter).
  if (v === undefined || v === 'now') return Math.floor(nowMs / 1000);
  if (typeof v === 'number') return v;
  if (v instanceof ZenDate) return v.ms / 1000;
  if (typeof v === 'string') {
    const d = parseDate(v, 'UTC', false);
    if (d.valid) return d.ms / 1000;
    // A bare time of day ('10:30', '10:30:15') counts from midnight.
    const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
    if (t && Number(t[1]) < 24 && Number(t[2]) < 60 && Number(t[3] ?? 0) < 60) return Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3] ?? 0);
  }
  return fault(`Invalid date '${String(v).slice(0, 64)}'`);
}

export function utcDate(seconds: number): ZenDate {
  return new ZenDate(seconds * 1000, 'UTC');
}

export function dateString(seconds: number): string {
  const f = fieldsOf(utcDate(seconds));
  return `${pad(f.y, 4)}-${pad(f.M)}-${pad(f.D)} ${pad(f.h)}:${pad(f.m)}:${pad(f.s)}`;
}
