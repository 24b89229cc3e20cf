// Window lengths: seconds as a number, or `30s` / `10m` / `1h` / `7d` strings. Kept between 1 s and 90 days.

export const MIN_WINDOW_MS = 1000;
export const MAX_WINDOW_MS = 90 * 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds for a window spec, or an error message (en) when it is not valid. */
export function parseWindow(spec: unknown): number | string {
  let ms: number;
  if (typeof spec === 'number') ms = spec * 1000;
  else if (typeof spec === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(spec);
    if (!m) return `window '${spec}' is not a duration like 30s, 10m, 1h or 7d`;
    ms = Number(m[1]) * UNIT_MS[m[2]];
  } else return 'window must be seconds (number) or a duration string like 1h';
  if (!Number.isFinite(ms) || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) return `window ${String(spec)} is outside 1s..90d`;
  return Math.round(ms);
}
