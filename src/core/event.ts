// The business event every part of Xiezhi speaks: collected by the API, enriched by features,
// linked by the graph, decided by the strategy, stored in the log and replayed for training.

export const BUILTIN_EVENT_TYPES = [
  'register',
  'login',
  'payment',
  'transfer',
  'loan_application',
  'drawdown',
  'repayment',
  'profile_change',
] as const;
export type BuiltinEventType = (typeof BUILTIN_EVENT_TYPES)[number];

/** Who the event is about. All fields optional; custom identifiers are allowed. */
export interface Subject {
  userId?: string;
  deviceId?: string;
  ip?: string;
  phone?: string;
  idNumber?: string;
  bankCard?: string;
  email?: string;
  address?: string;
  [key: string]: string | undefined;
}

export interface RiskEvent {
  /** Client-chosen unique id: the idempotency key. */
  id: string;
  /** A built-in type or a custom one (lowercase snake case). */
  type: string;
  /** UTC epoch milliseconds (ISO-8601 at the API edge). */
  occurredAt: number;
  subject: Subject;
  data: Record<string, unknown>;
  tenantId?: string;
}

/** Feature values an event saw, by feature name (`features.<name>` in expressions). */
export type FeatureValues = Record<string, unknown>;
