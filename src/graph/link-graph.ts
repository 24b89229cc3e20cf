// The applicant link graph in memory: a bipartite graph of subjects and attribute values (device, phone, ...),
// stored as typed-array columns with per-node singly linked edge lists. Strings are interned to int ids once;
// everything after that is integer work. Attributes whose degree passes the tenant's cap stay in the graph
// (their counts are still true) but stop linking: traversals, groups and communities skip them.
import type { RiskEvent } from '../core/event.js';
import { compileConfig, extractLinks, normalizeConfig, type CompiledConfig, type GraphConfig, type LinkValue } from './config.js';
import { growFloat64, growInt32, growUint16, growUint8 } from './pools.js';
import { UnionFind } from './union-find.js';

export const SUBJECT_KIND = '#subject';
export const LABEL_BITS: Record<string, number> = { fraud: 1, default: 2, defaulted: 2 };
export const DEFAULT_TENANT = 'default';

export interface GraphOptions {
  /** Link configuration for tenants without their own. */
  config?: Partial<GraphConfig>;
  /** Per-tenant link configuration. */
  tenants?: Record<string, Partial<GraphConfig>>;
}

export interface CappedAttribute {
  tenantId: string;
  kind: string;
  value: string;
  degree: number;
  cap: number;
}

export class LinkGraph {
  // --- interning: tenant → kind → value → node id (nested maps: no key string is built per lookup)
  private readonly ids = new Map<string, Map<string, Map<string, number>>>();
  /** Raw value of each node (subject id or attribute value). */
  readonly values: string[] = [];
  readonly kinds: string[] = [SUBJECT_KIND];
  private readonly kindIds = new Map<string, number>([[SUBJECT_KIND, 0]]);
  readonly tenants: string[] = [];
  private readonly tenantIds = new Map<string, number>();
  private readonly tenantCap: number[] = [];
  readonly roles: string[] = ['own'];

  // --- node columns
  nodeCount = 0;
  nodeKind: Uint16Array = new Uint16Array(0);
  nodeTenant: Int32Array = new Int32Array(0);
  nodeDegree: Int32Array = new Int32Array(0);
  nodeHead: Int32Array = new Int32Array(0);
  nodeLabels: Uint8Array = new Uint8Array(0);
  nodeCapped: Uint8Array = new Uint8Array(0);
  /** Community id from the last ring job, -1 when none. */
  nodeCommunity: Int32Array = new Int32Array(0);

  // --- edge columns (edge = one subject ↔ one attribute)
  edgeCount = 0;
  edgeSubject: Int32Array = new Int32Array(0);
  edgeAttr: Int32Array = new Int32Array(0);
  edgeNextOfSubject: Int32Array = new Int32Array(0);
  edgeNextOfAttr: Int32Array = new Int32Array(0);
  edgeFirst: Float64Array = new Float64Array(0);
  edgeLast: Float64Array = new Float64Array(0);
  edgeCountSeen: Int32Array = new Int32Array(0);
  edgeRoles: Uint16Array = new Uint16Array(0);

  readonly uf = new UnionFind();
  private ufDirty = false;
  private deferRebuild = false;
  /** Event ids folded in, per tenant (idempotency of apply). */
  private readonly applied = new Map<string, Set<string>>();
  private appliedCount = 0;
  /** Scratch array for path readers (apply runs on every event). */
  private readonly scratch: string[] = [];
  /** Community stats from the last ring job, by community id. */
  communitySize: Int32Array = new Int32Array(0);
  communityBad: Int32Array = new Int32Array(0);
  /** Bumped on every change; lets caches and the ring job know the graph moved. */
  version = 0;

  private readonly defaultConfig: CompiledConfig;
  private readonly tenantConfigs = new Map<string, CompiledConfig>();

  constructor(opts: GraphOptions = {}) {
    this.defaultConfig = compileConfig(normalizeConfig(opts.config));
    for (const [t, c] of Object.entries(opts.tenants ?? {})) this.tenantConfigs.set(t, compileConfig(normalizeConfig(c)));
  }

  configFor(tenantId: string): CompiledConfig {
    return this.tenantConfigs.get(tenantId) ?? this.defaultConfig;
  }

  /** Replaces a tenant's link configuration; a changed cap re-evaluates which attributes are capped. */
  setTenantConfig(tenantId: string, config: Partial<GraphConfig>): void {
    const cc = compileConfig(normalizeConfig(config));
    this.tenantConfigs.set(tenantId, cc);
    const t = this.tenantIds.get(tenantId);
    if (t !== undefined && this.tenantCap[t] !== cc.config.degreeCap) {
      this.tenantCap[t] = cc.config.degreeCap;
      for (let i = 0; i < this.nodeCount; i++) {
        if (this.nodeTenant[i] === t && this.nodeKind[i] !== 0) this.nodeCapped[i] = this.nodeDegree[i] > cc.config.degreeCap ? 1 : 0;
      }
      this.rebuildGroups();
    }
  }

  // ------------------------------------------------------------------ lookup

  tenantIndex(tenantId: string): number | undefined {
    return this.tenantIds.get(tenantId);
  }

  private tenantOf(tenantId: string): number {
    let t = this.tenantIds.get(tenantId);
    if (t === undefined) {
      t = this.tenants.length;
      this.tenants.push(tenantId);
      this.tenantIds.set(tenantId, t);
      this.tenantCap.push(this.configFor(tenantId).config.degreeCap);
    }
    return t;
  }

  capOf(node: number): number {
    return this.tenantCap[this.nodeTenant[node]];
  }

  /** Node id of a subject, or -1. */
  subjectNode(tenantId: string, subjectId: string): number {
    return this.ids.get(tenantId)?.get(SUBJECT_KIND)?.get(subjectId) ?? -1;
  }

  /** Node id of an attribute value, or -1. */
  attributeNode(tenantId: string, kind: string, value: string): number {
    return this.ids.get(tenantId)?.get(kind)?.get(value) ?? -1;
  }

  isSubject(node: number): boolean {
    return this.nodeKind[node] === 0;
  }

  kindOf(node: number): string {
    return this.kinds[this.nodeKind[node]];
  }

  tenantOfNode(node: number): string {
    return this.tenants[this.nodeTenant[node]];
  }

  hasApplied(event: RiskEvent): boolean {
    return this.applied.get(event.tenantId ?? DEFAULT_TENANT)?.has(event.id) ?? false;
  }

  /** Records an applied event id; false when it already was. */
  private markApplied(tenantId: string, eventId: string): boolean {
    let ids = this.applied.get(tenantId);
    if (!ids) this.applied.set(tenantId, (ids = new Set()));
    else if (ids.has(eventId)) return false;
    ids.add(eventId);
    this.appliedCount++;
    return true;
  }

  // ------------------------------------------------------------------ writes

  private node(tenantId: string, kind: string, value: string): number {
    let byKind = this.ids.get(tenantId);
    if (!byKind) this.ids.set(tenantId, (byKind = new Map()));
    let byValue = byKind.get(kind);
    if (!byValue) byKind.set(kind, (byValue = new Map()));
    let id = byValue.get(value);
    if (id !== undefined) return id;
    id = this.nodeCount++;
    byValue.set(value, id);
    this.values.push(value);
    let k = this.kindIds.get(kind);
    if (k === undefined) {
      k = this.kinds.length;
      this.kinds.push(kind);
      this.kindIds.set(kind, k);
    }
    const n = this.nodeCount;
    if (this.nodeKind.length < n) {
      this.nodeKind = growUint16(this.nodeKind, n);
      this.nodeTenant = growInt32(this.nodeTenant, n);
      this.nodeDegree = growInt32(this.nodeDegree, n);
      this.nodeHead = growInt32(this.nodeHead, n, -1);
      this.nodeLabels = growUint8(this.nodeLabels, n);
      this.nodeCapped = growUint8(this.nodeCapped, n);
    }
    this.nodeCommunity = growInt32(this.nodeCommunity, n, -1);
    this.nodeKind[id] = k;
    this.nodeTenant[id] = this.tenantOf(tenantId);
    this.nodeHead[id] = -1;
    this.nodeCommunity[id] = -1;
    this.uf.ensure(n, () => k === 0);
    return id;
  }

  private roleBit(role: string): number {
    let r = this.roles.indexOf(role);
    if (r < 0) {
      if (this.roles.length >= 16) r = 15;
      else {
        r = this.roles.length;
        this.roles.push(role);
      }
    }
    return 1 << r;
  }

  /** Edge id between subject s and attribute a, or -1 (scans the shorter of the two edge lists). */
  edgeBetween(s: number, a: number): number {
    if (this.nodeDegree[a] < this.nodeDegree[s]) {
      for (let e = this.nodeHead[a]; e !== -1; e = this.edgeNextOfAttr[e]) if (this.edgeSubject[e] === s) return e;
      return -1;
    }
    for (let e = this.nodeHead[s]; e !== -1; e = this.edgeNextOfSubject[e]) if (this.edgeAttr[e] === a) return e;
    return -1;
  }

  private link(s: number, a: number, at: number, roleBit: number): void {
    const found = this.edgeBetween(s, a);
    if (found !== -1) {
      if (at < this.edgeFirst[found]) this.edgeFirst[found] = at;
      if (at > this.edgeLast[found]) this.edgeLast[found] = at;
      this.edgeCountSeen[found]++;
      this.edgeRoles[found] |= roleBit;
      return;
    }
    const e = this.edgeCount++;
    const m = this.edgeCount;
    if (this.edgeSubject.length < m) {
      this.edgeSubject = growInt32(this.edgeSubject, m);
      this.edgeAttr = growInt32(this.edgeAttr, m);
      this.edgeNextOfSubject = growInt32(this.edgeNextOfSubject, m);
      this.edgeNextOfAttr = growInt32(this.edgeNextOfAttr, m);
      this.edgeFirst = growFloat64(this.edgeFirst, m);
      this.edgeLast = growFloat64(this.edgeLast, m);
      this.edgeCountSeen = growInt32(this.edgeCountSeen, m);
      this.edgeRoles = growUint16(this.edgeRoles, m);
    }
    this.edgeSubject[e] = s;
    this.edgeAttr[e] = a;
    this.edgeFirst[e] = at;
    this.edgeLast[e] = at;
    this.edgeCountSeen[e] = 1;
    this.edgeRoles[e] = roleBit;
    this.edgeNextOfSubject[e] = this.nodeHead[s];
    this.nodeHead[s] = e;
    // Attribute lists hang off the same head array: subject and attribute ids never collide.
    this.edgeNextOfAttr[e] = this.nodeHead[a];
    this.nodeHead[a] = e;
    this.nodeDegree[s]++;
    const d = ++this.nodeDegree[a];
    if (this.nodeCapped[a]) return;
    if (d > this.capOf(a)) {
      // Unions already made through this attribute cannot be undone: regroup from scratch (rare: once per hub).
      this.nodeCapped[a] = 1;
      this.ufDirty = true;
      if (!this.deferRebuild) this.rebuildGroups();
      return;
    }
    this.uf.union(s, a);
  }

  /**
   * Folds one event in: its subject and every configured attribute become nodes, linked with first/last seen
   * and counts. Returns false (and changes nothing) for an event id already applied or without a subject.
   */
  apply(event: RiskEvent): boolean {
    const tenantId = event.tenantId ?? DEFAULT_TENANT;
    if (!this.markApplied(tenantId, event.id)) return false;
    // The links of extractLinks (config.ts), read without building them: this runs on every decided event.
    const cc = this.configFor(tenantId);
    const tmp = this.scratch;
    tmp.length = 0;
    cc.subject(event, tmp);
    const subject = tmp[0];
    if (subject === undefined) return false;
    const at = Number.isFinite(event.occurredAt) ? event.occurredAt : 0;
    const s = this.node(tenantId, SUBJECT_KIND, subject);
    const types = cc.config.eventTypes;
    if (!types || types.length === 0 || types.includes(event.type)) {
      for (let i = 0; i < cc.readers.length; i++) {
        tmp.length = 0;
        cc.readers[i](event, tmp);
        if (tmp.length === 0) continue;
        const rule = cc.config.links[i];
        const bit = this.roleBit(rule.role ?? 'own');
        for (let j = 0; j < tmp.length; j++) {
          const value = tmp[j];
          if (j > 0 && tmp.indexOf(value) < j) continue; // a value listed twice under one rule links once
          this.link(s, this.node(tenantId, rule.kind, value), at, bit);
        }
      }
    }
    this.version++;
    return true;
  }

  /**
   * Adds one stored edge as is (loading from another store): subject, attribute value, first/last seen,
   * count and roles. Call `rebuildGroups()` after a batch.
   */
  linkRaw(tenantId: string, subjectId: string, kind: string, value: string, first: number, last: number, count: number, roles: string[]): void {
    let bits = 0;
    for (const r of roles) bits |= this.roleBit(r);
    const s = this.node(tenantId, SUBJECT_KIND, subjectId);
    const a = this.node(tenantId, kind, value);
    const before = this.edgeCount;
    this.deferRebuild = true;
    try {
      this.link(s, a, first, bits || 1);
    } finally {
      this.deferRebuild = false;
    }
    const e = before < this.edgeCount ? before : this.edgeBetween(s, a);
    if (last > this.edgeLast[e]) this.edgeLast[e] = last;
    this.edgeCountSeen[e] = before < this.edgeCount ? count : this.edgeCountSeen[e] + count - 1;
    this.version++;
  }

  /** Bulk load (a log replay): groups are rebuilt once at the end instead of at each cap crossing. */
  applyAll(events: Iterable<RiskEvent>): number {
    this.deferRebuild = true;
    let n = 0;
    try {
      for (const e of events) if (this.apply(e)) n++;
    } finally {
      this.deferRebuild = false;
      if (this.ufDirty) this.rebuildGroups();
    }
    return n;
  }

  /** Labels a subject (fraud / default), creating its node if needed. */
  addLabel(subjectId: string, label: string, tenantId = DEFAULT_TENANT): void {
    const bit = LABEL_BITS[label];
    if (!bit) throw new RangeError(`unknown label "${label}": use fraud or default`);
    if (typeof subjectId !== 'string' || subjectId.length === 0) throw new RangeError('subjectId must be a non-empty string');
    const s = this.node(tenantId, SUBJECT_KIND, subjectId);
    this.nodeLabels[s] |= bit;
    this.version++;
  }

  removeLabel(subjectId: string, label: string, tenantId = DEFAULT_TENANT): void {
    const bit = LABEL_BITS[label];
    if (!bit) throw new RangeError(`unknown label "${label}": use fraud or default`);
    const s = this.subjectNode(tenantId, subjectId);
    if (s >= 0) this.nodeLabels[s] &= ~bit;
    this.version++;
  }

  /** Recomputes connected groups over non-capped attributes (after cap changes or a bulk load). */
  rebuildGroups(): void {
    this.uf.reset((i) => this.nodeKind[i] === 0);
    for (let e = 0; e < this.edgeCount; e++) {
      const a = this.edgeAttr[e];
      if (!this.nodeCapped[a]) this.uf.union(this.edgeSubject[e], a);
    }
    this.ufDirty = false;
  }

  /** Subjects in the connected group of a node (over non-capped attributes). */
  groupSubjects(node: number): number {
    return this.uf.subjects[this.uf.find(node)];
  }

  /** Attributes excluded from linking because too many subjects share them, most shared first. */
  cappedAttributes(tenantId?: string, limit = 100): CappedAttribute[] {
    const out: CappedAttribute[] = [];
    for (let i = 0; i < this.nodeCount; i++) {
      if (!this.nodeCapped[i]) continue;
      const t = this.tenants[this.nodeTenant[i]];
      if (tenantId !== undefined && t !== tenantId) continue;
      out.push({ tenantId: t, kind: this.kindOf(i), value: this.values[i], degree: this.nodeDegree[i], cap: this.capOf(i) });
    }
    out.sort((a, b) => b.degree - a.degree || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : 1));
    return out.slice(0, limit);
  }

  /** Sets community ids (by node) and per-community subject/bad counts from a ring job. */
  setCommunities(byNode: Int32Array, size: Int32Array, bad: Int32Array): void {
    this.nodeCommunity = growInt32(this.nodeCommunity, this.nodeCount, -1);
    this.nodeCommunity.fill(-1);
    this.nodeCommunity.set(byNode.subarray(0, Math.min(byNode.length, this.nodeCount)));
    this.communitySize = size;
    this.communityBad = bad;
  }

  stats(): { nodes: number; subjects: number; attributes: number; edges: number; capped: number; events: number } {
    let subjects = 0;
    let capped = 0;
    for (let i = 0; i < this.nodeCount; i++) {
      if (this.nodeKind[i] === 0) subjects++;
      if (this.nodeCapped[i]) capped++;
    }
    return { nodes: this.nodeCount, subjects, attributes: this.nodeCount - subjects, edges: this.edgeCount, capped, events: this.appliedCount };
  }

  /** Links an event would add, resolved for the event's tenant. */
  linksOf(event: RiskEvent): { tenantId: string; subject: string | undefined; links: LinkValue[] } {
    const tenantId = event.tenantId ?? DEFAULT_TENANT;
    return { tenantId, ...extractLinks(this.configFor(tenantId), event) };
  }

  // ------------------------------------------------------------------ snapshot

  /** A JSON-safe snapshot (typed arrays as base64); `LinkGraph.restore` rebuilds an identical graph. */
  snapshot(): GraphSnapshot {
    const b64 = (a: ArrayBufferView, n: number, width: number): string => Buffer.from(a.buffer, a.byteOffset, n * width).toString('base64');
    const n = this.nodeCount;
    const m = this.edgeCount;
    return {
      format: 'xiezhi-graph',
      version: 1,
      kinds: this.kinds.slice(),
      tenants: this.tenants.slice(),
      roles: this.roles.slice(),
      values: this.values.slice(),
      nodeKind: b64(this.nodeKind, n, 2),
      nodeTenant: b64(this.nodeTenant, n, 4),
      nodeLabels: b64(this.nodeLabels, n, 1),
      edgeSubject: b64(this.edgeSubject, m, 4),
      edgeAttr: b64(this.edgeAttr, m, 4),
      edgeFirst: b64(this.edgeFirst, m, 8),
      edgeLast: b64(this.edgeLast, m, 8),
      edgeCount: b64(this.edgeCountSeen, m, 4),
      edgeRoles: b64(this.edgeRoles, m, 2),
      applied: [...this.applied].flatMap(([t, ids]) => [...ids].map((id) => t + '\u0001' + id)),
    };
  }

  static restore(snap: GraphSnapshot, opts: GraphOptions = {}): LinkGraph {
    if (!snap || snap.format !== 'xiezhi-graph' || snap.version !== 1) throw new RangeError('not a xiezhi-graph v1 snapshot');
    const g = new LinkGraph(opts);
    const dec = <T>(s: string, C: { new (b: ArrayBuffer): T }): T => {
      const buf = Buffer.from(s, 'base64');
      const copy = new ArrayBuffer(buf.length);
      new Uint8Array(copy).set(buf);
      return new C(copy);
    };
    const kind = dec(snap.nodeKind, Uint16Array);
    const tenant = dec(snap.nodeTenant, Int32Array);
    const labels = dec(snap.nodeLabels, Uint8Array);
    for (let i = 0; i < snap.values.length; i++) {
      const id = g.node(snap.tenants[tenant[i]], snap.kinds[kind[i]], snap.values[i]);
      g.nodeLabels[id] = labels[i];
    }
    const es = dec(snap.edgeSubject, Int32Array);
    const ea = dec(snap.edgeAttr, Int32Array);
    const ef = dec(snap.edgeFirst, Float64Array);
    const el = dec(snap.edgeLast, Float64Array);
    const ec = dec(snap.edgeCount, Int32Array);
    const er = dec(snap.edgeRoles, Uint16Array);
    g.deferRebuild = true;
    for (let e = 0; e < es.length; e++) {
      let bits = 0;
      for (let r = 0; r < snap.roles.length; r++) if (er[e] & (1 << r)) bits |= g.roleBit(snap.roles[r]);
      g.link(es[e], ea[e], ef[e], bits);
      const id = g.edgeCount - 1;
      g.edgeLast[id] = el[e];
      g.edgeCountSeen[id] = ec[e];
    }
    g.deferRebuild = false;
    g.rebuildGroups();
    for (const a of snap.applied) {
      const cut = a.indexOf('\u0001');
      g.markApplied(a.slice(0, cut), a.slice(cut + 1));
    }
    return g;
  }
}

export interface GraphSnapshot {
  format: 'xiezhi-graph';
  version: 1;
  kinds: string[];
  tenants: string[];
  roles: string[];
  values: string[];
  nodeKind: string;
  nodeTenant: string;
  nodeLabels: string;
  edgeSubject: string;
  edgeAttr: string;
  edgeFirst: string;
  edgeLast: string;
  edgeCount: string;
  edgeRoles: string;
  applied: string[];
}
