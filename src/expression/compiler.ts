// Compiles a syntax tree once into nested JavaScript closures. Evaluation then only calls closures: no
// tree walking, no eval. Hot shapes (member paths, comparisons with constants, `in` ranges and lists)
// get dedicated closures that allocate nothing per call.
import type { BinaryOp, Node, NodeOf } from './ast.js';
import { ZenDate } from './dates.js';
import { EvalFault, ExpressionError } from './errors.js';
import { add, div, mod, mul, sub } from './decimal.js';
import { DATE_METHODS, LIBRARY } from './library.js';
import { MAX_CLOSURE_ITERATIONS } from './limits.js';
import type { ExpressionEnv } from './types.js';
import { memberLoadAt, takeMemberSite } from './member-loads.js';
import { compare, equals, fixNumber, Interval, isPlainObject, own, scalarText, setOwn, shallowCopy, toList, toText, typeName } from './values.js';

/** A compiled node: (input, self, env) → value. */
export type Fn = (i: any, s: any, e: ExpressionEnv) => unknown;

interface Ctx {
  src: string;
  locals: unknown[];
  budget: { n: number };
  /** Assignment programs: the object the assignments build (what `$root` and the program return). */
  state: { out: Record<string, unknown> | null };
}

const nowOf = (e: ExpressionEnv): number => e.now ?? Date.now();

function located(ctx: Ctx, node: Node, err: unknown, token: string): unknown {
  if (err instanceof EvalFault) return new ExpressionError(err.message, ctx.src, node.at, token);
  return err;
}

function failAt(ctx: Ctx, node: Node, message: string, token: string): never {
  throw new ExpressionError(message, ctx.src, node.at, token);
}

export interface CompiledTree {
  fn: Fn;
  /** Closure iteration counter to reset per evaluation (null without closures). */
  budget: { n: number } | null;
  /** Set `out` to a fresh object before each evaluation of an assignment program. */
  state: { out: Record<string, unknown> | null };
}

export function compileTree(root: Node, src: string, slots: number): CompiledTree {
  const ctx: Ctx = { src, locals: new Array(slots).fill(null), budget: { n: 0 }, state: { out: null } };
  return { fn: compile(ctx, root), budget: slots > 0 ? ctx.budget : null, state: ctx.state };
}

function constantOf(node: Node): { value: unknown } | null {
  return node.kind === 'literal' ? { value: node.value } : null;
}

function compile(ctx: Ctx, node: Node): Fn {
  switch (node.kind) {
    case 'literal': {
      const v = node.value;
      return () => v;
    }
    case 'template':
      return compileTemplate(ctx, node);
    case 'ident':
    case 'member':
      return compileAccess(ctx, node);
    case 'self':
      return (i, s) => (s !== undefined ? s : own(i, '$'));
    case 'root': {
      const state = ctx.state;
      return (i) => state.out ?? i;
    }
    case 'local': {
      const locals = ctx.locals;
      const slot = node.slot;
      return () => locals[slot];
    }
    case 'array': {
      const items = node.items.map((n) => compile(ctx, n));
      const n = items.length;
      return (i, s, e) => {
        const out = new Array<unknown>(n);
        for (let k = 0; k < n; k++) out[k] = items[k]!(i, s, e);
        return out;
      };
    }
    case 'object':
      return compileObject(ctx, node);
    case 'interval': {
      const l = compile(ctx, node.left);
      const r = compile(ctx, node.right);
      const { leftClosed, rightClosed } = node;
      const cl = constantOf(node.left), cr = constantOf(node.right);
      if (cl && cr) {
        const fixed = new Interval(cl.value, cr.value, leftClosed, rightClosed);
        return () => fixed;
      }
      return (i, s, e) => new Interval(l(i, s, e), r(i, s, e), leftClosed, rightClosed);
    }
    case 'index': {
      const o = compile(ctx, node.object);
      const k = compile(ctx, node.index);
      return (i, s, e) => indexValue(o(i, s, e), k(i, s, e));
    }
    case 'slice':
      return compileSlice(ctx, node);
    case 'unary':
      return compileUnary(ctx, node);
    case 'binary':
      return compileBinary(ctx, node);
    case 'cond': {
      const t = compile(ctx, node.test);
      const a = compile(ctx, node.then);
      const b = compile(ctx, node.otherwise);
      return (i, s, e) => (t(i, s, e) === true ? a(i, s, e) : b(i, s, e));
    }
    case 'call':
      return compileCall(ctx, node);
    case 'closure':
      return compileClosure(ctx, node);
    case 'method':
      return compileMethod(ctx, node);
    case 'any':
      return compileAny(ctx, node);
    case 'assign':
      return compileAssign(ctx, node);
    case 'program': {
      const stmts = node.statements.map((n) => compile(ctx, n));
      const lastIsAssign = node.statements[node.statements.length - 1]!.kind === 'assign';
      return (i, s, e) => {
        let v: unknown = null;
        for (const f of stmts) v = f(i, s, e);
        return lastIsAssign ? ctx.state.out : v;
      };
    }
  }
}

// ---- access ----
/**
 * `own(o, key)` with the read at load site `site` (see member-loads.ts): the same checks, but the value is
 * read where the inline cache sees one key (a shared `o[key]` read is megamorphic).
 */
function ownAt(site: number, o: unknown, key: string): unknown {
  if (typeof o === 'object' && o !== null && Object.hasOwn(o, key)) {
    const v = memberLoadAt(site, o as Record<string, unknown>, key);
    // Arrays expose only indexes (through [i]), never `length` by name.
    return v === undefined || typeof v === 'function' || Array.isArray(o) ? null : v;
  }
  return null;
}

/** `key` as a property-name string (internalized: the load's key check is then a pointer comparison). */
function propertyName(key: string): string {
  return Object.keys({ [key]: 0 })[0]!;
}

/** `a.b.c` from the input (or from `$`, `#`, any expression): one closure walking fixed keys. */
function compileAccess(ctx: Ctx, node: NodeOf<'ident'> | NodeOf<'member'>): Fn {
  const keys: string[] = [];
  let base: Node = node;
  while (base.kind === 'member') {
    keys.unshift(base.key);
    base = base.object;
  }
  if (base.kind === 'ident') keys.unshift(base.name);
  const n = keys.length;
  const b = base.kind === 'ident' ? null : compile(ctx, base);
  const names = keys.map(propertyName);
  const sites = names.map(() => takeMemberSite());
  const k0 = names[0]!, k1 = names[1]!, k2 = names[2]!;
  const s0 = sites[0]!, s1 = sites[1]!, s2 = sites[2]!;
  if (b === null) {
    if (n === 1) return (i) => ownAt(s0, i, k0);
    if (n === 2) return (i) => ownAt(s1, ownAt(s0, i, k0), k1);
    if (n === 3) return (i) => ownAt(s2, ownAt(s1, ownAt(s0, i, k0), k1), k2);
    return (i) => {
      let v: unknown = i;
      for (let k = 0; k < n; k++) v = ownAt(sites[k]!, v, names[k]!);
      return v;
    };
  }
  if (n === 1) return (i, s, e) => ownAt(s0, b(i, s, e), k0);
  return (i, s, e) => {
    let v = b(i, s, e);
    for (let k = 0; k < n; k++) v = ownAt(sites[k]!, v, names[k]!);
    return v;
  };
}

function indexValue(o: unknown, k: unknown): unknown {
  if (typeof k === 'number') {
    if (Array.isArray(o)) {
      const n = Math.floor(k);
      const v = o[n < 0 ? o.length + n : n];
      return v === undefined || typeof v === 'function' ? null : v;
    }
    if (!Number.isInteger(k)) return null;
    if (typeof o === 'string') return o.charAt(k < 0 ? o.length + k : k) || null;
    return own(o, String(k));
  }
  if (typeof k === 'string') return own(o, k);
  return null;
}

function compileSlice(ctx: Ctx, node: NodeOf<'slice'>): Fn {
  const o = compile(ctx, node.object);
  const from = node.from ? compile(ctx, node.from) : null;
  const to = node.to ? compile(ctx, node.to) : null;
  return (i, s, e) => {
    const v = o(i, s, e);
    if (typeof v !== 'string' && !Array.isArray(v)) return failAt(ctx, node, `Cannot slice ${typeName(v)}`, '[');
    const a = from ? from(i, s, e) : 0;
    const b = to ? to(i, s, e) : v.length - 1;
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isInteger(a) || !Number.isInteger(b)) {
      return failAt(ctx, node, 'Slice bounds must be integers', '[');
    }
    // ZEN slices include the end index: 'sample_string'[0:5] == 'sample'.
    return v.slice(a, b + 1);
  };
}

function compileTemplate(ctx: Ctx, node: NodeOf<'template'>): Fn {
  const q = node.quasis;
  const parts = node.parts.map((n) => compile(ctx, n));
  if (parts.length === 0) {
    const text = q[0]!;
    return () => text;
  }
  return (i, s, e) => {
    let out = q[0]!;
    for (let k = 0; k < parts.length; k++) {
      const v = parts[k]!(i, s, e);
      out += (typeof v === 'string' ? v : stringOf(ctx, node, v)) + q[k + 1]!;
    }
    return out;
  };
}

function stringOf(ctx: Ctx, node: Node, v: unknown): string {
  try {
    return scalarText(v);
  } catch (err) {
    throw located(ctx, node, err, '`');
  }
}

function compileObject(ctx: Ctx, node: NodeOf<'object'>): Fn {
  const entries = node.entries.map((en) => ({
    key: typeof en.key === 'string' ? propertyName(en.key) : compile(ctx, en.key),
    value: compile(ctx, en.value),
  }));
  return (i, s, e) => {
    const out: Record<string, unknown> = {};
    for (const en of entries) {
      const key = typeof en.key === 'string' ? en.key : toText(en.key(i, s, e));
      setOwn(out, key, en.value(i, s, e));
    }
    return out;
  };
}

function compileAssign(ctx: Ctx, node: NodeOf<'assign'>): Fn {
  const value = compile(ctx, node.value);
  const path = node.path;
  const state = ctx.state;
  return (i, s, e) => {
    const v = value(i, s, e);
    // Write into the result object and into the (copied) input, so later statements read the new value.
    if (state.out === null) state.out = {};
    assignPath(state.out, path, v, false);
    // `i` is the evaluation's own shallow copy of the input; copy-on-write keeps the caller's data intact.
    if (isPlainObject(i)) assignPath(i, path, v, true);
    return v;
  };
}

function assignPath(target: Record<string, unknown>, path: string[], v: unknown, copyOnWrite: boolean): void {
  let o = target;
  for (let k = 0; k < path.length - 1; k++) {
    const next = own(o, path[k]!);
    let child: Record<string, unknown>;
    if (isPlainObject(next)) child = copyOnWrite ? shallowCopy(next) : next;
    else child = {};
    if (child !== next) setOwn(o, path[k]!, child);
    o = child;
  }
  setOwn(o, path[path.length - 1]!, v);
}

// ---- operators ----
function compileUnary(ctx: Ctx, node: NodeOf<'unary'>): Fn {
  const a = compile(ctx, node.arg);
  if (node.op === 'not') {
    return (i, s, e) => {
      const v = a(i, s, e);
      if (v === true) return false;
      if (v === false) return true;
      return failAt(ctx, node, `'not' expects a boolean, got ${typeName(v)}`, 'not');
    };
  }
  const neg = node.op === '-';
  return (i, s, e) => {
    const v = a(i, s, e);
    if (typeof v !== 'number') return failAt(ctx, node, `Unary '${node.op}' expects a number, got ${typeName(v)}`, node.op);
    return neg ? -v : v;
  };
}

function compileBinary(ctx: Ctx, node: NodeOf<'binary'>): Fn {
  const op = node.op;
  switch (op) {
    case 'and':
    case 'or': {
      const l = compile(ctx, node.left);
      const r = compile(ctx, node.right);
      // As in ZEN: the left side must be a boolean; the right side's value is the result when it decides.
      const at = operatorAt(node);
      const bad = (v: unknown): never => failAt(ctx, at, `'${op}' expects a boolean, got ${typeName(v)}`, op);
      if (op === 'and') {
        return (i, s, e) => {
          const a = l(i, s, e);
          return a === true ? r(i, s, e) : a === false ? false : bad(a);
        };
      }
      return (i, s, e) => {
        const a = l(i, s, e);
        return a === false ? r(i, s, e) : a === true ? true : bad(a);
      };
    }
    case '??': {
      const l = compile(ctx, node.left);
      const r = compile(ctx, node.right);
      return (i, s, e) => {
        const v = l(i, s, e);
        return v === null || v === undefined ? r(i, s, e) : v;
      };
    }
    case '==':
    case '!=':
      return compileEquality(ctx, node, op);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compileOrder(ctx, node, op);
    case 'in':
    case 'not in': {
      const test = compileIn(ctx, node);
      if (op === 'in') return test;
      return (i, s, e) => !test(i, s, e);
    }
    default:
      return compileArithmetic(ctx, node, op);
  }
}

function compileEquality(ctx: Ctx, node: NodeOf<'binary'>, op: '==' | '!='): Fn {
  const l = compile(ctx, node.left);
  const c = constantOf(node.right);
  if (c) {
    const k = c.value;
    if (op === '==') return (i, s, e) => { const v = l(i, s, e); return v === k || (k === null && v === undefined); };
    return (i, s, e) => { const v = l(i, s, e); return !(v === k || (k === null && v === undefined)); };
  }
  const r = compile(ctx, node.right);
  const at = operatorAt(node);
  const deepEquals = (a: unknown, b: unknown): boolean => {
    try {
      return equals(a, b);
    } catch (err) {
      throw located(ctx, at, err, op);
    }
  };
  if (op === '==') return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return a === b || deepEquals(a, b); };
  return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return !(a === b || deepEquals(a, b)); };
}

/** Non-numbers: dates and strings order; anything else (null, mismatched types) compares false. */
function orderSlow(a: unknown, b: unknown, op: '<' | '>' | '<=' | '>='): boolean {
  const c = compare(a, b);
  if (Number.isNaN(c)) return false;
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

function compileOrder(ctx: Ctx, node: NodeOf<'binary'>, op: '<' | '>' | '<=' | '>='): Fn {
  const l = compile(ctx, node.left);
  const c = constantOf(node.right);
  if (c && typeof c.value === 'number') {
    const k = c.value;
    switch (op) {
      case '<': return (i, s, e) => { const a = l(i, s, e); return typeof a === 'number' ? a < k : orderSlow(a, k, op); };
      case '>': return (i, s, e) => { const a = l(i, s, e); return typeof a === 'number' ? a > k : orderSlow(a, k, op); };
      case '<=': return (i, s, e) => { const a = l(i, s, e); return typeof a === 'number' ? a <= k : orderSlow(a, k, op); };
      case '>=': return (i, s, e) => { const a = l(i, s, e); return typeof a === 'number' ? a >= k : orderSlow(a, k, op); };
    }
  }
  const r = compile(ctx, node.right);
  switch (op) {
    case '<': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? a < b : orderSlow(a, b, op); };
    case '>': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? a > b : orderSlow(a, b, op); };
    case '<=': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? a <= b : orderSlow(a, b, op); };
    case '>=': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? a >= b : orderSlow(a, b, op); };
  }
}

function inValue(v: unknown, container: unknown): boolean {
  if (container instanceof Interval) return container.has(v);
  if (Array.isArray(container)) {
    for (const x of container) if (x === v || equals(x, v)) return true;
    return false;
  }
  if (typeof container === 'string' && typeof v === 'string') return container.includes(v);
  if (typeof container === 'object' && container !== null && typeof v === 'string') return Object.hasOwn(container, v);
  return false;
}

function compileIn(ctx: Ctx, node: NodeOf<'binary'>): Fn {
  const l = compile(ctx, node.left);
  const right = node.right;
  // `x in [1..10]` with constant numeric bounds: two comparisons, no Interval object.
  if (right.kind === 'interval') {
    const cl = constantOf(right.left), cr = constantOf(right.right);
    if (cl && cr && typeof cl.value === 'number' && typeof cr.value === 'number') {
      const lo = cl.value, hi = cr.value;
      const lc = right.leftClosed, rc = right.rightClosed;
      return (i, s, e) => {
        const v = l(i, s, e);
        if (typeof v !== 'number') return false;
        return (lc ? v >= lo : v > lo) && (rc ? v <= hi : v < hi);
      };
    }
  }
  // `x in ['US', 'CA']` with constant items: a shared list or set, no array per call.
  if (right.kind === 'array' && right.items.every((n) => n.kind === 'literal')) {
    const values = right.items.map((n) => (n as NodeOf<'literal'>).value);
    if (values.length > 8) {
      const set = new Set<unknown>(values);
      return (i, s, e) => set.has(l(i, s, e));
    }
    return (i, s, e) => values.includes(l(i, s, e) as never);
  }
  const r = compile(ctx, right);
  const at = operatorAt(node);
  return (i, s, e) => {
    const v = l(i, s, e), c = r(i, s, e);
    try {
      return inValue(v, c);
    } catch (err) {
      throw located(ctx, at, err, node.op);
    }
  };
}

function arithmeticSlow(ctx: Ctx, node: Node, op: BinaryOp, a: unknown, b: unknown): unknown {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a === 'number' && typeof b === 'number') {
    // ZEN yields null for division by zero.
    if ((op === '/' || op === '%') && b === 0) return null;
    if (op === '^' && !Number.isFinite(Math.pow(a, b))) return failAt(ctx, node, 'Number overflow', op);
    switch (op) {
      case '+': return add(a, b);
      case '-': return sub(a, b);
      case '*': return mul(a, b);
      case '/': return div(a, b);
      case '%': return mod(a, b);
      case '^': return fixNumber(Math.pow(a, b));
    }
  }
  return failAt(ctx, node, `Cannot apply '${op}' to ${typeName(a)} and ${typeName(b)}`, op);
}

function operatorAt(node: Node): Node {
  return node.kind === 'binary' && node.opAt !== undefined ? { ...node, at: node.opAt } : node;
}

function compileArithmetic(ctx: Ctx, binary: NodeOf<'binary'>, op: BinaryOp): Fn {
  const l = compile(ctx, binary.left);
  const r = compile(ctx, binary.right);
  const node = operatorAt(binary); // errors point at the operator
  switch (op) {
    case '+': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? add(a, b) : arithmeticSlow(ctx, node, op, a, b); };
    case '-': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? sub(a, b) : arithmeticSlow(ctx, node, op, a, b); };
    case '*': return (i, s, e) => { const a = l(i, s, e), b = r(i, s, e); return typeof a === 'number' && typeof b === 'number' ? mul(a, b) : arithmeticSlow(ctx, node, op, a, b); };
    default: return (i, s, e) => arithmeticSlow(ctx, node, op, l(i, s, e), r(i, s, e));
  }
}

// ---- unary-test alternatives ----
function compileAny(ctx: Ctx, node: NodeOf<'any'>): Fn {
  // 'US', 'CA', 'GB': `$` equals one of the constants.
  const consts: unknown[] = [];
  for (const item of node.items) {
    if (item.kind === 'binary' && item.op === '==' && item.left.kind === 'self' && item.right.kind === 'literal') consts.push(item.right.value);
    else break;
  }
  if (consts.length === node.items.length) {
    if (consts.length > 8) {
      const set = new Set(consts);
      return (i, s) => set.has(s !== undefined ? s : own(i, '$'));
    }
    return (i, s) => consts.includes(s !== undefined ? s : own(i, '$'));
  }
  const fs = node.items.map((n) => compile(ctx, n));
  return (i, s, e) => {
    for (let k = 0; k < fs.length; k++) if (fs[k]!(i, s, e) === true) return true;
    return false;
  };
}

// ---- calls ----
function compileCall(ctx: Ctx, node: NodeOf<'call'>): Fn {
  const entry = Object.hasOwn(LIBRARY, node.name) ? LIBRARY[node.name]! : undefined;
  if (!entry) return failAt(ctx, node, `Unknown function '${node.name}'`, node.name);
  const n = node.args.length;
  if (n < entry.min || n > entry.max) {
    const want = entry.min === entry.max ? `${entry.min}` : `${entry.min} to ${entry.max}`;
    return failAt(ctx, node, `${node.name}() takes ${want} argument${entry.max === 1 ? '' : 's'}, got ${n}`, node.name);
  }
  const fn = entry.fn;
  const [a, b, c] = node.args.map((x) => compile(ctx, x));
  const name = node.name;
  const wrap = (err: unknown) => located(ctx, node, err, name);
  if (n === 0) return (_i, _s, e) => { try { return fn(undefined, undefined, undefined, nowOf(e)); } catch (err) { throw wrap(err); } };
  if (n === 1) {
    const A = a!;
    return (i, s, e) => { const x = A(i, s, e); try { return fn(x, undefined, undefined, nowOf(e)); } catch (err) { throw wrap(err); } };
  }
  if (n === 2) {
    const A = a!, B = b!;
    return (i, s, e) => { const x = A(i, s, e), y = B(i, s, e); try { return fn(x, y, undefined, nowOf(e)); } catch (err) { throw wrap(err); } };
  }
  const A = a!, B = b!, C = c!;
  return (i, s, e) => { const x = A(i, s, e), y = B(i, s, e), z = C(i, s, e); try { return fn(x, y, z, nowOf(e)); } catch (err) { throw wrap(err); } };
}

function compileMethod(ctx: Ctx, node: NodeOf<'method'>): Fn {
  const entry = Object.hasOwn(DATE_METHODS, node.name) ? DATE_METHODS[node.name]! : undefined;
  if (!entry) return failAt(ctx, node, `Unknown method '${node.name}'`, node.name);
  const n = node.args.length;
  if (n < entry.min || n > entry.max) return failAt(ctx, node, `${node.name}() takes ${entry.min === entry.max ? entry.min : `${entry.min} to ${entry.max}`} arguments, got ${n}`, node.name);
  const o = compile(ctx, node.object);
  const args = node.args.map((x) => compile(ctx, x));
  const [a, b] = args;
  const fn = entry.fn;
  const name = node.name;
  return (i, s, e) => {
    const d = o(i, s, e);
    if (!(d instanceof ZenDate)) return failAt(ctx, node, `Method '${name}' expects a date, got ${typeName(d)}`, name);
    const x = a ? a(i, s, e) : undefined;
    const y = b ? b(i, s, e) : undefined;
    try {
      return fn(d, x, y, nowOf(e));
    } catch (err) {
      throw located(ctx, node, err, name);
    }
  };
}

function compileClosure(ctx: Ctx, node: NodeOf<'closure'>): Fn {
  const list = compile(ctx, node.list);
  const body = compile(ctx, node.body);
  const { locals, budget } = ctx;
  const slot = node.slot;
  const name = node.name;
  const items = (i: unknown, s: unknown, e: ExpressionEnv): unknown[] => {
    const v = list(i, s, e);
    try {
      const xs = toList(v, name);
      budget.n += xs.length;
      if (budget.n > MAX_CLOSURE_ITERATIONS) throw new EvalFault(`Too many closure iterations (limit ${MAX_CLOSURE_ITERATIONS} per evaluation)`);
      return xs;
    } catch (err) {
      throw located(ctx, node, err, name);
    }
  };
  const run = (fnBody: (xs: unknown[], i: unknown, s: unknown, e: ExpressionEnv) => unknown): Fn => (i, s, e) => {
    const xs = items(i, s, e);
    const saved = locals[slot];
    try {
      return fnBody(xs, i, s, e);
    } finally {
      locals[slot] = saved;
    }
  };
  switch (name) {
    case 'map':
      return run((xs, i, s, e) => {
        const out = new Array<unknown>(xs.length);
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; out[k] = body(i, s, e); }
        return out;
      });
    case 'filter':
      return run((xs, i, s, e) => {
        const out: unknown[] = [];
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; if (body(i, s, e) === true) out.push(xs[k]); }
        return out;
      });
    case 'flatMap':
      return run((xs, i, s, e) => {
        const out: unknown[] = [];
        for (let k = 0; k < xs.length; k++) {
          locals[slot] = xs[k];
          const v = body(i, s, e);
          if (Array.isArray(v)) for (const x of v) out.push(x);
          else out.push(v);
        }
        return out;
      });
    case 'all':
      return run((xs, i, s, e) => {
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; if (body(i, s, e) !== true) return false; }
        return true;
      });
    case 'some':
      return run((xs, i, s, e) => {
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; if (body(i, s, e) === true) return true; }
        return false;
      });
    case 'none':
      return run((xs, i, s, e) => {
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; if (body(i, s, e) === true) return false; }
        return true;
      });
    case 'one':
    case 'count':
      return run((xs, i, s, e) => {
        let n = 0;
        for (let k = 0; k < xs.length; k++) { locals[slot] = xs[k]; if (body(i, s, e) === true) n++; }
        return name === 'one' ? n === 1 : n;
      });
    default:
      return failAt(ctx, node, `Unknown closure function '${name}'`, name);
  }
}

// ---- analysis ----
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'template': return node.parts;
    case 'array': return node.items;
    case 'object': return node.entries.flatMap((en) => (typeof en.key === 'string' ? [en.value] : [en.key, en.value]));
    case 'interval': return [node.left, node.right];
    case 'member': return [node.object];
    case 'index': return [node.object, node.index];
    case 'slice': return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'unary': return [node.arg];
    case 'binary': return [node.left, node.right];
    case 'cond': return [node.test, node.then, node.otherwise];
    case 'call': return node.args;
    case 'closure': return [node.list, node.body];
    case 'method': return [node.object, ...node.args];
    case 'any': return node.items;
    case 'assign': return [node.value];
    case 'program': return node.statements;
    default: return [];
  }
}

/** Deepest path in the tree, computed without recursion (so a hostile tree cannot overflow the stack here). */
export function treeDepth(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of childrenOf(n)) stack.push([c, d + 1]);
  }
  return max;
}

/** Input paths read by the tree: static member chains from the root; computed indexes stop the path. */
export function inputPaths(root: Node): string[] {
  const out = new Set<string>();
  const staticPath = (n: Node): string[] | null => {
    if (n.kind === 'ident') return [n.name];
    if (n.kind === 'root') return [];
    if (n.kind === 'member') {
      const p = staticPath(n.object);
      return p ? [...p, n.key] : null;
    }
    if (n.kind === 'index' && n.index.kind === 'literal' && typeof n.index.value === 'string') {
      const p = staticPath(n.object);
      return p ? [...p, n.index.value] : null;
    }
    return null;
  };
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'ident' || n.kind === 'member' || n.kind === 'index') {
      const p = staticPath(n);
      if (p) {
        if (p.length > 0) out.add(p.join('.'));
        continue;
      }
    }
    const kids = childrenOf(n);
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
  return [...out];
}

