// The in-memory name-list index behind the engine's `list` node: per dimension, a Map from normalised value
// to the entries holding it, so a lookup is two hash probes plus a filter over the (few) lists holding the value.
import type { Clock } from '../core/clock.js';
import type { ListHit, ListLookup } from '../decision/index.js';
import type { ListChange, ListEntry, ListKind } from '../store/types.js';
import { normalizeValue } from './normalize.js';

export type { ListHit, ListLookup };

/** Mutable per-list facts shared by all its entries, so a kind change is one assignment. */
interface ListMeta {
  id: string;
  dimension: string;
  kind: ListKind;
  /** Normalised values this list holds (for dropList). */
  values: Set<string>;
}

/** The facts of a list the index needs. */
export interface ListRef {
  id: string;
  dimension: string;
  kind: ListKind;
}

interface IndexedEntry {
  list: ListMeta;
  category?: string;
  reason?: string;
  riskLevel?: number;
  expiresAt?: number;
}

export class ListIndex implements ListLookup {
  private readonly byDimension = new Map<string, Map<string, IndexedEntry[]>>();
  private readonly lists = new Map<string, ListMeta>();

  constructor(private readonly clock: Clock) {}

  /** Hits for a value among live (unexpired) entries, only in `listIds` when it names any (absent or empty: all lists). */
  lookup(dimension: string, value: string, listIds?: readonly string[]): ListHit[] {
    if (typeof value !== 'string' || value === '') return [];
    if (listIds !== undefined && listIds.length === 0) listIds = undefined;
    const found = this.byDimension.get(dimension)?.get(normalizeValue(dimension, value));
    if (found === undefined) return [];
    const now = this.clock();
    const hits: ListHit[] = [];
    for (const e of found) {
      if (e.expiresAt !== undefined && e.expiresAt <= now) continue;
      if (listIds !== undefined && !listIds.includes(e.list.id)) continue;
      const hit: ListHit = { listId: e.list.id, kind: e.list.kind };
      if (e.category !== undefined) hit.category = e.category;
      if (e.reason !== undefined) hit.reason = e.reason;
      if (e.riskLevel !== undefined) hit.riskLevel = e.riskLevel;
      hits.push(hit);
    }
    return hits;
  }

  /** Number of indexed entries (including expired ones not yet swept). */
  get size(): number {
    let n = 0;
    for (const l of this.lists.values()) n += l.values.size;
    return n;
  }

  private meta(list: ListRef): ListMeta {
    let m = this.lists.get(list.id);
    if (!m) {
      m = { id: list.id, dimension: list.dimension, kind: list.kind, values: new Set() };
      this.lists.set(list.id, m);
    } else {
      m.kind = list.kind;
    }
    return m;
  }

  private values(dimension: string): Map<string, IndexedEntry[]> {
    let m = this.byDimension.get(dimension);
    if (!m) {
      m = new Map();
      this.byDimension.set(dimension, m);
    }
    return m;
  }

  private remove(meta: ListMeta, value: string): void {
    const byValue = this.byDimension.get(meta.dimension);
    const arr = byValue?.get(value);
    if (!byValue || !arr) return;
    const i = arr.findIndex((e) => e.list === meta);
    if (i >= 0) arr.splice(i, 1);
    if (arr.length === 0) byValue.delete(value);
    meta.values.delete(value);
  }

  /** Adds or replaces one entry (values in the store are already normalised). */
  put(list: ListRef, entry: Pick<ListEntry, 'value' | 'category' | 'reason' | 'riskIntensity' | 'expiresAt'>): void {
    const meta = this.meta(list);
    const value = normalizeValue(meta.dimension, entry.value);
    this.remove(meta, value);
    const e: IndexedEntry = { list: meta };
    if (entry.category !== undefined) e.category = entry.category;
    if (entry.reason !== undefined) e.reason = entry.reason;
    if (entry.riskIntensity !== undefined) e.riskLevel = entry.riskIntensity;
    if (entry.expiresAt !== undefined) e.expiresAt = entry.expiresAt;
    const byValue = this.values(meta.dimension);
    const arr = byValue.get(value);
    if (arr) arr.push(e);
    else byValue.set(value, [e]);
    meta.values.add(value);
  }

  delete(listId: string, value: string): void {
    const meta = this.lists.get(listId);
    if (meta) this.remove(meta, normalizeValue(meta.dimension, value));
  }

  dropList(listId: string): void {
    const meta = this.lists.get(listId);
    if (!meta) return;
    for (const value of [...meta.values]) this.remove(meta, value);
    this.lists.delete(listId);
  }

  /** Applies a change from the list repository's feed (ListRepo.onChange). */
  apply(change: ListChange): void {
    switch (change.op) {
      case 'upsert':
        if (change.list) for (const e of change.entries ?? []) this.put(change.list, e);
        break;
      case 'delete':
        for (const v of change.values ?? []) this.delete(change.listId, v);
        break;
      case 'dropList':
        this.dropList(change.listId);
        break;
      case 'updateList':
        if (change.list) this.meta(change.list);
        break;
    }
  }

  /** Forgets entries expired at `now` (lookups already ignore them; this frees the memory). */
  sweep(now = this.clock()): number {
    let n = 0;
    for (const byValue of this.byDimension.values()) {
      for (const [value, arr] of byValue) {
        for (let i = arr.length - 1; i >= 0; i--) {
          const e = arr[i]!;
          if (e.expiresAt !== undefined && e.expiresAt <= now) {
            arr.splice(i, 1);
            e.list.values.delete(value);
            n++;
          }
        }
        if (arr.length === 0) byValue.delete(value);
      }
    }
    return n;
  }
}
