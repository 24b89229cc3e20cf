// What every route module receives: the store, the clock and the shared runtime pieces of one app.
import type { Clock } from '../core/clock.js';
import type { FeatureProvider } from '../core/feature-provider.js';
import type { Store } from '../store/types.js';
import type { Authenticator } from './auth.js';
import type { Decider } from './decider.js';
import type { Metrics } from './metrics.js';
import type { StrategyRuntime } from './strategy-runtime.js';
import type { TenantLists } from './tenant-lists.js';

export interface ServiceContext {
  store: Store;
  clock: Clock;
  features: FeatureProvider;
  decider: Decider;
  runtime: StrategyRuntime;
  auth: Authenticator;
  metrics: Metrics;
  lists: TenantLists;
  /** Strategy templates offered by GET /v1/templates. */
  templates: () => Promise<StrategyTemplate[]>;
}

export interface StrategyTemplate {
  id: string;
  name: string;
  description: string;
  eventTypes: string[];
  draft: unknown;
}
