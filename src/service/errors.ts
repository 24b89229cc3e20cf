// HTTP errors with the one JSON shape every 4xx/5xx answer uses (docs/api.md, "Errors").
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../store/errors.js';

export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export const badRequest = (fields: FieldError[], message?: string): HttpError =>
  new HttpError(400, 'validation', message ?? `request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.field).join(', ')}`, fields);
export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const unauthorized = (message = 'missing or invalid bearer token / 缺少或无效的访问令牌'): HttpError => new HttpError(401, 'unauthorized', message);
export const conflict = (message: string, fields: FieldError[] = []): HttpError => new HttpError(409, 'conflict', message, fields);

export function errorBody(code: string, message: string, fields: FieldError[] = []): { error: { code: string; message: string; fields: FieldError[] } } {
  return { error: { code, message, fields } };
}

/** Maps store errors to HTTP errors (4xx); anything else is returned unchanged. */
export function fromStoreError(err: unknown, fieldPrefix = 'body'): unknown {
  if (err instanceof StoreValidationError) return badRequest([{ field: `${fieldPrefix}.${err.field}`, message: err.message.replace(`${err.field}: `, '') }]);
  if (err instanceof StoreConflictError) return conflict(err.message);
  if (err instanceof StoreNotFoundError) return new HttpError(404, 'not_found', err.message);
  return err;
}
