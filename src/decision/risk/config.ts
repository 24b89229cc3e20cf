// Small readers for risk-node configs: each reports a precise issue (field path + message) and returns undefined.
import type { CompiledExpression } from '../../expression/types.js';
import { compileStandard, compileUnary, sourceOf } from '../expr.js';
import type { CustomNodeCompileContext } from '../types.js';
import { isPlainObject, type Obj } from '../values.js';

export type Issue = CustomNodeCompileContext['issue'];

export function configObject(config: unknown, issue: Issue, kind: string): Obj | undefined {
  if (!isPlainObject(config)) {
    issue(undefined, `${kind} needs a config object`);
    return undefined;
  }
  return config;
}

export function list(obj: Obj, key: string, issue: Issue, required = true): unknown[] | undefined {
  const v = obj[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) {
    issue(key, `${key} must be an array`);
    return undefined;
  }
  return v;
}

export function str(obj: Obj, key: string, field: string, issue: Issue, required = true): string | undefined {
  const v = obj[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    issue(field, `${field} must be a non-empty string`);
    return undefined;
  }
  return v;
}

export function num(obj: Obj, key: string, field: string, issue: Issue, fallback?: number): number | undefined {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issue(field, `${field} must be a finite number`);
    return undefined;
  }
  return v;
}

export function expr(obj: Obj, key: string, field: string, issue: Issue, required = true): CompiledExpression | undefined {
  const src = sourceOf(obj[key]);
  if (src === undefined) {
    if (required) issue(field, `${field} must be a non-empty expression`);
    return undefined;
  }
  return compileStandard(src, field, issue);
}

export function unary(src: string, field: string, issue: Issue): CompiledExpression | undefined {
  return compileUnary(src, field, issue);
}

export function addPaths(set: Set<string>, e: CompiledExpression | undefined): void {
  e?.paths.forEach((p) => set.add(p));
}

/** A reason as the service expects it: `{ code, message?, score? }` or a plain string. */
export type Reason = { code: string; message?: string; score?: number } | string;

export function readReason(v: unknown, field: string, issue: Issue): Reason | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v) return v;
  if (isPlainObject(v) && typeof v.code === 'string' && v.code) {
    const r: { code: string; message?: string; score?: number } = { code: v.code };
    if (typeof v.message === 'string') r.message = v.message;
    if (typeof v.score === 'number') r.score = v.score;
    return r;
  }
  issue(field, `${field} must be a string or {code, message?, score?}`);
  return undefined;
}
