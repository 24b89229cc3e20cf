// Fast paths for the two shapes that dominate risk strategies: a plain input path (`applicant.age`) and a
// comparison of a path with a literal (`features.loan_apps_7d >= 3`, `features.blacklist_hit == true`).
// The fast path answers only when the path resolves to a primitive of the literal's type through plain
// objects; everything else (missing values, other types, objects) is handed to the compiled
// expression, so the results are the expression language's by construction.
import type { CompiledExpression } from '../expression/types.js';
import { loadAt, takeSite } from './site-loads.js';
import { isPlainObject, propertyName } from './values.js';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const PATH = `${IDENT}(?:\\.${IDENT})*`;
const PATH_RE = new RegExp(`^(${PATH})$`);
const COMPARE_RE = new RegExp(`^(${PATH})\\s*(==|!=|>=|<=|>|<)\\s*(-?\\d+(?:\\.\\d+)?|true|false|"[^"\\\\$\`]*"|'[^'\\\\$\`]*')$`);
const ITEM = `(?:-?\\d+(?:\\.\\d+)?|"[^"\\\\$\`]*"|'[^'\\\\$\`]*')`;
const IN_RE = new RegExp(`^(${PATH})\\s+in\\s+\\[\\s*(${ITEM}(?:\\s*,\\s*${ITEM})*)\\s*\\]$`);
const ITEM_RE = new RegExp(ITEM, 'g');
/** Words that are operators or constants in the expression language, never input paths. */
const RESERVED = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'in']);
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const MISS: unique symbol = Symbol('miss');

function reader(path: string): ((input: unknown) => unknown) | undefined {
  const segs = path.split('.').map(propertyName);
  if (segs.some((s) => RESERVED.has(s) || FORBIDDEN.has(s))) return undefined;
  // No own-property checks needed: every property inherited from Object.prototype is a function (and
  // `__proto__` / `constructor` are refused above), so an inherited name never yields a plain object or a
  // primitive, and the callers only answer for primitives.
  // Each path reads through its own load site, from a pool kept apart from the batches' (see site-loads.ts):
  // these closures share one body for every path, so a plain `o[k]` here would go megamorphic.
  if (segs.length === 1) {
    const [a] = segs as [string];
    const s = takeReaderSite();
    return (input) => (isPlainObject(input) ? readAt(s, input, a) : MISS);
  }
  if (segs.length === 2) {
    const [a, b] = segs as [string, string];
    const sa = takeReaderSite();
    const sb = takeReaderSite();
    return (input) => {
      if (!isPlainObject(input)) return MISS;
      const x = readAt(sa, input, a);
      return isPlainObject(x) ? readAt(sb, x, b) : MISS;
    };
  }
  return (input) => {
    let cur: unknown = input;
    for (let i = 0; i < segs.length; i++) {
      if (!isPlainObject(cur)) return MISS;
      cur = cur[segs[i]!];
    }
    return cur;
  };
}

const READER_SITES = 32;
let nextReaderSite = 0;

function takeReaderSite(): number {
  const s = nextReaderSite;
  nextReaderSite = (nextReaderSite + 1) % READER_SITES;
  return s;
}

/** `o[k]` at reader site `site`; the cases are identical on purpose (one inline cache each), do not merge them. */
function readAt(site: number, o: Record<string, unknown>, k: string): unknown {
  switch (site) {
    case 0:
      return o[k];
    case 1:
      return o[k];
    case 2:
      return o[k];
    case 3:
      return o[k];
    case 4:
      return o[k];
    case 5:
      return o[k];
    case 6:
      return o[k];
    case 7:
      return o[k];
    case 8:
      return o[k];
    case 9:
      return o[k];
    case 10:
      return o[k];
    case 11:
      return o[k];
    case 12:
      return o[k];
    case 13:
      return o[k];
    case 14:
      return o[k];
    case 15:
      return o[k];
    case 16:
      return o[k];
    case 17:
      return o[k];
    case 18:
      return o[k];
    case 19:
      return o[k];
    case 20:
      return o[k];
    case 21:
      return o[k];
    case 22:
      return o[k];
    case 23:
      return o[k];
    case 24:
      return o[k];
    case 25:
      return o[k];
    case 26:
      return o[k];
    case 27:
      return o[k];
    case 28:
      return o[k];
    case 29:
      return o[k];
    case 30:
      return o[k];
    default:
      return o[k];
  }
}

function literal(text: string): number | boolean | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith('"') || text.startsWith("'")) return text.slice(1, -1);
  return Number(text);
}

/** The same compiled expression with a faster evaluate for the simple shapes; unchanged otherwise. */
export function specialize(expr: CompiledExpression): CompiledExpression {
  if (expr.mode !== 'standard') return expr;
  const src = expr.source.trim();
  const slow = expr.evaluate;
  const p = PATH_RE.exec(src);
  if (p) {
    const read = reader(p[1]!);
    if (!read) return expr;
    const fast: CompiledExpression = {
      source: expr.source,
      mode: expr.mode,
      paths: expr.paths,
      evaluate(input, self, env) {
        const v = read(input);
        // Objects and arrays too (as the language's member access gives them); missing values, functions and
        // anything reached through a non-plain object are the language's to answer.
        return v !== undefined && v !== null && v !== MISS && typeof v !== 'function' ? v : slow(input, self, env);
      },
    };
    remember(fast, p[1]!);
    return fast;
  }
  const inList = IN_RE.exec(src);
  if (inList) return specializeIn(expr, inList[1]!, inList[2]!);
  const m = COMPARE_RE.exec(src);
  if (!m) return expr;
  const read = reader(m[1]!);
  if (!read) return expr;
  const op = m[2]!;
  const lit = literal(m[3]!);
  const type = typeof lit;
  // Strings and booleans only get equality here; ordering comparisons are left to the language.
  if (type !== 'number' && op !== '==' && op !== '!=') return expr;
  if (type === 'number' && !Number.isFinite(lit as number)) return expr;
  let cmp: (v: never) => boolean;
  switch (op) {
    case '==':
      cmp = (v) => v === lit;
      break;
    case '!=':
      cmp = (v) => v !== lit;
      break;
    case '>':
      cmp = (v) => v > (lit as number);
      break;
    case '>=':
      cmp = (v) => v >= (lit as number);
      break;
    case '<':
      cmp = (v) => v < (lit as number);
      break;
    default:
      cmp = (v) => v <= (lit as number);
  }
  const fast: CompiledExpression = {
    source: expr.source,
    mode: expr.mode,
    paths: expr.paths,
    evaluate(input, self, env) {
      const v = read(input);
      return typeof v === type ? cmp(v as never) : slow(input, self, env);
    },
  };
  remember(fast, m[1]!, { op, lit });
  return fast;
}

/** `path in [literals]` with all-string or all-number items: membership when the value has the items' type. */
function specializeIn(expr: CompiledExpression, path: string, items: string): CompiledExpression {
  const read = reader(path);
  if (!read) return expr;
  const list = (items.match(ITEM_RE) ?? []).map(literal);
  const type = typeof list[0];
  if (list.length === 0 || !list.every((x) => typeof x === type)) return expr;
  if (type === 'number' && !list.every((x) => Number.isFinite(x))) return expr;
  const slow = expr.evaluate;
  const fast: CompiledExpression = {
    source: expr.source,
    mode: expr.mode,
    paths: expr.paths,
    evaluate(input, self, env) {
      const v = read(input);
      return typeof v === type ? list.includes(v as never) : slow(input, self, env);
    },
  };
  remember(fast, path, { op: 'in', lit: list as string[] | number[] });
  return fast;
}

/** What `specialize` recognised: a path read or a path-versus-literal comparison, split at the last segment. */
interface Shape {
  parent: string[];
  key: string;
  compare?: { op: string; lit: number | boolean | string | string[] | number[] };
}

const shapes = new WeakMap<CompiledExpression, Shape>();

function remember(expr: CompiledExpression, path: string, compare?: Shape['compare']): void {
  const segs = path.split('.').map(propertyName);
  shapes.set(expr, { parent: segs.slice(0, -1), key: segs[segs.length - 1]!, compare });
}

// Batch op codes: one switch in the loop instead of a call through a per-rule closure (a megamorphic site).
const OP_READ = 0;
const OP_SLOW = 1;
const NUM_LT = 2;
const NUM_LE = 3;
const NUM_GT = 4;
const NUM_GE = 5;
const NUM_EQ = 6;
const NUM_NE = 7;
const BOOL_EQ = 8;
const BOOL_NE = 9;
const STR_EQ = 10;
const STR_NE = 11;
const IN_STR = 12;
const IN_NUM = 13;

function opCode(c: Shape['compare']): number {
  if (c === undefined) return OP_READ;
  if (Array.isArray(c.lit)) return typeof c.lit[0] === 'string' ? IN_STR : IN_NUM;
  const t = typeof c.lit;
  if (t === 'number') return c.op === '<' ? NUM_LT : c.op === '<=' ? NUM_LE : c.op === '>' ? NUM_GT : c.op === '>=' ? NUM_GE : c.op === '==' ? NUM_EQ : NUM_NE;
  if (t === 'boolean') return c.op === '==' ? BOOL_EQ : BOOL_NE;
  return c.op === '==' ? STR_EQ : STR_NE;
}

/**
 * Evaluates many expressions over one input (a rule set's conditions, a scorecard's characteristics), resolving
 * each distinct parent object (`features`, `applicant`) once per evaluation instead of once per expression,
 * then testing each recognised shape inline (op codes in one loop, no call per expression).
 * Answers exactly as the expressions do: anything the fast path cannot answer goes to the expression itself.
 */
export class ExpressionBatch {
  private readonly exprs: CompiledExpression[];
  private readonly parentOf: Int32Array;
  private readonly keys: string[];
  private readonly ops: Uint8Array;
  private readonly nums: Float64Array;
  private readonly lits: (number | boolean | string | readonly unknown[] | undefined)[];
  private readonly parents: string[][];
  /** Load site per expression (see site-loads.ts). */
  private readonly sites: Int32Array;

  constructor(exprs: CompiledExpression[]) {
    this.exprs = exprs;
    const n = exprs.length;
    this.parentOf = new Int32Array(n).fill(-1);
    this.sites = new Int32Array(n).fill(-1);
    this.keys = [];
    this.ops = new Uint8Array(n).fill(OP_SLOW);
    this.nums = new Float64Array(n);
    this.lits = [];
    this.parents = [];
    const index = new Map<string, number>();
    exprs.forEach((e, i) => {
      const s = shapes.get(e);
      this.keys.push(s?.key ?? '');
      this.lits.push(s?.compare?.lit);
      if (!s) return;
      this.ops[i] = opCode(s.compare);
      if (typeof s.compare?.lit === 'number') this.nums[i] = s.compare.lit;
      const id = s.parent.join('.');
      let p = index.get(id);
      if (p === undefined) {
        p = this.parents.length;
        index.set(id, p);
        this.parents.push(s.parent);
      }
      this.parentOf[i] = p;
      this.sites[i] = takeSite();
    });
  }

  /** The parent objects for this input (plain objects, or MISS). */
  private resolve(input: unknown): unknown[] {
    const parents = this.parents;
    const out: unknown[] = new Array(parents.length);
    for (let p = 0; p < parents.length; p++) {
      const segs = parents[p]!;
      let cur: unknown = input;
      for (let i = 0; i < segs.length && cur !== MISS; i++) cur = isPlainObject(cur) ? cur[segs[i]!] : MISS;
      out[p] = isPlainObject(cur) ? cur : MISS;
    }
    return out;
  }

  /** Every expression on `input`, into `out`: out[i] is expression i's value, or a BatchFailure when it threw. */
  evaluateAll(input: unknown, env: { now: number }, out: unknown[]): void {
    const resolved = this.resolve(input);
    const { parentOf, sites, ops, nums, lits, keys, exprs } = this;
    for (let i = 0; i < exprs.length; i++) {
      const p = parentOf[i]!;
      if (p >= 0) {
        const obj = resolved[p];
        if (obj !== MISS) {
          const v = loadAt(sites[i]!, obj as Record<string, unknown>, keys[i]!);
          const t = typeof v;
          const op = ops[i]!;
          if (op >= NUM_LT && op <= NUM_NE) {
            if (t === 'number') {
              const x = v as number;
              const k = nums[i]!;
              out[i] = op === NUM_LT ? x < k : op === NUM_LE ? x <= k : op === NUM_GT ? x > k : op === NUM_GE ? x >= k : op === NUM_EQ ? x === k : x !== k;
              continue;
            }
          } else if (op === OP_READ) {
            if (t === 'number' || t === 'string' || t === 'boolean') {
              out[i] = v;
              continue;
            }
          } else if (op === BOOL_EQ || op === BOOL_NE) {
            if (t === 'boolean') {
              out[i] = op === BOOL_EQ ? v === lits[i] : v !== lits[i];
              continue;
            }
          } else if (op === STR_EQ || op === STR_NE) {
            if (t === 'string') {
              out[i] = op === STR_EQ ? v === lits[i] : v !== lits[i];
              continue;
            }
          } else if (op === IN_STR || op === IN_NUM) {
            if (t === (op === IN_STR ? 'string' : 'number')) {
              out[i] = (lits[i] as readonly unknown[]).includes(v);
              continue;
            }
          }
        }
      }
      try {
        out[i] = exprs[i]!.evaluate(input, undefined, env);
      } catch (err) {
        out[i] = new BatchFailure(err);
      }
    }
  }

  /**
   * For conditions (a rule set): the expressions whose value is `true`, as their indexes in `fired`, in order;
   * an expression that threw is listed as `-(index + 1)` and its error kept in `failures[index]`. Returns how
   * many entries were written. One pass, no per-expression result array for the caller to scan again.
   */
  evaluateFired(input: unknown, env: { now: number }, fired: Int32Array, failures: unknown[]): number {
    const resolved = this.resolve(input);
    const { parentOf, sites, ops, nums, lits, keys, exprs } = this;
    let count = 0;
    for (let i = 0; i < exprs.length; i++) {
      const p = parentOf[i]!;
      if (p >= 0) {
        const obj = resolved[p];
        if (obj !== MISS) {
          const v = loadAt(sites[i]!, obj as Record<string, unknown>, keys[i]!);
          const t = typeof v;
          const op = ops[i]!;
          let r: boolean | undefined;
          if (op >= NUM_LT && op <= NUM_NE) {
            if (t === 'number') {
              const x = v as number;
              const k = nums[i]!;
              r = op === NUM_LT ? x < k : op === NUM_LE ? x <= k : op === NUM_GT ? x > k : op === NUM_GE ? x >= k : op === NUM_EQ ? x === k : x !== k;
            }
          } else if (op === BOOL_EQ || op === BOOL_NE) {
            if (t === 'boolean') r = op === BOOL_EQ ? v === lits[i] : v !== lits[i];
          } else if (op === STR_EQ || op === STR_NE) {
            if (t === 'string') r = op === STR_EQ ? v === lits[i] : v !== lits[i];
          } else if (op === IN_STR || op === IN_NUM) {
            if (t === (op === IN_STR ? 'string' : 'number')) r = (lits[i] as readonly unknown[]).includes(v);
          } else if (op === OP_READ) {
            if (t === 'number' || t === 'string' || t === 'boolean') r = v === true;
          }
          if (r !== undefined) {
            if (r) fired[count++] = i;
            continue;
          }
        }
      }
      try {
        if (exprs[i]!.evaluate(input, undefined, env) === true) fired[count++] = i;
      } catch (err) {
        failures[i] = new BatchFailure(err);
        fired[count++] = -(i + 1);
      }
    }
    return count;
  }
}

/** An expression of a batch that threw (evaluateAll keeps going; the caller decides what a failure means). */
export class BatchFailure {
  constructor(readonly error: unknown) {}
  get message(): string {
    return (this.error as Error)?.message ?? String(this.error);
  }
}
