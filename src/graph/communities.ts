// Connected components and label-propagation communities on the link graph's typed arrays.
// Capped attributes are left out, so a public IP never glues strangers together. Deterministic: node order
// comes from a seeded shuffle and ties break towards the smallest label.
import { growInt32, seededRandom } from './pools.js';
import type { LinkGraph } from './link-graph.js';
import { UnionFind } from './union-find.js';

/** Compressed adjacency (CSR) over non-capped edges. */
export interface Csr {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
}

export function buildCsr(g: LinkGraph): Csr {
  const n = g.nodeCount;
  const deg = new Int32Array(n + 1);
  const m = g.edgeCount;
  for (let e = 0; e < m; e++) {
    const a = g.edgeAttr[e];
    if (g.nodeCapped[a]) continue;
    deg[g.edgeSubject[e]]++;
    deg[a]++;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + deg[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  for (let e = 0; e < m; e++) {
    const a = g.edgeAttr[e];
    if (g.nodeCapped[a]) continue;
    const s = g.edgeSubject[e];
    targets[fill[s]++] = a;
    targets[fill[a]++] = s;
  }
  return { n, offsets, targets };
}

/** Component id per node (0..count-1, numbered by smallest node id; -1 for capped hubs), over non-capped edges. */
export function connectedComponents(g: LinkGraph): { byNode: Int32Array; count: number } {
  const uf = new UnionFind();
  uf.ensure(g.nodeCount, (i) => g.nodeKind[i] === 0);
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.edgeAttr[e];
    if (!g.nodeCapped[a]) uf.union(g.edgeSubject[e], a);
  }
  const byNode = new Int32Array(g.nodeCount).fill(-1);
  const rootId = new Int32Array(g.nodeCount).fill(-1);
  let count = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (g.nodeCapped[i]) continue;
    const r = uf.find(i);
    if (rootId[r] < 0) rootId[r] = count++;
    byNode[i] = rootId[r];
  }
  return { byNode, count };
}

export interface LpaOptions {
  seed?: number;
  maxIterations?: number;
}

/**
 * Asynchronous label propagation over subjects, neighbours being the subjects that share a non-capped
 * attribute (the projection is walked, never built). Plain LPA on the bipartite graph oscillates and
 * fragments rings; on the projection a ring's members converge on one label. Attribute nodes then take the
 * label most of their subjects hold. Returns a compact community id per node (-1 for unlinked nodes).
 */
export function labelPropagation(g: LinkGraph, csr: Csr = buildCsr(g), opts: LpaOptions = {}): { byNode: Int32Array; count: number; iterations: number } {
  const { n, offsets, targets } = csr;
  const rnd = seededRandom(opts.seed ?? 42);
  const maxIter = opts.maxIterations ?? 30;
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = i;
  const order = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (g.nodeKind[i] === 0 && offsets[i + 1] > offsets[i]) order[k++] = i;
  const active = k;
  const counts = new Int32Array(n);
  let touched: Int32Array = new Int32Array(1024);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let changed = 0;
    for (let oi = 0; oi < active; oi++) {
      const v = order[oi];
      let nt = 0;
      for (let p = offsets[v]; p < offsets[v + 1]; p++) {
        const a = targets[p];
        for (let q = offsets[a]; q < offsets[a + 1]; q++) {
          const u = targets[q];
          if (u === v) continue;
          const l = label[u];
          if (counts[l]++ === 0) {
            if (nt >= touched.length) touched = growInt32(touched, nt + 1);
            touched[nt++] = l;
          }
        }
      }
      if (nt === 0) continue;
      const cur = label[v];
      let bestCount = 0;
      for (let t = 0; t < nt; t++) if (counts[touched[t]] > bestCount) bestCount = counts[touched[t]];
      // Keep the current label when it is among the most frequent (convergence); else a seeded random pick.
      let best = cur;
      if (counts[cur] < bestCount) {
        let ties = 0;
        for (let t = 0; t < nt; t++) {
          const l = touched[t];
          if (counts[l] === bestCount && rnd() * ++ties < 1) best = l;
        }
      }
      for (let t = 0; t < nt; t++) counts[touched[t]] = 0;
      if (best !== cur) {
        label[v] = best;
        changed++;
      }
    }
    if (changed === 0) {
      iterations++;
      break;
    }
  }
  // Attributes follow the majority of their subjects (smallest label on ties).
  for (let a = 0; a < n; a++) {
    if (g.nodeKind[a] === 0 || offsets[a + 1] === offsets[a]) continue;
    let best = -1;
    let bestCount = 0;
    for (let q = offsets[a]; q < offsets[a + 1]; q++) {
      const l = label[targets[q]];
      const c = ++counts[l];
      if (c > bestCount || (c === bestCount && l < best)) {
        best = l;
        bestCount = c;
      }
    }
    for (let q = offsets[a]; q < offsets[a + 1]; q++) counts[label[targets[q]]] = 0;
    label[a] = best;
  }
  const byNode = new Int32Array(n).fill(-1);
  const compact = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1] === offsets[i]) continue;
    const l = label[i];
    if (compact[l] < 0) compact[l] = count++;
    byNode[i] = compact[l];
  }
  return { byNode, count, iterations };
}
