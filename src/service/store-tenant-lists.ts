// Default TenantLists: src/lists' TenantListIndexes (one in-memory ListIndex per tenant, loaded from the store
// on first use and kept live by the list repository's change feed; O(1) lookups for the engine's list node).
import { TenantListIndexes } from '../lists/index.js';
import type { Store } from '../store/types.js';
import type { TenantLists } from './tenant-lists.js';

export function storeTenantLists(store: Store): TenantLists {
  return new TenantListIndexes(store.lists, store.clock);
}
