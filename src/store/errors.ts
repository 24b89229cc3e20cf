// Errors the repositories throw for bad input and conflicts, so the service maps them to 4xx (never 500).

/** A unique key already exists (tenant id, username, strategy id, list id ...) or a state forbids the change. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}

/** The record a change refers to does not exist for this tenant. */
export class StoreNotFoundError extends Error {
  override readonly name = 'StoreNotFoundError';
}

/** Input failed validation; `field` names the offending field (e.g. `entries[3].riskIntensity`). */
export class StoreValidationError extends Error {
  override readonly name = 'StoreValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
