// computeSync/applySync: the embedded store's promise-free API gives exactly what compute/apply give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RiskEvent } from '../../src/core/event.js';
import { createFeatureEngine, FeatureStoreUnavailableError, MemoryStore, type StateStore } from '../../src/features/index.js';
import { ALL_DEFS, ALL_NAMES } from './defs.js';
import { syntheticStream } from './helpers.js';

test('computeSync/applySync give the same values as compute/apply, for every kind of feature', async () => {
  const events = syntheticStream(300, 7);
  const viaPromises = createFeatureEngine({ definitions: ALL_DEFS, store: new MemoryStore() });
  const viaSync = createFeatureEngine({ definitions: ALL_DEFS, store: new MemoryStore() });
  for (const e of events) {
    const a = await viaPromises.compute(e, ALL_NAMES);
    const b = viaSync.computeSync(e, ALL_NAMES);
    assert.deepEqual(b, a, `event ${e.id}`);
    await viaPromises.apply(e);
    viaSync.applySync(e);
  }
  // Re-applying is still a no-op through the sync API.
  const probe = { ...events[events.length - 1], id: 'probe', occurredAt: events[events.length - 1].occurredAt + 1 };
  const before = viaSync.computeSync(probe, ALL_NAMES);
  for (const e of events.slice(-20)) viaSync.applySync(e);
  assert.deepEqual(viaSync.computeSync(probe, ALL_NAMES), before);
});

test('a caller reusing and changing one names array gets the features it now asks for', () => {
  const engine = createFeatureEngine({ definitions: ALL_DEFS });
  const e = syntheticStream(1, 3)[0];
  const names = [ALL_NAMES[0], ALL_NAMES[1]];
  assert.deepEqual(Object.keys(engine.computeSync(e, names).values), [ALL_NAMES[0], ALL_NAMES[1]]);
  names[1] = ALL_NAMES[2];
  names.push('graph.unknown_elsewhere');
  assert.deepEqual(Object.keys(engine.computeSync(e, names).values), [ALL_NAMES[0], ALL_NAMES[2]]);
});

test('the sync API refuses a store that answers asynchronously, and bad events, with clear errors', () => {
  const remote: StateStore = {
    kind: 'redis',
    read: () => Promise.resolve([]),
    write: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const engine = createFeatureEngine({ definitions: ALL_DEFS, store: remote });
  const e = syntheticStream(1, 3)[0];
  assert.throws(() => engine.computeSync(e, ALL_NAMES), /computeSync needs the memory store/);
  assert.throws(() => engine.applySync(e), /applySync needs the memory store/);
  const mem = createFeatureEngine({ definitions: ALL_DEFS });
  assert.throws(() => mem.computeSync({ ...e, occurredAt: Number.NaN }, ALL_NAMES), /occurredAt/);
  assert.throws(() => mem.applySync({ ...e, id: '' } as RiskEvent), /event.id/);
});

test('under fail-closed a failing memory store throws FeatureStoreUnavailableError from the sync API', () => {
  class Broken extends MemoryStore {
    override markApplied(): boolean {
      throw new Error('disk full');
    }
  }
  const engine = createFeatureEngine({ definitions: ALL_DEFS, store: new Broken(), failPolicy: 'closed' });
  const e = syntheticStream(1, 3)[0];
  assert.throws(() => engine.applySync(e), FeatureStoreUnavailableError);
  const open = createFeatureEngine({ definitions: ALL_DEFS, store: new Broken(), failPolicy: 'open' });
  open.applySync(e);
  assert.equal(open.pendingWrites(), 1, 'kept for retry under fail-open');
});
