// Decimal-faithful arithmetic on doubles. ZEN computes with 28-digit decimals; most operands in rules have
// short decimal expansions (money, rates), so we scale them to exact integers, operate exactly, and round
// once: the result is the double nearest the exact decimal result, as ZEN prints it (0.1 + 0.2 = 0.3,
// 19.99 / 0.07 = 285.57142857142856, 7 % 0.01 = 0). Operands without a short expansion (results of a
// non-terminating division, 1/3) take a slower exact path: their shortest decimal text as a BigInt.

import { fixNumber } from './values.js';

// POW[k] = 10^k, exact for k ≤ 22.
const POW = Array.from({ length: 23 }, (_x, k) => Number(`1e${k}`));
const SAFE = 9007199254740991;

/** Digits after the decimal point of the shortest decimal whose nearest double is x; -1 if more than 15. */
export function decimals(x: number): number {
  for (let k = 1; k <= 15; k++) {
    const p = POW[k]!;
    const y = x * p;
    if (y > SAFE || y < -SAFE) return -1;
    if (Math.round(y) / p === x) return k;
  }
  return -1;
}

function scaleOf(a: number, b: number): number {
  const ka = Number.isInteger(a) ? 0 : decimals(a);
  if (ka < 0) return -1;
  const kb = Number.isInteger(b) ? 0 : decimals(b);
  if (kb < 0) return -1;
  return ka > kb ? ka : kb;
}

export function add(a: number, b: number): number {
  if (Number.isInteger(a) && Number.isInteger(b)) return a + b;
  const k = scaleOf(a, b);
  if (k >= 0) {
    const p = POW[k]!;
    const r = Math.round(a * p) + Math.round(b * p);
    if (r <= SAFE && r >= -SAFE) return r / p;
  }
  return exact(a, b, '+') ?? a + b;
}

export function sub(a: number, b: number): number {
  return add(a, -b);
}

export function mul(a: number, b: number): number {
  if (Number.isInteger(a) && Number.isInteger(b)) return a * b;
  const ka = Number.isInteger(a) ? 0 : decimals(a);
  const kb = ka < 0 ? -1 : Number.isInteger(b) ? 0 : decimals(b);
  if (ka >= 0 && kb >= 0) {
    const r = Math.round(a * POW[ka]!) * Math.round(b * POW[kb]!);
    if (r <= SAFE && r >= -SAFE) return r / POW[ka + kb]!;
  }
  return exact(a, b, '*') ?? a * b;
}

export function div(a: number, b: number): number {
  const ka = Number.isInteger(a) ? 0 : decimals(a);
  const kb = ka < 0 ? -1 : Number.isInteger(b) ? 0 : decimals(b);
  if (ka >= 0 && kb >= 0) {
    // a / b = (A·10^kb) / (B·10^ka) with A, B the scaled integers: one correctly rounded division.
    const n = Math.round(a * POW[ka]!) * POW[kb]!;
    const d = Math.round(b * POW[kb]!) * POW[ka]!;
    if (n <= SAFE && n >= -SAFE && d <= SAFE && d >= -SAFE) return n / d;
  }
  return exact(a, b, '/') ?? a / b;
}

export function mod(a: number, b: number): number {
  if (Number.isInteger(a) && Number.isInteger(b)) return a % b;
  const k = scaleOf(a, b);
  if (k >= 0) {
    const p = POW[k]!;
    const x = Math.round(a * p), y = Math.round(b * p);
    if (x <= SAFE && x >= -SAFE && y <= SAFE && y >= -SAFE) return (x % y) / p;
  }
  return exact(a, b, '%') ?? a % b;
}

// ---- exact slow path ----
interface Dec {
  /** value = m · 10^-e */
  m: bigint;
  e: number;
}

/** The shortest decimal that round-trips to x (what String(x) prints), as an exact scaled integer. */
function toDec(x: number): Dec | null {
  const t = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!t) return null;
  const frac = t[3] ?? '';
  const e = frac.length - Number(t[4] ?? 0);
  if (e > 400 || e < -400) return null;
  const m = BigInt(`${t[1]}${t[2]}${frac}`);
  return e >= 0 ? { m, e } : { m: m * 10n ** BigInt(-e), e: 0 };
}

/** Rounds once to a double; a result within one ulp of a 15-digit decimal is taken as that decimal, since
 * an operand that came from a non-terminating division lost ZEN's extra digits (1/3 * 3 == 1). */
function fromDec(d: Dec): number {
  return fixNumber(Number(`${d.m}e-${d.e}`), undefined, 1.2e-16);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  if (a.e === b.e) return [a.m, b.m, a.e];
  if (a.e > b.e) return [a.m, b.m * 10n ** BigInt(a.e - b.e), a.e];
  return [a.m * 10n ** BigInt(b.e - a.e), b.m, b.e];
}

/** Exact decimal result rounded once to a double (division to 28 significant digits, as ZEN's decimals). */
function exact(a: number, b: number, op: '+' | '*' | '/' | '%'): number | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const x = toDec(a), y = toDec(b);
  if (x === null || y === null) return null;
  switch (op) {
    case '+': {
      const [p, q, e] = align(x, y);
      return fromDec({ m: p + q, e });
    }
    case '*':
      return fromDec({ m: x.m * y.m, e: x.e + y.e });
    case '%': {
      const [p, q, e] = align(x, y);
      return q === 0n ? null : fromDec({ m: p % q, e });
    }
    case '/': {
      if (y.m === 0n) return null;
      // Scale the dividend so the integer quotient has at least 30 significant digits.
      const k = Math.max(0, 30 - (x.m < 0n ? -x.m : x.m).toString().length + (y.m < 0n ? -y.m : y.m).toString().length);
      return fromDec({ m: (x.m * 10n ** BigInt(k)) / y.m, e: x.e - y.e + k });
    }
  }
}
