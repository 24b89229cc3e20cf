// Decision-table cell fast paths. A unary cell such as `> 700`, `[680..720)` or `"US","CA"` becomes an op code
// and its constants, tested directly on the column value; the cell's compiled expression still answers every
// value the fast path does not claim (non-numbers for numeric tests, non-strings for string lists). A shape is
// used only after it agreed with the expression on probe values at compile time, so results cannot differ.
import type { CompiledExpression } from '../../expression/types.js';

export const CELL_SLOW = 0;
export const CELL_LT = 1;
export const CELL_LE = 2;
export const CELL_GT = 3;
export const CELL_GE = 4;
export const CELL_EQ = 5;
/** lo < v < hi, with `closed` bits: 1 = left closed, 2 = right closed. */
export const CELL_RANGE = 6;
/** v is one of a few strings. */
export const CELL_STRINGS = 7;
/** A constant output cell (literal number, string or boolean). */
export const CELL_CONST = 8;

export interface CellShape {
  op: number;
  lo: number;
  hi: number;
  closed: number;
  strings: readonly string[];
  constant: unknown;
}

const NUM = '(-?\\d+(?:\\.\\d+)?)';
const ORDER_RE = new RegExp(`^(>=|<=|>|<)\\s*${NUM}$`);
const EQ_RE = new RegExp(`^${NUM}$`);
const RANGE_RE = new RegExp(`^([\\[(\\]])\\s*${NUM}\\s*\\.\\.\\s*${NUM}\\s*([\\])\\[])$`);
const STR = `"[^"\\\\$\`]*"`;
const STRINGS_RE = new RegExp(`^${STR}(?:\\s*,\\s*${STR})*$`);

const SLOW: CellShape = Object.freeze({ op: CELL_SLOW, lo: 0, hi: 0, closed: 0, strings: [], constant: undefined });

/** The fast shape of a unary cell, or CELL_SLOW. */
export function unaryShape(source: string, expr: CompiledExpression): CellShape {
  const src = source.trim();
  let shape: CellShape | undefined;
  let m = ORDER_RE.exec(src);
  if (m) {
    const op = m[1] === '<' ? CELL_LT : m[1] === '<=' ? CELL_LE : m[1] === '>' ? CELL_GT : CELL_GE;
    shape = { ...SLOW, op, lo: Number(m[2]) };
  } else if ((m = EQ_RE.exec(src))) {
    shape = { ...SLOW, op: CELL_EQ, lo: Number(m[1]) };
  } else if ((m = RANGE_RE.exec(src))) {
    const closed = (m[1] === '[' ? 1 : 0) | (m[4] === ']' ? 2 : 0);
    shape = { ...SLOW, op: CELL_RANGE, lo: Number(m[2]), hi: Number(m[3]), closed };
  } else if (STRINGS_RE.test(src)) {
    const strings = src.match(new RegExp(STR, 'g'))!.map((q) => q.slice(1, -1));
    shape = { ...SLOW, op: CELL_STRINGS, strings };
  }
  if (!shape || !Number.isFinite(shape.lo) || !Number.isFinite(shape.hi)) return SLOW;
  return agrees(shape, expr) ? shape : SLOW;
}

/** The constant value of an output cell that is a plain literal, or CELL_SLOW. */
export function constantShape(source: string, expr: CompiledExpression): CellShape {
  const src = source.trim();
  if (!EQ_RE.test(src) && src !== 'true' && src !== 'false' && !/^"[^"\\$`]*"$/.test(src)) return SLOW;
  let v: unknown;
  try {
    v = expr.evaluate({}, undefined, {});
    // Same answer whatever the input: a literal.
    if (expr.evaluate({ a: 1 }, undefined, {}) !== v || expr.paths.length > 0) return SLOW;
  } catch {
    return SLOW;
  }
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') return SLOW;
  return { ...SLOW, op: CELL_CONST, constant: v };
}

/** The fast test; undefined when the value is not the fast path's to answer. */
export function fastTest(s: CellShape, v: unknown): boolean | undefined {
  switch (s.op) {
    case CELL_LT:
      return typeof v === 'number' ? v < s.lo : undefined;
    case CELL_LE:
      return typeof v === 'number' ? v <= s.lo : undefined;
    case CELL_GT:
      return typeof v === 'number' ? v > s.lo : undefined;
    case CELL_GE:
      return typeof v === 'number' ? v >= s.lo : undefined;
    case CELL_EQ:
      return typeof v === 'number' ? v === s.lo : undefined;
    case CELL_RANGE:
      return typeof v === 'number' ? ((s.closed & 1) !== 0 ? v >= s.lo : v > s.lo) && ((s.closed & 2) !== 0 ? v <= s.hi : v < s.hi) : undefined;
    case CELL_STRINGS:
      return typeof v === 'string' ? s.strings.includes(v) : undefined;
    default:
      return undefined;
  }
}

function agrees(shape: CellShape, expr: CompiledExpression): boolean {
  const probes: unknown[] = [NaN, -Infinity, Infinity, 0, -0, 1e9, -1e9];
  for (const x of [shape.lo, shape.hi]) probes.push(x, x - 1, x + 1, x - 0.5, x + 0.5, x - 1e-9, x + 1e-9);
  for (const s of shape.strings) probes.push(s, `${s} `, s.toUpperCase(), s.toLowerCase());
  probes.push('', 'x', ' ');
  for (const p of probes) {
    const fast = fastTest(shape, p);
    if (fast === undefined) continue;
    let slow: unknown;
    try {
      slow = expr.evaluate({}, p, {});
    } catch {
      return false;
    }
    if (slow !== fast) return false;
  }
  return true;
}
