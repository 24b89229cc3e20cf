// Dotted paths into an event (`data.amount`, `subject.deviceId`), compiled once into a getter.
import type { RiskEvent } from '../core/event.js';

export type Getter = (event: RiskEvent) => unknown;

export const PATH_RE = /^(id|type|occurredAt|tenantId|subject\.[A-Za-z_$][\w$]*|data(\.[A-Za-z_$][\w$]*)+)$/;

const hasOwn = Object.prototype.hasOwnProperty;

// Paths come from tenant configuration, so no code is generated from them (no new Function), and only own
// properties are read (`data.constructor` is no way to reach a prototype). One closure shape per depth keeps
// the common one- and two-segment paths cheap.
export function compilePath(path: string): Getter {
  const parts = path.split('.');
  if (parts.length === 1) {
    const [a] = parts as [string];
    return (e) => (hasOwn.call(e, a) ? (e as unknown as Record<string, unknown>)[a] : undefined);
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    return (e) => {
      const o = hasOwn.call(e, a) ? (e as unknown as Record<string, unknown>)[a] : undefined;
      return o !== null && typeof o === 'object' && hasOwn.call(o, b) ? (o as Record<string, unknown>)[b] : undefined;
    };
  }
  return (e) => {
    let o: unknown = e;
    for (const p of parts) {
      if (o === null || typeof o !== 'object' || !hasOwn.call(o, p)) return undefined;
      o = (o as Record<string, unknown>)[p];
    }
    return o;
  };
}

/** A key value as a string (numbers and strings only; objects and empty strings are no key). */
export function keyString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** A finite number from a number or numeric string, else undefined. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
