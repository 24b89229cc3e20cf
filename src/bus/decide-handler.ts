// Connects the bus to the decider: validate like the HTTP route, decide, map errors to retry or not.
import type { Decider } from '../service/decider.js';
import { HttpError, errorBody } from '../service/errors.js';
import { validateEvent } from '../service/event-validation.js';
import type { BusHandler } from './nats.js';

export function deciderHandler(decider: Decider, tenantExists: (tenantId: string) => Promise<boolean>): BusHandler {
  return async (tenantId, body) => {
    if (!(await tenantExists(tenantId))) return { ok: false, retry: false, error: errorBody('unknown_tenant', `tenant ${tenantId} does not exist`) };
    const v = validateEvent(body);
    if (!v.ok) return { ok: false, retry: false, error: { eventId: (body as { id?: unknown })?.id ?? null, ...errorBody('validation', 'invalid event', v.fields) } };
    try {
      return { ok: true, decision: await decider.decide(tenantId, v.event, false) };
    } catch (err) {
      if (err instanceof HttpError && err.statusCode < 500) return { ok: false, retry: false, error: { eventId: v.event.id, ...errorBody(err.code, err.message, err.fields) } };
      return { ok: false, retry: true, error: String(err) };
    }
  };
}
