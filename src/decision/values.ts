// Plain-data helpers with ZEN's merge rules. Values flowing between nodes are treated as immutable: merging
// copies only the objects along the changed paths, so a node never mutates another node's (or the caller's) data.

export type Obj = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Obj {
  if (v === null || typeof v !== 'object') return false;
  // Arrays, dates and class instances all have another prototype.
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A shallow copy of a plain object (own enumerable properties). Object.assign rather than `{ ...o }`: V8's
 * spread clone gets very slow when the copy then gains a key (each node adds its output), and a copy is always
 * followed by that. A JSON key "__proto__" would hit the setter under assign, so such objects take the spread.
 */
export function copyObject(o: Obj): Obj {
  return Object.prototype.hasOwnProperty.call(o, '__proto__') ? { ...o } : Object.assign({}, o);
}

/**
 * ZEN's Variable::merge: two objects merge key by key, recursively; anything else is replaced by `patch`.
 * Returns a new value; neither argument is modified.
 */
export function mergeValues(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  return mergeInto(copyObject(base), patch);
}

/** Merges `patch` (a plain object) into `out`, which the caller owns and which is modified; returns `out`. */
export function mergeInto(out: Obj, patch: Obj): Obj {
  for (const key of Object.keys(patch)) {
    const pv = patch[key];
    const bv = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    const v = isPlainObject(bv) && isPlainObject(pv) ? mergeValues(bv, pv) : pv;
    // A JSON key "__proto__" is data: define it, never assign it (assignment would swap the prototype).
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/**
 * `key` as a property-name string. Keys cut out of strategy text are fresh strings; V8's keyed loads and stores
 * compare a key with the cached property name by pointer, so such a key is looked up in the string table on
 * every access. Object.keys returns the internalized name, which matches at once.
 */
export function propertyName(key: string): string {
  return Object.keys({ [key]: 0 })[0]!;
}

/** Splits a dotted output path (`discount.percentage`) into segments (as property names, see propertyName). */
export function splitPath(path: string): string[] {
  return path.split('.').map((s) => propertyName(s.trim()));
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** True when a dotted path is usable as an output key: non-empty segments, no prototype keys. */
export function isSafePath(path: string): boolean {
  const parts = splitPath(path);
  return parts.length > 0 && parts.every((p) => p.length > 0 && !FORBIDDEN.has(p));
}

/**
 * Sets `value` at a dotted path inside `target` (mutates `target`, which must be an object the caller owns).
 * Nested objects on the way are copied before being written to, unless listed in `owned` (objects the caller
 * created itself); objects this call creates are added to `owned`.
 */
export function setPath(target: Obj, segments: readonly string[], value: unknown, owned?: object[]): void {
  let cur = target;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    const key = segments[i]!;
    const next = cur[key];
    if (isPlainObject(next)) {
      if (owned && owned.includes(next)) {
        cur = next;
        continue;
      }
      // Copy before writing: the nested object may be shared with another node's data.
      const copy: Obj = copyObject(next);
      cur[key] = copy;
      owned?.push(copy);
      cur = copy;
    } else {
      const created: Obj = {};
      cur[key] = created;
      owned?.push(created);
      cur = created;
    }
  }
  cur[segments[last]!] = value;
}

/** Reads a dotted path; undefined when any step is missing. Own properties only. */
export function getPath(source: unknown, segments: readonly string[]): unknown {
  let cur: unknown = source;
  for (const key of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/** Deep copy of JSON-like data (used only where a value must be snapshotted, e.g. `$` self-references). */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  if (isPlainObject(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/**
 * Equality used by `xiezhi test`: deep equality where an object key holding null or undefined counts as absent
 * (ZEN drops null-valued keys from results), and numbers compare with a relative tolerance of 1e-9
 * (decimal arithmetic vs IEEE doubles).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ao = a as Obj;
    const bo = b as Obj;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) {
      const av = ao[k] ?? null;
      const bv = bo[k] ?? null;
      if (!sameValue(av, bv)) return false;
    }
    return true;
  }
  return false;
}

/** True when `v` holds a non-JSON object (an expression's date or interval value) that must be made plain. */
export function needsPlain(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth > 64) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && needsPlain(x, depth + 1)) return true;
    }
    return false;
  }
  if (!isPlainObject(v)) return true;
  for (const k in v) {
    const x = v[k];
    if (x !== null && typeof x === 'object' && needsPlain(x, depth + 1)) return true;
  }
  return false;
}

/** ZEN's `$nodes`: the outputs of the nodes run so far, by node name, visible to expressions. */
export const NODES_KEY = '$nodes';

/** `v` with `$nodes` added (objects only; a copy, the original is untouched). */
export function withNodes(v: unknown, nodes: Obj): unknown {
  if (!isPlainObject(v)) return v;
  const out: Obj = { ...v };
  out[NODES_KEY] = nodes;
  return out;
}

/** `v` without a top-level `$nodes` key. */
export function withoutNodes(v: unknown): unknown {
  if (!isPlainObject(v) || !Object.prototype.hasOwnProperty.call(v, NODES_KEY)) return v;
  const out: Obj = { ...v };
  delete out[NODES_KEY];
  return out;
}
