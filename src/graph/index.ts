// Public API of the applicant link graph (issue 8).
export { DEFAULT_CONFIG, DEFAULT_LINKS, GraphConfigError, aliasOf, normalizeConfig, type GraphConfig, type LinkRule, type LinkValue } from './config.js';
export { LinkGraph, DEFAULT_TENANT, type CappedAttribute, type GraphOptions, type GraphSnapshot } from './link-graph.js';
export {
  GRAPH_FEATURES,
  GraphFeatureComputer,
  GraphFeatureProvider,
  graphFeatureNames,
  type Blacklist,
  type BlacklistCheck,
  type GraphFeatureOptions,
  type ListLookupLike,
} from './features.js';
export { buildCsr, connectedComponents, labelPropagation } from './communities.js';
export { detectRings, scheduleRingJob, scoreCommunities, type Ring, type RingJobOptions, type RingReport, type RingScheduler } from './rings.js';
export { maskRing, neighbourhood, type Neighbourhood, type ViewEdge, type ViewNode } from './view.js';
export { graphRoutes, type GraphRoutesOptions } from './http.js';
export { PgGraph, GRAPH_SCHEMA_SQL } from './pg.js';
export { UnionFind } from './union-find.js';
