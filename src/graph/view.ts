// What the API and CLI show of the graph: a subject's neighbourhood (nodes + edges, personal data masked)
// and rings with masked shared values.
import { maskField } from '../core/mask.js';
import type { LinkGraph } from './link-graph.js';
import type { Ring } from './rings.js';

export interface ViewNode {
  id: string;
  type: 'subject' | 'attribute';
  kind: string;
  /** Masked for personal kinds (phone, idNumber, bankCard, email, address). */
  value: string;
  degree: number;
  capped: boolean;
  labels: string[];
  communityId: number | null;
  /** Subject hops from the centre (attributes carry the hop of the subject they were reached from + 1). */
  hop: number;
}

export interface ViewEdge {
  source: string;
  target: string;
  roles: string[];
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export interface Neighbourhood {
  subject: string;
  tenantId: string;
  hops: number;
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** True when maxNodes cut the walk short. */
  truncated: boolean;
}

export function maskValue(kind: string, value: string): string {
  return maskField(kind, value);
}

function labelsOf(bits: number): string[] {
  const out: string[] = [];
  if (bits & 1) out.push('fraud');
  if (bits & 2) out.push('default');
  return out;
}

/** Breadth-first walk of `hops` subject hops; capped attributes are shown but not expanded. */
export function neighbourhood(g: LinkGraph, tenantId: string, subjectId: string, hops: number, maxNodes = 500): Neighbourhood | undefined {
  const start = g.subjectNode(tenantId, subjectId);
  if (start < 0) return undefined;
  const hopOf = new Map<number, number>([[start, 0]]);
  const edges: number[] = [];
  let frontier = [start];
  let truncated = false;
  outer: for (let h = 0; h < hops; h++) {
    const next: number[] = [];
    for (const s of frontier) {
      for (let e = g.nodeHead[s]; e !== -1; e = g.edgeNextOfSubject[e]) {
        const a = g.edgeAttr[e];
        if (!hopOf.has(a)) {
          if (hopOf.size >= maxNodes) {
            truncated = true;
            break outer;
          }
          hopOf.set(a, h + 1);
          if (g.nodeCapped[a]) {
            edges.push(e);
            continue;
          }
          for (let f = g.nodeHead[a]; f !== -1; f = g.edgeNextOfAttr[f]) {
            const o = g.edgeSubject[f];
            if (!hopOf.has(o)) {
              if (hopOf.size >= maxNodes) {
                truncated = true;
                break outer;
              }
              hopOf.set(o, h + 1);
              next.push(o);
            }
          }
        }
      }
    }
    frontier = next;
  }
  // Every edge between two shown nodes (sorted by id for a stable answer).
  const shown = [...hopOf.keys()].sort((x, y) => x - y);
  const seen = new Set<number>(edges);
  for (const n of shown) {
    if (!g.isSubject(n)) continue;
    for (let e = g.nodeHead[n]; e !== -1; e = g.edgeNextOfSubject[e]) if (hopOf.has(g.edgeAttr[e])) seen.add(e);
  }
  const nodes: ViewNode[] = shown.map((n) => {
    const c = g.nodeCommunity[n];
    return {
      id: 'n' + n,
      type: g.isSubject(n) ? 'subject' : 'attribute',
      kind: g.isSubject(n) ? 'subject' : g.kindOf(n),
      value: g.isSubject(n) ? g.values[n] : maskValue(g.kindOf(n), g.values[n]),
      degree: g.nodeDegree[n],
      capped: g.nodeCapped[n] === 1,
      labels: labelsOf(g.nodeLabels[n]),
      communityId: c >= 0 ? c : null,
      hop: hopOf.get(n)!,
    };
  });
  const edgeList: ViewEdge[] = [...seen]
    .sort((x, y) => x - y)
    .map((e) => ({
      source: 'n' + g.edgeSubject[e],
      target: 'n' + g.edgeAttr[e],
      roles: g.roles.filter((_, i) => (g.edgeRoles[e] & (1 << i)) !== 0),
      firstSeen: new Date(g.edgeFirst[e]).toISOString(),
      lastSeen: new Date(g.edgeLast[e]).toISOString(),
      count: g.edgeCountSeen[e],
    }));
  return { subject: subjectId, tenantId, hops, nodes, edges: edgeList, truncated };
}

/** A ring for display: shared values masked by kind. */
export function maskRing(r: Ring): Ring {
  return { ...r, shared: r.shared.map((s) => ({ ...s, value: maskValue(s.kind, s.value) })) };
}
