// The ring job: connected groups (union-find), communities (label propagation), a score per community from
// its size, density, share of bad labels and which attribute kinds its members share; community ids are
// stored on the graph (for `graph.community_bad_rate`) and suspicious rings are listed for review.
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { buildCsr, connectedComponents, labelPropagation } from './communities.js';
import type { CappedAttribute, LinkGraph } from './link-graph.js';

export interface RingJobOptions {
  seed?: number;
  /** Smallest community (in subjects) worth scoring. Default 3. */
  minSize?: number;
  /** Score at or above which a ring is flagged suspicious. Default 0.5. */
  threshold?: number;
  /** Attribute kinds whose sharing is strong evidence (a device, an ID number) rather than weak (an IP). */
  strongKinds?: string[];
  /** Members listed per ring in the report. Default 50. */
  maxMembers?: number;
  maxIterations?: number;
  clock?: Clock;
}

export interface Ring {
  communityId: number;
  tenantId: string;
  /** Subjects in the community. */
  size: number;
  /** Attribute values shared by at least two members. */
  sharedAttributes: number;
  /** Member–shared-attribute edges / (size × sharedAttributes): 1 when everyone shares everything. */
  density: number;
  /**
   * Links beyond a tree, per member: (edges − (members + shared attributes − 1)) / members. A chain of
   * strangers who happen to share one value each scores 0; a ring whose members share several values, > 0.5.
   */
  redundancy: number;
  badCount: number;
  badShare: number;
  /** Shared attribute values per kind, e.g. { deviceId: 2, phone: 1 }. */
  pattern: Record<string, number>;
  score: number;
  suspicious: boolean;
  /** Subject ids (first `maxMembers`, sorted). */
  members: string[];
  /** Shared attribute values (first `maxMembers`): kind, raw value, members on it. Mask before showing. */
  shared: { kind: string; value: string; members: number }[];
}

export interface RingReport {
  generatedAt: string;
  tookMs: number;
  graphVersion: number;
  components: { count: number; largestSubjects: number; seconds: number };
  communities: { count: number; iterations: number; seconds: number };
  rings: Ring[];
  capped: CappedAttribute[];
}

const DEFAULT_STRONG = ['deviceId', 'idNumber', 'bankCard', 'phone', 'wifi', 'address'];

/** Runs the job once, on demand. Same graph + same options ⇒ same report (apart from times). */
export function detectRings(g: LinkGraph, opts: RingJobOptions = {}): RingReport {
  const clock = opts.clock ?? systemClock;
  const t0 = performance.now();

  const comp = connectedComponents(g);
  const compSubjects = new Int32Array(comp.count);
  for (let i = 0; i < g.nodeCount; i++) if (g.nodeKind[i] === 0) compSubjects[comp.byNode[i]]++;
  let largest = 0;
  for (let c = 0; c < comp.count; c++) if (compSubjects[c] > largest) largest = compSubjects[c];
  const t1 = performance.now();

  const lpa = labelPropagation(g, buildCsr(g), { seed: opts.seed ?? 42, maxIterations: opts.maxIterations });
  const t2 = performance.now();
  const rings = scoreCommunities(g, lpa.byNode, lpa.count, opts);
  const t3 = performance.now();
  return {
    generatedAt: new Date(clock()).toISOString(),
    tookMs: Math.round(t3 - t0),
    graphVersion: g.version,
    components: { count: comp.count, largestSubjects: largest, seconds: (t1 - t0) / 1000 },
    communities: { count: lpa.count, iterations: lpa.iterations, seconds: (t2 - t1) / 1000 },
    rings,
    capped: g.cappedAttributes(undefined, 100),
  };
}

/**
 * Scores every community of at least `minSize` subjects and stores the assignment on the graph
 * (community ids by node, -1 = none). Usable with any detector's output (the bench feeds Louvain's too).
 */
export function scoreCommunities(g: LinkGraph, by: Int32Array, count: number, opts: RingJobOptions = {}): Ring[] {
  const minSize = opts.minSize ?? 3;
  const threshold = opts.threshold ?? 0.5;
  const strong = new Set(opts.strongKinds ?? DEFAULT_STRONG);
  const maxMembers = opts.maxMembers ?? 50;
  const lpa = { count };
  const size = new Int32Array(lpa.count);
  const bad = new Int32Array(lpa.count);
  for (let i = 0; i < g.nodeCount; i++) {
    const c = by[i];
    if (c < 0 || g.nodeKind[i] !== 0) continue;
    size[c]++;
    if (g.nodeLabels[i] & 3) bad[c]++;
  }
  g.setCommunities(by, size, bad);

  // Group member and attribute nodes by community (counting sort, keeps node order → deterministic).
  const start = new Int32Array(lpa.count + 1);
  for (let i = 0; i < g.nodeCount; i++) if (by[i] >= 0) start[by[i] + 1]++;
  for (let c = 0; c < lpa.count; c++) start[c + 1] += start[c];
  const fill = start.slice(0, lpa.count);
  const nodes = new Int32Array(start[lpa.count]);
  for (let i = 0; i < g.nodeCount; i++) if (by[i] >= 0) nodes[fill[by[i]]++] = i;

  const rings: Ring[] = [];
  for (let c = 0; c < lpa.count; c++) {
    if (size[c] < minSize) continue;
    const members: string[] = [];
    const shared: Ring['shared'] = [];
    const pattern: Record<string, number> = {};
    let sharedAttrs = 0;
    let sharedEdges = 0;
    let tenantId = '';
    for (let p = start[c]; p < start[c + 1]; p++) {
      const v = nodes[p];
      tenantId = g.tenants[g.nodeTenant[v]];
      if (g.nodeKind[v] === 0) {
        members.push(g.values[v]);
        continue;
      }
      let inside = 0;
      for (let e = g.nodeHead[v]; e !== -1; e = g.edgeNextOfAttr[e]) if (by[g.edgeSubject[e]] === c) inside++;
      if (inside < 2) continue;
      sharedAttrs++;
      sharedEdges += inside;
      const kind = g.kindOf(v);
      pattern[kind] = (pattern[kind] ?? 0) + 1;
      shared.push({ kind, value: g.values[v], members: inside });
    }
    const n = size[c];
    const density = sharedAttrs > 0 ? sharedEdges / (n * sharedAttrs) : 0;
    const badShare = bad[c] / n;
    let strongKinds = 0;
    for (const k of Object.keys(pattern)) if (strong.has(k)) strongKinds++;
    const redundancy = Math.max(0, (sharedEdges - (n + sharedAttrs - 1)) / n);
    const sizeScore = Math.min(1, (n - 2) / 8);
    const badScore = Math.min(1, badShare * 2.5);
    const patternScore = Math.min(1, strongKinds / 2);
    const score = round4(0.2 * sizeScore + 0.3 * Math.min(1, redundancy * 2) + 0.3 * badScore + 0.2 * patternScore);
    members.sort();
    shared.sort((a, b) => b.members - a.members || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    rings.push({
      communityId: c,
      tenantId,
      size: n,
      sharedAttributes: sharedAttrs,
      density: round4(density),
      redundancy: round4(redundancy),
      badCount: bad[c],
      badShare: round4(badShare),
      pattern,
      score,
      suspicious: score >= threshold,
      members: members.slice(0, maxMembers),
      shared: shared.slice(0, maxMembers),
    });
  }
  rings.sort((a, b) => b.score - a.score || b.size - a.size || a.communityId - b.communityId);
  return rings;
}
function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export interface RingScheduler {
  /** The latest report, if a run finished. */
  latest(): RingReport | undefined;
  /** Runs now (on demand) and returns the report. */
  runNow(): RingReport;
  stop(): void;
}

/**
 * Runs the ring job every `intervalMs` (skipping runs when the graph has not changed) and on demand.
 * The timer is unref'd so it never keeps the process alive.
 */
export function scheduleRingJob(
  g: LinkGraph,
  opts: RingJobOptions & { intervalMs: number; onReport?: (r: RingReport) => void; onError?: (err: unknown) => void },
): RingScheduler {
  if (!Number.isFinite(opts.intervalMs) || opts.intervalMs < 1000) throw new RangeError('intervalMs must be ≥ 1000');
  let last: RingReport | undefined;
  const runNow = (): RingReport => {
    last = detectRings(g, opts);
    opts.onReport?.(last);
    return last;
  };
  const timer = setInterval(() => {
    if (last && last.graphVersion === g.version) return;
    try {
      runNow();
    } catch (err) {
      opts.onError?.(err);
    }
  }, opts.intervalMs);
  timer.unref();
  return { latest: () => last, runNow, stop: () => clearInterval(timer) };
}
