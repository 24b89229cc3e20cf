// Feature definitions are plain JSON data: stored per tenant, versioned with strategies, edited in the console.

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'distinct', 'first_seen', 'last_seen'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** Seconds (number) or a duration string: `30s`, `10m`, `1h`, `7d`. */
export type WindowSpec = number | string;

/** `agg` of `field` over the events with the same `key` value in the sliding `window` before the event. */
export interface VelocityDefinition {
  name: string;
  kind: 'velocity';
  agg: Aggregate;
  /** Dotted path of the aggregated value (`data.amount`, `subject.userId`); optional for `count`. */
  field?: string;
  /** Dotted path of the grouping key (`subject.bankCard`, `data.payeeId`). */
  key: string;
  window: WindowSpec;
  /** Only these event types count; all types when absent. */
  eventTypes?: string[];
  /** Expression (src/expression) over the event; only events where it is truthy count. */
  filter?: string;
  description?: string;
}

export const PROFILE_ATTRIBUTES = [
  'first_seen',
  'last_seen',
  'event_count',
  'type_count',
  'known_count',
  'is_known',
  'hour_share',
  'mean',
  'stddev',
] as const;
export type ProfileAttribute = (typeof PROFILE_ATTRIBUTES)[number];

/** A long-lived per-entity profile value (no window: the entity's whole retained history). */
export interface ProfileDefinition {
  name: string;
  kind: 'profile';
  /** Dotted path of the entity id, e.g. `subject.userId`. */
  entity: string;
  attribute: ProfileAttribute;
  /** `known_count`/`is_known`: the remembered value (`subject.deviceId`); `mean`/`stddev`: the number. */
  field?: string;
  /** `type_count`: the event type counted (the current event's type when absent). */
  eventType?: string;
  /** `mean`/`stddev`: which event types feed the statistics. */
  eventTypes?: string[];
  description?: string;
}

export const SIGNALS = [
  'new_device',
  'user_many_devices',
  'device_many_users',
  'impossible_travel',
  'amount_zscore',
  'new_payee_large',
  'card_testing',
  'ato_chain',
  'many_new_accounts',
  'night_ratio',
] as const;
export type SignalName = (typeof SIGNALS)[number];

export interface IpLocation {
  lat: number;
  lon: number;
  city?: string;
}

/** A named anti-fraud signal with its parameters (see docs/features.md for each one's meaning and defaults). */
export interface SignalDefinition {
  name: string;
  kind: 'signal';
  signal: SignalName;
  user?: string;
  device?: string;
  key?: string;
  amount?: string;
  payee?: string;
  lat?: string;
  lon?: string;
  ip?: string;
  window?: WindowSpec;
  threshold?: number;
  smallAmount?: number;
  maxKmh?: number;
  minKm?: number;
  minHistory?: number;
  eventTypes?: string[];
  changeTypes?: string[];
  changeField?: string;
  changeValues?: string[];
  utcOffsetHours?: number;
  nightStartHour?: number;
  nightEndHour?: number;
  /** IP → location table for impossible travel when events carry no coordinates. Keys: exact IP or a prefix ending in `.`. */
  ipLocations?: Record<string, IpLocation>;
  description?: string;
}

export type FeatureDefinition = VelocityDefinition | ProfileDefinition | SignalDefinition;
