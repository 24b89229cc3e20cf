// Validates an incoming event per type and converts it to the internal RiskEvent (epoch ms times).
// Hand-written rather than a JSON-schema oneOf so each error names the exact field and the rule it broke.
import { BUILTIN_EVENT_TYPES } from '../core/event.js';
import type { RiskEvent, Subject } from '../core/event.js';
import type { FieldError } from './errors.js';

export const CUSTOM_EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
const BUILTIN = new Set<string>(BUILTIN_EVENT_TYPES);
/** Types that move money: data.amount is required. */
const AMOUNT_TYPES = new Set(['payment', 'transfer', 'loan_application', 'drawdown', 'repayment']);
const MAX_SUBJECT_VALUE = 512;

/** Epoch ms from an ISO-8601 string or a number; undefined when neither. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v < 8.64e15 ? Math.trunc(v) : undefined;
  if (typeof v === 'string' && v.length >= 10 && v.length <= 40 && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export type EventValidation = { ok: true; event: RiskEvent } | { ok: false; fields: FieldError[] };

export function validateEvent(body: unknown, prefix = 'body'): EventValidation {
  const fields: FieldError[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, fields: [{ field: prefix, message: 'must be a JSON object' }] };
  }
  const b = body as Record<string, unknown>;
  const { id, type, occurredAt, subject, data } = b;
  if (typeof id !== 'string' || !EVENT_ID_PATTERN.test(id)) {
    fields.push({ field: `${prefix}.id`, message: 'is required: 1-128 characters of A-Z a-z 0-9 . _ : @ -' });
  }
  let typeOk = false;
  if (typeof type !== 'string') fields.push({ field: `${prefix}.type`, message: 'is required (a built-in event type or lowercase snake_case custom type)' });
  else if (!BUILTIN.has(type) && !CUSTOM_EVENT_TYPE_PATTERN.test(type)) {
    fields.push({ field: `${prefix}.type`, message: `unknown event type '${type.slice(0, 64)}': use one of ${BUILTIN_EVENT_TYPES.join(', ')} or a custom type matching ${CUSTOM_EVENT_TYPE_PATTERN.source}` });
  } else typeOk = true;
  const at = parseTime(occurredAt);
  if (at === undefined) fields.push({ field: `${prefix}.occurredAt`, message: 'is required: an ISO-8601 date-time or epoch milliseconds' });
  let subj: Subject | undefined;
  if (!subject || typeof subject !== 'object' || Array.isArray(subject)) {
    fields.push({ field: `${prefix}.subject`, message: 'is required: an object of string identifiers (userId, deviceId, ip, phone, ...)' });
  } else {
    subj = {};
    let n = 0;
    // for-in over the parsed JSON object (own, enumerable keys only): no entries arrays on every event.
    const src = subject as Record<string, unknown>;
    for (const k in src) {
      const v = src[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'number' && Number.isFinite(v)) subj[k] = String(v);
      else if (typeof v !== 'string') fields.push({ field: `${prefix}.subject.${k}`, message: 'must be a string' });
      else if (v.length > MAX_SUBJECT_VALUE) fields.push({ field: `${prefix}.subject.${k}`, message: `must be at most ${MAX_SUBJECT_VALUE} characters` });
      else subj[k] = v;
      n++;
    }
    if (n === 0) fields.push({ field: `${prefix}.subject`, message: 'needs at least one identifier' });
    else if (typeOk && BUILTIN.has(type as string) && type !== 'register' && !subj.userId && !fields.some((f) => f.field === `${prefix}.subject.userId`)) {
      fields.push({ field: `${prefix}.subject.userId`, message: `is required for ${String(type)}` });
    }
  }
  let d: Record<string, unknown> = {};
  if (data !== undefined && data !== null) {
    if (typeof data !== 'object' || Array.isArray(data)) fields.push({ field: `${prefix}.data`, message: 'must be an object' });
    else d = data as Record<string, unknown>;
  }
  if (typeOk && AMOUNT_TYPES.has(type as string)) {
    const amount = d.amount;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      fields.push({ field: `${prefix}.data.amount`, message: `is required for ${String(type)}: a number >= 0 (minor units or yuan, as your strategy expects)` });
    }
  }
  if (fields.length > 0) return { ok: false, fields };
  return { ok: true, event: { id: id as string, type: type as string, occurredAt: at as number, subject: subj as Subject, data: d } };
}

export function isValidEventType(type: string): boolean {
  return BUILTIN.has(type) || CUSTOM_EVENT_TYPE_PATTERN.test(type);
}
