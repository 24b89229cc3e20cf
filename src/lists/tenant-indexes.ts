// One ListIndex per tenant, loaded from the store on first use and kept live by the list repository's change
// feed. Changes arriving while a tenant loads are queued and applied after the load, in order.
// In cluster mode a change made on another instance is not seen until reload(); see docs/lists.md.
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { ListChange, ListRepo } from '../store/types.js';
import { ListIndex, type ListHit } from './list-index.js';

interface Slot {
  index: ListIndex;
  ready: Promise<ListIndex>;
  /** Changes seen while loading; undefined once loaded. */
  queued?: ListChange[];
}

export class TenantListIndexes {
  private readonly slots = new Map<string, Slot>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repo: ListRepo,
    private readonly clock: Clock = systemClock,
  ) {
    this.unsubscribe = repo.onChange((c) => {
      const slot = this.slots.get(c.tenantId);
      if (!slot) return; // not loaded: the load will read the committed state
      if (slot.queued) slot.queued.push(c);
      else slot.index.apply(c);
    });
  }

  /** The tenant's live index (a ListLookup for the engine), loading it on first call. */
  ready(tenantId: string): Promise<ListIndex> {
    const existing = this.slots.get(tenantId);
    if (existing) return existing.ready;
    const index = new ListIndex(this.clock);
    const slot: Slot = { index, queued: [], ready: Promise.resolve(index) };
    slot.ready = (async () => {
      try {
        for await (const { list, entry } of this.repo.scanEntries(tenantId)) index.put(list, entry);
      } catch (err) {
        this.slots.delete(tenantId); // let the next call retry
        throw err;
      }
      for (const c of slot.queued ?? []) index.apply(c);
      slot.queued = undefined;
      return index;
    })();
    this.slots.set(tenantId, slot);
    return slot.ready;
  }

  /** Hits for one value (e.g. for GET /v1/lists/lookup). */
  async lookup(tenantId: string, dimension: string, value: string, listIds?: readonly string[]): Promise<ListHit[]> {
    return (await this.ready(tenantId)).lookup(dimension, value, listIds);
  }

  /** Drops a tenant's index so the next ready() reloads it from the store. */
  reload(tenantId: string): Promise<ListIndex> {
    this.slots.delete(tenantId);
    return this.ready(tenantId);
  }

  close(): void {
    this.unsubscribe();
    this.slots.clear();
  }
}
