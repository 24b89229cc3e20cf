// Statement times are Beijing wall-clock time (UTC+8, no DST); inside we keep UTC epoch ms.

export const BEIJING_OFFSET_MS = 8 * 3600_000;

/**
 * '2023-02-12 21:32:14', '2023/2/12 21:32', '2023-02-12T21:32:14', '2023-02-12' → epoch ms. NaN when unparseable.
 * Hand-rolled because it runs once per row and Date parsing of local strings is both slow and TZ-dependent.
 */
export function parseBeijingTime(v: unknown): number {
  if (typeof v !== 'string') {
    // XLSX readers hand dates over as UTC instants of the Beijing wall-clock reading.
    if (v instanceof Date) return Math.round(v.getTime() / 1000) * 1000 - BEIJING_OFFSET_MS;
    if (typeof v === 'number') return excelSerialToEpoch(v);
    return NaN;
  }
  const s = v.trim();
  if (s.length === 19) {
    const ms = isoBeijing(s);
    if (ms === ms) return ms; // not NaN
  }
  const parts: number[] = [0, 0, 0, 0, 0, 0];
  let p = 0;
  let cur = -1;
  for (let i = 0; i < s.length && p < 6; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) cur = (cur < 0 ? 0 : cur) * 10 + (c - 48);
    else if (cur >= 0) {
      parts[p++] = cur;
      cur = -1;
    }
  }
  if (cur >= 0 && p < 6) parts[p++] = cur;
  if (p < 3) return NaN;
  const [y, mo, d, h, mi, se] = parts;
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se) - BEIJING_OFFSET_MS;
}

let lastDayKey = -1;
let lastDayMs = NaN;

/** Two decimal digits at i, or -1000 when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1000;
}

/**
 * The exporters' own 'YYYY-MM-DD HH:mm:ss' (every row of a statement): fixed positions, and the day's start is
 * memoised since consecutive rows share it. NaN for anything else, which then takes the general path.
 */
function isoBeijing(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const se = twoDigits(s, 17);
  if (h < 0 || mi < 0 || se < 0 || h > 23 || mi > 59 || se > 59) return NaN;
  const y = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  const dayKey = (y * 100 + mo) * 100 + d;
  if (dayKey !== lastDayKey) {
    lastDayMs = Date.UTC(y, mo - 1, d) - BEIJING_OFFSET_MS;
    lastDayKey = dayKey;
  }
  return lastDayMs + h * 3600_000 + mi * 60_000 + se * 1000;
}

/** Excel serial day number (1900 date system, Beijing wall clock) → epoch ms, rounded to the second. */
export function excelSerialToEpoch(serial: number): number {
  if (!Number.isFinite(serial) || serial < 1) return NaN;
  const ms = Math.round((serial - 25569) * 86400) * 1000;
  return ms - BEIJING_OFFSET_MS;
}

/** Epoch ms → Excel serial (Beijing wall clock), for the XLSX generator. */
export function epochToExcelSerial(ms: number): number {
  return (ms + BEIJING_OFFSET_MS) / 86_400_000 + 25569;
}

/** epoch ms → '2023-02-12 21:32:14' Beijing time. */
export function formatBeijing(ms: number): string {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const p = (n: number) => (n < 10 ? '0' + n : String(n));
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
