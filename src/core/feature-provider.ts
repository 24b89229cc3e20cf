// How the decision service asks for features. Implemented by the feature engine (velocity windows, profiles,
// signals), and later by the link graph (`features.graph.*`) and statement analysis (`features.statement.*`).
import type { FeatureValues, RiskEvent } from './event.js';

export interface FeatureResult {
  /** Values keyed by the name under `features.` (e.g. `card_payments_1h` or `graph.shared_device_users`). */
  values: FeatureValues;
  /** Set when a store failed and the fail-open policy answered without it: the reason, shown on the decision. */
  degraded?: string;
}

export interface FeatureProvider {
  /**
   * The values `event` sees, as of just before it (never including the event itself or later ones).
   * `names` are the feature names the published strategy reads (from its `features.*` dependency paths);
   * only those are computed.
   */
  compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult>;
  /** Folds the event into state. Idempotent by event id: applying an id twice changes nothing. */
  apply(event: RiskEvent): Promise<void>;
  close(): Promise<void>;
}
