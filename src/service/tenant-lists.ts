// Per-tenant name-list lookups for the engine's `list` node (sync, O(1)). Loaded once per tenant on first
// use, then kept live by the list repository's change feed (see src/lists).
import type { ListHit, ListLookup } from '../decision/index.js';

export interface TenantLists {
  /** The tenant's live lookup, loading it on first call. */
  ready(tenantId: string): Promise<ListLookup>;
  /** Hits for one value (for GET /v1/lists/lookup). */
  lookup(tenantId: string, dimension: string, value: string): Promise<ListHit[]>;
  /** Reloads a tenant's index from the store (cluster mode: picks up other instances' changes). */
  reload?(tenantId: string): Promise<ListLookup>;
  close(): void;
}
