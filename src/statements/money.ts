// Money is integer fen end to end: text amounts are parsed digit by digit, never through a float.

/**
 * '¥28.16' / '￥1,234.56' / '-50.0' / ' 99.34 ' → fen. Returns NaN when the text is not an amount.
 * Numbers (XLSX cells) are rounded to the nearest fen once.
 */
export function parseFen(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 100) : NaN;
  if (typeof v !== 'string') return NaN;
  let i = 0;
  const n = v.length;
  while (i < n && (v.charCodeAt(i) <= 32 || v[i] === '¥' || v[i] === '￥' || v[i] === '+')) i++;
  let neg = false;
  if (v[i] === '-') {
    neg = true;
    i++;
    while (i < n && (v[i] === '¥' || v[i] === '￥')) i++;
  }
  let whole = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      whole = whole * 10 + (c - 48);
      digits++;
    } else if (c !== 44) break; // thousands separator
  }
  let frac = 0;
  if (v[i] === '.') {
    i++;
    let k = 0;
    for (; i < n; i++, k++) {
      const c = v.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (k < 2) frac = frac * 10 + (c - 48);
      digits++;
    }
    if (k === 1) frac *= 10;
  }
  while (i < n && (v.charCodeAt(i) <= 32 || v[i] === '元')) i++;
  if (digits === 0 || i !== n) return NaN;
  const fen = whole * 100 + frac;
  return neg ? -fen : fen;
}

/** 123456 → '1234.56' (yuan text with exactly two decimals). */
export function fenToYuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** 123456789 → '1,234,567.89' for display. */
export function formatYuan(fen: number): string {
  const [w, f] = fenToYuan(fen).split('.');
  return `${w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}
