// Graph features for decisions (`features.graph.*`), as of just before the event: the provider is asked
// before the event is applied, and reads the event's own attribute values against the graph as it stands.
import type { Clock } from '../core/clock.js';
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider, FeatureResult } from '../core/feature-provider.js';
import type { LinkValue } from './config.js';
import { growInt32 } from './pools.js';
import type { LinkGraph } from './link-graph.js';

/** `(dimension, value) → listed?` — or the decision engine's ListLookup shape. */
export type BlacklistCheck = (dimension: string, value: string, tenantId: string) => boolean;
export interface ListLookupLike {
  lookup(dimension: string, value: string): ReadonlyArray<{ kind: string }>;
}
export type Blacklist = BlacklistCheck | ListLookupLike | ((tenantId: string) => ListLookupLike | undefined);

export const DAY_MS = 86_400_000;

/** Fixed graph feature names (per-attribute `graph.<alias>_subjects` come from the link configuration). */
export const GRAPH_FEATURES = [
  'graph.group_size',
  'graph.blacklisted_1hop',
  'graph.blacklisted_2hop',
  'graph.fraud_1hop',
  'graph.fraud_2hop',
  'graph.default_1hop',
  'graph.default_2hop',
  'graph.max_device_subjects',
  'graph.new_links_24h',
  'graph.community_bad_rate',
  'graph.community_size',
  'graph.capped_links',
] as const;

export interface GraphFeatureOptions {
  blacklist?: Blacklist;
  /** When set, "now" for new_links_24h; otherwise the event's occurredAt (replays stay exact). */
  clock?: Clock;
  /** Attribute kind counted by max_device_subjects. Default deviceId. */
  deviceKind?: string;
  /** List dimension of the subject id. Default userId. */
  subjectDimension?: string;
  /** Stop a 2-hop walk after this many subjects (bounds latency around hubs just under the cap). */
  maxHopSubjects?: number;
}

export function toBlacklistCheck(b: Blacklist | undefined): BlacklistCheck | undefined {
  if (!b) return undefined;
  if (typeof b === 'object') return (d, v) => b.lookup(d, v).some((h) => h.kind === 'black');
  if (b.length >= 2) return b as BlacklistCheck;
  const perTenant = b as (tenantId: string) => ListLookupLike | undefined;
  return (d, v, t) => perTenant(t)?.lookup(d, v).some((h) => h.kind === 'black') ?? false;
}

/** What a computation needs besides the graph. */
export interface FeatureRequest {
  tenantId: string;
  subject: string | undefined;
  links: LinkValue[];
  now: number;
}

/** Computes graph features on the in-memory graph. Allocation-light: stamps instead of Sets. */
export class GraphFeatureComputer {
  private mark: Int32Array = new Int32Array(0);
  private stamp = 0;
  private hop1: Int32Array = new Int32Array(256);
  private hop2: Int32Array = new Int32Array(256);
  private starts: Int32Array = new Int32Array(64);
  readonly blacklisted: BlacklistCheck | undefined;
  readonly deviceKind: string;
  readonly subjectDimension: string;
  readonly maxHopSubjects: number;

  constructor(
    readonly graph: LinkGraph,
    opts: GraphFeatureOptions = {},
  ) {
    this.blacklisted = toBlacklistCheck(opts.blacklist);
    this.deviceKind = opts.deviceKind ?? 'deviceId';
    this.subjectDimension = opts.subjectDimension ?? 'userId';
    this.maxHopSubjects = opts.maxHopSubjects ?? 20_000;
  }

  private isBlack(node: number, tenantId: string): boolean {
    const g = this.graph;
    const check = this.blacklisted!;
    if (check(this.subjectDimension, g.values[node], tenantId)) return true;
    for (let e = g.nodeHead[node]; e !== -1; e = g.edgeNextOfSubject[e]) {
      const a = g.edgeAttr[e];
      if (check(g.kindOf(a), g.values[a], tenantId)) return true;
    }
    return false;
  }

  compute(req: FeatureRequest, names: readonly string[]): Record<string, unknown> {
    const g = this.graph;
    const out: Record<string, unknown> = {};
    const want = new Set(names);
    const cc = g.configFor(req.tenantId);
    const s = req.subject === undefined ? -1 : g.subjectNode(req.tenantId, req.subject);
    const tenant = req.tenantId;

    // Event attribute nodes that already exist.
    const evNodes: number[] = [];
    for (const l of req.links) evNodes.push(g.attributeNode(tenant, l.kind, l.value));

    // Per-attribute: other subjects already on the event's value (max over values of the same rule).
    for (let r = 0; r < cc.aliases.length; r++) {
      const name = 'graph.' + cc.aliases[r] + '_subjects';
      if (!want.has(name)) continue;
      let best = 0;
      for (let i = 0; i < req.links.length; i++) {
        if (req.links[i].rule !== r) continue;
        const a = evNodes[i];
        if (a < 0) continue;
        const others = g.nodeDegree[a] - (s >= 0 && g.edgeBetween(s, a) !== -1 ? 1 : 0);
        if (others > best) best = others;
      }
      out[name] = best;
    }

    if (want.has('graph.capped_links')) {
      let c = 0;
      for (const a of evNodes) if (a >= 0 && g.nodeCapped[a]) c++;
      out['graph.capped_links'] = c;
    }

    if (want.has('graph.group_size')) out['graph.group_size'] = this.groupSize(s, evNodes);

    if (want.has('graph.max_device_subjects')) {
      let best = req.subject === undefined ? 0 : 0;
      const dk = this.deviceKind;
      for (let i = 0; i < req.links.length; i++) {
        if (req.links[i].kind !== dk) continue;
        const a = evNodes[i];
        const n = a < 0 ? 1 : g.nodeDegree[a] + (s >= 0 && g.edgeBetween(s, a) !== -1 ? 0 : 1);
        if (n > best) best = n;
      }
      if (s >= 0) {
        for (let e = g.nodeHead[s]; e !== -1; e = g.edgeNextOfSubject[e]) {
          const a = g.edgeAttr[e];
          if (g.kindOf(a) === dk && g.nodeDegree[a] > best) best = g.nodeDegree[a];
        }
      }
      out['graph.max_device_subjects'] = best;
    }

    const needHops =
      want.has('graph.blacklisted_1hop') ||
      want.has('graph.blacklisted_2hop') ||
      want.has('graph.fraud_1hop') ||
      want.has('graph.fraud_2hop') ||
      want.has('graph.default_1hop') ||
      want.has('graph.default_2hop') ||
      want.has('graph.new_links_24h');
    if (needHops) this.hops(s, evNodes, req, want, out);

    if (want.has('graph.community_bad_rate') || want.has('graph.community_size')) {
      let c = s >= 0 ? g.nodeCommunity[s] : -1;
      for (let i = 0; c < 0 && i < evNodes.length; i++) if (evNodes[i] >= 0 && !g.nodeCapped[evNodes[i]]) c = g.nodeCommunity[evNodes[i]];
      const size = c >= 0 ? g.communitySize[c] : 0;
      if (want.has('graph.community_size')) out['graph.community_size'] = size;
      if (want.has('graph.community_bad_rate')) out['graph.community_bad_rate'] = size > 0 ? g.communityBad[c] / size : 0;
    }
    return out;
  }

  /** Subjects in the union of the subject's group and the groups of the event's (non-capped) attributes. */
  private groupSize(s: number, evNodes: number[]): number {
    const g = this.graph;
    const roots: number[] = [];
    let total = 0;
    const add = (n: number): void => {
      const r = g.uf.find(n);
      if (roots.includes(r)) return;
      roots.push(r);
      total += g.uf.subjects[r];
    };
    if (s >= 0) add(s);
    for (const a of evNodes) if (a >= 0 && !g.nodeCapped[a]) add(a);
    // A subject not in the graph yet joins whatever groups its attributes lead to.
    return s >= 0 ? total : total + 1;
  }

  private nextStamp(): number {
    const g = this.graph;
    if (this.mark.length < g.nodeCount) this.mark = growInt32(this.mark, g.nodeCount);
    if (this.stamp >= 0x3fffffff) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    this.stamp += 2;
    return this.stamp;
  }

  private hops(s: number, evNodes: number[], req: FeatureRequest, want: Set<string>, out: Record<string, unknown>): void {
    const g = this.graph;
    const base = this.nextStamp();
    // mark: base = attribute visited / subject in hop 1; base+1 = subject in hop 2; `s` marked so it is skipped.
    const mark = this.mark;
    let ns = 0;
    const pushStart = (a: number): void => {
      if (a < 0 || g.nodeCapped[a] || mark[a] === base) return;
      mark[a] = base;
      if (ns >= this.starts.length) this.starts = growInt32(this.starts, ns + 1);
      this.starts[ns++] = a;
    };
    for (const a of evNodes) pushStart(a);
    if (s >= 0) {
      mark[s] = base;
      for (let e = g.nodeHead[s]; e !== -1; e = g.edgeNextOfSubject[e]) pushStart(g.edgeAttr[e]);
    }
    const from = req.now - DAY_MS;
    let newLinks = 0;
    let n1 = 0;
    for (let i = 0; i < ns; i++) {
      const a = this.starts[i];
      for (let e = g.nodeHead[a]; e !== -1; e = g.edgeNextOfAttr[e]) {
        const o = g.edgeSubject[e];
        if (o === s) continue;
        const f = g.edgeFirst[e];
        if (f > from && f <= req.now) newLinks++;
        if (mark[o] === base) continue;
        mark[o] = base;
        if (n1 >= this.hop1.length) this.hop1 = growInt32(this.hop1, n1 + 1);
        this.hop1[n1++] = o;
      }
    }
    if (want.has('graph.new_links_24h')) out['graph.new_links_24h'] = newLinks;

    const need2 = want.has('graph.blacklisted_2hop') || want.has('graph.fraud_2hop') || want.has('graph.default_2hop');
    let n2 = 0;
    if (need2) {
      const limit = this.maxHopSubjects;
      outer: for (let i = 0; i < n1; i++) {
        const o = this.hop1[i];
        for (let e = g.nodeHead[o]; e !== -1; e = g.edgeNextOfSubject[e]) {
          const a = g.edgeAttr[e];
          if (g.nodeCapped[a] || mark[a] === base || mark[a] === base + 1) continue;
          mark[a] = base + 1;
          for (let f = g.nodeHead[a]; f !== -1; f = g.edgeNextOfAttr[f]) {
            const p = g.edgeSubject[f];
            if (mark[p] === base || mark[p] === base + 1) continue;
            mark[p] = base + 1;
            if (n2 >= this.hop2.length) this.hop2 = growInt32(this.hop2, n2 + 1);
            this.hop2[n2++] = p;
            if (n1 + n2 >= limit) break outer;
          }
        }
      }
    }
    const labels = g.nodeLabels;
    let f1 = 0;
    let d1 = 0;
    let f2 = 0;
    let d2 = 0;
    for (let i = 0; i < n1; i++) {
      const l = labels[this.hop1[i]];
      if (l & 1) f1++;
      if (l & 2) d1++;
    }
    for (let i = 0; i < n2; i++) {
      const l = labels[this.hop2[i]];
      if (l & 1) f2++;
      if (l & 2) d2++;
    }
    if (want.has('graph.fraud_1hop')) out['graph.fraud_1hop'] = f1;
    if (want.has('graph.default_1hop')) out['graph.default_1hop'] = d1;
    if (want.has('graph.fraud_2hop')) out['graph.fraud_2hop'] = f1 + f2;
    if (want.has('graph.default_2hop')) out['graph.default_2hop'] = d1 + d2;
    if (want.has('graph.blacklisted_1hop') || want.has('graph.blacklisted_2hop')) {
      let b1 = 0;
      let b2 = 0;
      if (this.blacklisted) {
        for (let i = 0; i < n1; i++) if (this.isBlack(this.hop1[i], req.tenantId)) b1++;
        if (want.has('graph.blacklisted_2hop')) for (let i = 0; i < n2; i++) if (this.isBlack(this.hop2[i], req.tenantId)) b2++;
      }
      if (want.has('graph.blacklisted_1hop')) out['graph.blacklisted_1hop'] = b1;
      if (want.has('graph.blacklisted_2hop')) out['graph.blacklisted_2hop'] = b1 + b2;
    }
  }
}

/** Feature names a tenant's configuration offers (fixed ones plus `graph.<alias>_subjects`). */
export function graphFeatureNames(graph: LinkGraph, tenantId: string): string[] {
  return [...graph.configFor(tenantId).aliases.map((a) => `graph.${a}_subjects`), ...GRAPH_FEATURES];
}

/**
 * The link graph as a FeatureProvider: compose it next to the velocity feature engine. `compute` reads only
 * `graph.*` names (others are ignored); `apply` folds the event in, idempotent by (tenant, event id).
 */
export class GraphFeatureProvider implements FeatureProvider {
  readonly computer: GraphFeatureComputer;
  private readonly clock: Clock | undefined;

  constructor(
    readonly graph: LinkGraph,
    opts: GraphFeatureOptions = {},
  ) {
    this.computer = new GraphFeatureComputer(graph, opts);
    this.clock = opts.clock;
  }

  async compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult> {
    return { values: this.computeSync(event, names) };
  }

  computeSync(event: RiskEvent, names: readonly string[]): Record<string, unknown> {
    const graphNames = names.filter((n) => n.startsWith('graph.'));
    if (graphNames.length === 0) return {};
    const { tenantId, subject, links } = this.graph.linksOf(event);
    const now = this.clock ? this.clock() : event.occurredAt;
    return this.computer.compute({ tenantId, subject, links, now }, graphNames);
  }

  async apply(event: RiskEvent): Promise<void> {
    this.graph.apply(event);
  }

  async close(): Promise<void> {}
}
