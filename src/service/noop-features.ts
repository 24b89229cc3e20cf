// The feature provider used when none is configured: no features, nothing to update.
import type { FeatureProvider } from '../core/feature-provider.js';

export const noopFeatureProvider: FeatureProvider = {
  async compute() {
    return { values: {} };
  },
  async apply() {},
  async close() {},
};
