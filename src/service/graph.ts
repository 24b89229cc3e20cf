// The link graph inside the service: `features.graph.*` for decisions, events folded in after each decision
// (through the composed feature provider), fraud/default labels marked on subjects, a periodic ring job
// for GET /v1/graph/rings. The graph lives in memory; startServer rebuilds it from the log at start.
import type { Store } from '../store/types.js';
import type { Subject } from '../core/event.js';
import { GraphFeatureProvider, scheduleRingJob, type LinkGraph, type ListLookupLike, type RingScheduler } from '../graph/index.js';
import { LABEL_BITS } from '../graph/link-graph.js';
import type { TenantLists } from './tenant-lists.js';

export interface ServiceGraph {
  graph: LinkGraph;
  provider: GraphFeatureProvider;
  rings: RingScheduler;
  /** Marks the subject of a stored label (fraud / default; others are ignored). */
  label(tenantId: string, label: string, subject: Subject | undefined, eventId: string | undefined): Promise<boolean>;
  close(): void;
}

export interface ServiceGraphOptions {
  /** How often the ring job may rerun (only when the graph changed). Default 60 s. */
  ringIntervalMs?: number;
  onError?: (err: unknown, where: string) => void;
}

/**
 * Name lists as the graph's blacklist check, which is synchronous: a tenant's live index is remembered once
 * loaded (its first decision loads it, so blacklisted_* counts start with the tenant's second event).
 */
function syncLists(lists: TenantLists): (tenantId: string) => ListLookupLike | undefined {
  const loaded = new Map<string, ListLookupLike>();
  const loading = new Set<string>();
  return (tenantId) => {
    const l = loaded.get(tenantId);
    if (l || loading.has(tenantId)) return l;
    loading.add(tenantId);
    lists.ready(tenantId).then(
      (idx) => loaded.set(tenantId, idx),
      () => loading.delete(tenantId),
    );
    return undefined;
  };
}

export function serviceGraph(store: Store, lists: TenantLists, graph: LinkGraph, opts: ServiceGraphOptions = {}): ServiceGraph {
  const provider = new GraphFeatureProvider(graph, { blacklist: syncLists(lists) });
  const rings = scheduleRingJob(graph, { intervalMs: opts.ringIntervalMs ?? 60_000, onError: (err) => opts.onError?.(err, 'graph ring job') });
  return {
    graph,
    provider,
    rings,
    label: (tenantId, label, subject, eventId) => markLabel(store, graph, tenantId, label, subject, eventId),
    close() {
      rings.stop();
    },
  };
}

/** Marks a label's subject (given, or the subject of its event); true when the label is one the graph uses. */
async function markLabel(store: Store, graph: LinkGraph, tenantId: string, label: string, subject: Subject | undefined, eventId: string | undefined): Promise<boolean> {
  if (!LABEL_BITS[label]) return false;
  let userId = subject?.userId;
  if (!userId && eventId) userId = (await store.log.get(tenantId, eventId))?.subject.userId;
  if (!userId) return false;
  graph.addLabel(userId, label, tenantId);
  return true;
}

/** Rebuild at start: marks every stored fraud/default label (after the log replay created the subjects). */
export async function loadGraphLabels(store: Store, graph: LinkGraph): Promise<number> {
  let n = 0;
  for (const t of await store.tenants.list()) {
    for (const label of Object.keys(LABEL_BITS)) {
      for (let offset = 0; ; offset += 10_000) {
        const page = await store.labels.list(t.id, { label, limit: 10_000, offset });
        for (const r of page) {
          if (await markLabel(store, graph, t.id, r.label, r.subject, r.eventId)) n++;
        }
        if (page.length < 10_000) break;
      }
    }
  }
  return n;
}
