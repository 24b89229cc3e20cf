// Small helpers shared by the repositories: ids, hashes, canonical JSON, row mapping.
import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';
import type { RiskEvent } from '../core/event.js';

export const newId = (prefix = ''): string => prefix + randomBytes(12).toString('base64url');

// crypto.hash (one shot, no Hash object) where the runtime has it (Node >= 20.12).
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export const sha256 = oneShot ? (s: string): string => oneShot('sha256', s, 'hex') : (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Object keys as JSON strings, cached: the same few keys (subject and data fields) come back on every event.
 * Bounded, since the keys come from clients.
 */
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 4096) quotedKeys.set(k, q);
  }
  return q;
}

/** JSON with object keys sorted at every level, so equal payloads hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  // A finite number's JSON is its string form; JSON.stringify's generic path costs more.
  if (typeof value === 'number') return Number.isFinite(value) ? '' + value : 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Built by concatenation, without the intermediate arrays of map/filter/join: this runs on every event.
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) s += ',';
      s += v === undefined ? 'null' : canonicalJson(v);
    }
    return s + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  // Small objects (the usual subject and data) in place: Array#sort allocates a work copy per call (~40 %
  // of this function's garbage, three sorts per event). Insertion sort with `>` is the same order (UTF-16
  // code units); large objects keep sort(), as insertion sort is quadratic.
  if (keys.length > 16) keys.sort();
  else for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) s += ',';
    first = false;
    s += quoteKey(k) + ':' + canonicalJson(v);
  }
  return s + '}';
}

/**
 * The idempotency fingerprint of an event: sha256 of its canonical type, occurredAt, subject and data.
 * The same id with a different hash is a conflict (409).
 */
export function payloadHash(event: Pick<RiskEvent, 'type' | 'occurredAt' | 'subject' | 'data'>): string {
  // canonicalJson({ type, occurredAt, subject, data }) written out, keys in their sorted order, without
  // building and sorting that wrapper object (the same text, so the same hash as stored ones).
  let s = '{';
  const add = (key: string, v: unknown): void => {
    if (v === undefined) return;
    if (s.length > 1) s += ',';
    s += key + canonicalJson(v);
  };
  add('"data":', event.data);
  add('"occurredAt":', event.occurredAt);
  add('"subject":', event.subject);
  add('"type":', event.type);
  return sha256(s + '}');
}

export const toJson = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function fromJson<T>(s: string | null | undefined): T | undefined {
  if (s === null || s === undefined) return undefined;
  return JSON.parse(s) as T;
}

/** null → undefined, for optional record fields. */
export const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** Clamp a page size from user input. */
export function pageSize(limit: number | undefined, dflt: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return dflt;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** True for the unique-violation errors of both drivers. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
