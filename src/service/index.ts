// The decision service: Fastify app factory and the pieces others embed.
export { buildApp } from './app.js';
export type { BuildAppOptions, XiezhiApp } from './app.js';
export type { DecisionResponse } from './decider.js';
export { readOutcome } from './decider.js';
export type { TenantLists } from './tenant-lists.js';
export { storeTenantLists } from './store-tenant-lists.js';
export { validateEvent, CUSTOM_EVENT_TYPE_PATTERN } from './event-validation.js';
export { diffGraphs } from './diff.js';
export { runGraphTests } from './strategy-tests.js';
export { loadTemplates } from './templates.js';
export { seedEmbedded } from './seed.js';
export type { SeedResult } from './seed.js';
export { composeFeatureProviders, NamespacedProvider } from './compose-features.js';
export { SqlStatementStore, StatementFeatureProvider } from './statements.js';
export { SqlModelRepository, TenantModels } from './models.js';
export { serviceGraph, loadGraphLabels } from './graph.js';
