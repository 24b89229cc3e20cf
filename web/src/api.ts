// A small fetch wrapper for the service's /v1 API: adds the session token, parses JSON, turns error bodies into ApiError.
import type { ModelSummary, ModelVersionDetail, PromoteResult, TrainingJob } from './types.js';

const TOKEN_KEY = 'xiezhi.token';
let token: string | null = localStorage.getItem(TOKEN_KEY);
const unauthorizedListeners = new Set<() => void>();

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(t: string | null): void {
  token = t;
  if (t) localStorage.setItem(TOKEN_KEY, t);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Called when the service answers 401 (session expired or revoked). */
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** The service answers errors as {error: {code, message, fields: [{field, message}]}}. */
function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const outer = body as Record<string, unknown>;
    const b = (outer.error && typeof outer.error === 'object' ? outer.error : outer) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof b.message === 'string') parts.push(b.message);
    const fields = b.fields;
    if (Array.isArray(fields)) {
      for (const f of fields.slice(0, 5)) {
        const x = (f ?? {}) as Record<string, unknown>;
        parts.push([x.field ?? x.nodeId, x.message].filter(Boolean).join(': '));
      }
    }
    if (parts.length) return parts.join('; ');
  }
  if (typeof body === 'string' && body) return body.slice(0, 300);
  return `HTTP ${status}`;
}

/** The `fields` of an error answer (e.g. node issues of a 422 on publish). */
export function errorFields(e: unknown): { field?: string; nodeId?: string; message: string }[] {
  if (!(e instanceof ApiError)) return [];
  const b = e.body as { error?: { fields?: unknown } } | null;
  const f = b?.error?.fields;
  return Array.isArray(f) ? (f as { field?: string; nodeId?: string; message: string }[]) : [];
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Raw body (e.g. CSV text) sent with this content type instead of JSON. */
  raw?: { body: BodyInit; contentType: string };
  /** A multipart form (file uploads); the browser sets the content type with its boundary. */
  form?: FormData;
  /** Return the response text instead of parsed JSON. */
  text?: boolean;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let url = path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (opts.form) payload = opts.form;
  else if (opts.raw) {
    headers['content-type'] = opts.raw.contentType;
    payload = opts.raw.body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(url, { method, headers, body: payload });
  const ct = res.headers.get('content-type') ?? '';
  const parsed: unknown = opts.text && res.ok ? await res.text() : ct.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    if (res.status === 401 && token) {
      setToken(null);
      for (const fn of unauthorizedListeners) fn();
    }
    throw new ApiError(res.status, messageOf(parsed, res.status), parsed);
  }
  return parsed as T;
}

// ---------------------------------------------------------------- models

export const listModels = () => api<{ items: ModelSummary[] }>('GET', '/v1/models').then((r) => r.items);

/** A version without its artifact (trees, bins): metrics, binning tables and the training report. */
export const getModelVersion = (id: string, version: number | 'latest') =>
  api<ModelVersionDetail>('GET', `/v1/models/${encodeURIComponent(id)}/versions/${version}`, undefined, { query: { artifact: false } });

/** Starts a training job from a CSV file and options (form fields); answers once the file is checked. */
export const startTraining = (form: FormData) => api<TrainingJob>('POST', '/v1/model-jobs', undefined, { form });

export const getTrainingJob = (jobId: string) => api<TrainingJob>('GET', `/v1/model-jobs/${encodeURIComponent(jobId)}`);

/** Cancels a running job (the service stops its worker; nothing is registered); 409 once it has finished. */
export const cancelTrainingJob = (jobId: string) => api<TrainingJob>('DELETE', `/v1/model-jobs/${encodeURIComponent(jobId)}`);

export const listTrainingJobs = () => api<{ items: TrainingJob[] }>('GET', '/v1/model-jobs').then((r) => r.items);

export const promoteModel = (id: string, version: number, body: { strategyId: string; scorecardNode?: string; prefix?: string }) =>
  api<PromoteResult>('POST', `/v1/models/${encodeURIComponent(id)}/versions/${version}/promote`, body);
