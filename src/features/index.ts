// Public API of the feature layer: velocity windows, profiles and anti-fraud signals over memory or Redis.
export { createFeatureEngine, FeatureStoreUnavailableError } from './engine.js';
export type { FeatureEngine, FeatureEngineOptions, FailPolicy } from './engine.js';
export { validateDefinitions, FeatureDefinitionError } from './definitions.js';
export { MemoryStore } from './memory-store.js';
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { DEFAULT_LIMITS } from './plan.js';
export type { StateStore, StateLimits } from './plan.js';
export { haversineKm } from './geo.js';
export { parseWindow } from './duration.js';
export { replayEvents, readEventsFile, featureNamesOf, toRiskEvent, sortByTime } from './replay.js';
export type { ReplayOptions, ReplayRow, ReplayStrategy } from './replay.js';
export * from './types.js';
