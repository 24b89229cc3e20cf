// Small helpers shared by the repositories: ids, hashes, canonical JSON, row mapping.
import { createHash, randomBytes } from 'node:crypto';
import type { RiskEvent } from '../core/event.js';

export const newId = (prefix = ''): string => prefix + randomBytes(12).toString('base64url');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** JSON with object keys sorted at every level, so equal payloads hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/**
 * The idempotency fingerprint of an event: sha256 of its canonical type, occurredAt, subject and data.
 * The same id with a different hash is a conflict (409).
 */
export function payloadHash(event: Pick<RiskEvent, 'type' | 'occurredAt' | 'subject' | 'data'>): string {
  return sha256(canonicalJson({ type: event.type, occurredAt: event.occurredAt, subject: event.subject, data: event.data }));
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
