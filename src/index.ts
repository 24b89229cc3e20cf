// The library entry: `import { ... } from 'xiezhi'`. Each area's public API is its src/<area>/index.ts.
export * from './core/event.js';
export * from './core/mask.js';
export * from './core/clock.js';
export type * from './core/feature-provider.js';
export * from './expression/index.js';
export * from './decision/index.js';
export * from './features/index.js';
export * from './lists/index.js';
export * from './models/index.js';
export * from './statements/index.js';
export * from './graph/index.js';
