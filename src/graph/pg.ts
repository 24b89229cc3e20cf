// The scale-out path: the same link graph kept in PostgreSQL (a node table and an edge table with indexes
// both ways) and the same `graph.*` features answered by SQL (a recursive CTE for the group, joins for hops).
// Writers serialise per event in one transaction; the ring job loads the edge table into memory
// (`loadGraph`), runs as usual and writes community ids back (`storeCommunities`).
import type pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider, FeatureResult } from '../core/feature-provider.js';
import { extractLinks } from './config.js';
import { DAY_MS, toBlacklistCheck, type BlacklistCheck, type GraphFeatureOptions } from './features.js';
import { DEFAULT_TENANT, LABEL_BITS, LinkGraph, SUBJECT_KIND, type GraphOptions } from './link-graph.js';

export const GRAPH_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS graph_nodes (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  kind text NOT NULL,
  value text NOT NULL,
  degree integer NOT NULL DEFAULT 0,
  capped boolean NOT NULL DEFAULT false,
  labels smallint NOT NULL DEFAULT 0,
  community_id integer,
  UNIQUE (tenant_id, kind, value)
);
CREATE TABLE IF NOT EXISTS graph_edges (
  subject_id bigint NOT NULL REFERENCES graph_nodes(id),
  attr_id bigint NOT NULL REFERENCES graph_nodes(id),
  roles text[] NOT NULL,
  first_seen bigint NOT NULL,
  last_seen bigint NOT NULL,
  seen_count integer NOT NULL DEFAULT 1,
  PRIMARY KEY (subject_id, attr_id)
);
CREATE INDEX IF NOT EXISTS graph_edges_attr ON graph_edges (attr_id, subject_id) INCLUDE (first_seen);
CREATE TABLE IF NOT EXISTS graph_applied (tenant_id text NOT NULL, event_id text NOT NULL, PRIMARY KEY (tenant_id, event_id));
CREATE TABLE IF NOT EXISTS graph_communities (community_id integer PRIMARY KEY, size integer NOT NULL, bad integer NOT NULL);
`;

interface HopRow {
  id: string;
  value: string;
  labels: number;
  hop: number;
}

export class PgGraph implements FeatureProvider {
  /** The configuration holder (never filled with data): same link rules as the memory graph. */
  private readonly rules: LinkGraph;
  private readonly blacklisted: BlacklistCheck | undefined;
  private readonly clock: Clock | undefined;
  private readonly deviceKind: string;
  private readonly subjectDimension: string;

  constructor(
    readonly pool: pg.Pool,
    opts: GraphOptions & GraphFeatureOptions = {},
  ) {
    this.rules = new LinkGraph(opts);
    this.blacklisted = toBlacklistCheck(opts.blacklist);
    this.clock = opts.clock;
    this.deviceKind = opts.deviceKind ?? 'deviceId';
    this.subjectDimension = opts.subjectDimension ?? 'userId';
  }

  async migrate(): Promise<void> {
    await this.pool.query(GRAPH_SCHEMA_SQL);
  }

  private capFor(tenantId: string): number {
    return this.rules.configFor(tenantId).config.degreeCap;
  }

  async apply(event: RiskEvent): Promise<void> {
    await this.applyEvent(event);
  }

  /** Folds one event in; false when the id was already applied or the event has no subject. */
  async applyEvent(event: RiskEvent): Promise<boolean> {
    const tenantId = event.tenantId ?? DEFAULT_TENANT;
    const { subject, links } = extractLinks(this.rules.configFor(tenantId), event);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const ins = await client.query('INSERT INTO graph_applied (tenant_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, event.id]);
      if (ins.rowCount === 0 || subject === undefined) {
        await client.query('COMMIT');
        return false;
      }
      const at = Number.isFinite(event.occurredAt) ? event.occurredAt : 0;
      const kinds = [SUBJECT_KIND, ...links.map((l) => l.kind)];
      const values = [subject, ...links.map((l) => l.value)];
      const ids = await client.query<{ id: string; kind: string; value: string }>(
        `INSERT INTO graph_nodes (tenant_id, kind, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t(k, v)
         ON CONFLICT (tenant_id, kind, value) DO UPDATE SET kind = EXCLUDED.kind RETURNING id, kind, value`,
        [tenantId, kinds, values],
      );
      const idOf = new Map(ids.rows.map((r) => [r.kind + '\u0000' + r.value, r.id]));
      const s = idOf.get(SUBJECT_KIND + '\u0000' + subject)!;
      // One edge per (subject, attribute): roles of the same value merge.
      const byAttr = new Map<string, Set<string>>();
      for (const l of links) {
        const a = idOf.get(l.kind + '\u0000' + l.value)!;
        if (!byAttr.has(a)) byAttr.set(a, new Set());
        byAttr.get(a)!.add(l.role);
      }
      const attrIds = [...byAttr.keys()];
      if (attrIds.length > 0) {
        const up = await client.query<{ attr_id: string; inserted: boolean }>(
          `INSERT INTO graph_edges AS e (subject_id, attr_id, roles, first_seen, last_seen)
             SELECT $1, a, string_to_array(r, ','), $4, $4 FROM unnest($2::bigint[], $3::text[]) AS t(a, r)
           ON CONFLICT (subject_id, attr_id) DO UPDATE SET
             first_seen = LEAST(e.first_seen, EXCLUDED.first_seen), last_seen = GREATEST(e.last_seen, EXCLUDED.last_seen),
             seen_count = e.seen_count + 1,
             roles = ARRAY(SELECT DISTINCT x FROM unnest(e.roles || EXCLUDED.roles) x ORDER BY x)
           RETURNING attr_id, (xmax = 0) AS inserted`,
          [s, attrIds, attrIds.map((a) => [...byAttr.get(a)!].sort().join(',')), at],
        );
        const added = up.rows.filter((r) => r.inserted).map((r) => r.attr_id);
        if (added.length > 0) {
          await client.query('UPDATE graph_nodes SET degree = degree + 1, capped = capped OR degree + 1 > $2 WHERE id = ANY($1::bigint[])', [added, this.capFor(tenantId)]);
          await client.query('UPDATE graph_nodes SET degree = degree + $2 WHERE id = $1', [s, added.length]);
        }
      }
      await client.query('COMMIT');
      return true;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async addLabel(subjectId: string, label: string, tenantId = DEFAULT_TENANT): Promise<void> {
    const bit = LABEL_BITS[label];
    if (!bit) throw new RangeError(`unknown label "${label}": use fraud or default`);
    await this.pool.query(
      `INSERT INTO graph_nodes (tenant_id, kind, value, labels) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, kind, value) DO UPDATE SET labels = graph_nodes.labels | EXCLUDED.labels`,
      [tenantId, SUBJECT_KIND, subjectId, bit],
    );
  }

  /** Bulk copy of an in-memory graph into empty tables (migration to the scale-out store), in batches. */
  async importFrom(g: LinkGraph, batch = 5000): Promise<void> {
    const pgId = new Array<string>(g.nodeCount);
    for (let i = 0; i < g.nodeCount; i += batch) {
      const end = Math.min(g.nodeCount, i + batch);
      const t: string[] = [];
      const k: string[] = [];
      const v: string[] = [];
      const d: number[] = [];
      const c: boolean[] = [];
      const l: number[] = [];
      for (let n = i; n < end; n++) {
        t.push(g.tenantOfNode(n));
        k.push(g.kindOf(n));
        v.push(g.values[n]);
        d.push(g.nodeDegree[n]);
        c.push(g.nodeCapped[n] === 1);
        l.push(g.nodeLabels[n]);
      }
      const r = await this.pool.query<{ id: string; tenant_id: string; kind: string; value: string }>(
        `INSERT INTO graph_nodes (tenant_id, kind, value, degree, capped, labels)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bool[], $6::smallint[])
         RETURNING id, tenant_id, kind, value`,
        [t, k, v, d, c, l],
      );
      // RETURNING order is not guaranteed: map back by (tenant, kind, value).
      const local = new Map<string, number>();
      for (let n = i; n < end; n++) local.set(t[n - i] + '\u0001' + k[n - i] + '\u0000' + v[n - i], n);
      for (const row of r.rows) pgId[local.get(row.tenant_id + '\u0001' + row.kind + '\u0000' + row.value)!] = row.id;
    }
    for (let i = 0; i < g.edgeCount; i += batch) {
      const end = Math.min(g.edgeCount, i + batch);
      const s: string[] = [];
      const a: string[] = [];
      const roles: string[] = [];
      const f: number[] = [];
      const la: number[] = [];
      const cnt: number[] = [];
      for (let e = i; e < end; e++) {
        s.push(pgId[g.edgeSubject[e]]);
        a.push(pgId[g.edgeAttr[e]]);
        roles.push(g.roles.filter((_, b) => (g.edgeRoles[e] & (1 << b)) !== 0).join(','));
        f.push(g.edgeFirst[e]);
        la.push(g.edgeLast[e]);
        cnt.push(g.edgeCountSeen[e]);
      }
      await this.pool.query(
        `INSERT INTO graph_edges (subject_id, attr_id, roles, first_seen, last_seen, seen_count)
         SELECT s, a, string_to_array(r, ','), f, l, c FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::int[]) AS x(s, a, r, f, l, c)`,
        [s, a, roles, f, la, cnt],
      );
    }
  }

  /** Loads the whole edge table into a memory graph (for the ring job). */
  async loadGraph(opts: GraphOptions = {}): Promise<LinkGraph> {
    const nodes = await this.pool.query<{ id: string; tenant_id: string; kind: string; value: string; labels: number }>('SELECT id, tenant_id, kind, value, labels FROM graph_nodes ORDER BY id');
    const edges = await this.pool.query<{ s: string; a: string; roles: string[]; f: string; l: string; c: number }>(
      'SELECT subject_id AS s, attr_id AS a, roles, first_seen AS f, last_seen AS l, seen_count AS c FROM graph_edges ORDER BY first_seen, subject_id, attr_id',
    );
    const byId = new Map(nodes.rows.map((n) => [n.id, n]));
    const g = new LinkGraph(opts);
    for (const e of edges.rows) {
      const s = byId.get(e.s)!;
      const a = byId.get(e.a)!;
      g.linkRaw(s.tenant_id, s.value, a.kind, a.value, Number(e.f), Number(e.l), e.c, e.roles);
    }
    for (const n of nodes.rows) {
      if (n.kind !== SUBJECT_KIND || !n.labels) continue;
      if (n.labels & 1) g.addLabel(n.value, 'fraud', n.tenant_id);
      if (n.labels & 2) g.addLabel(n.value, 'default', n.tenant_id);
    }
    g.rebuildGroups();
    return g;
  }

  /** Writes community ids (by tenant/kind/value) and per-community counts from a memory graph's ring job. */
  async storeCommunities(g: LinkGraph): Promise<void> {
    const t: string[] = [];
    const k: string[] = [];
    const v: string[] = [];
    const c: number[] = [];
    for (let i = 0; i < g.nodeCount; i++) {
      if (g.nodeCommunity[i] < 0) continue;
      t.push(g.tenantOfNode(i));
      k.push(g.kindOf(i));
      v.push(g.values[i]);
      c.push(g.nodeCommunity[i]);
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE graph_nodes SET community_id = NULL WHERE community_id IS NOT NULL');
      await client.query('DELETE FROM graph_communities');
      await client.query(
        `UPDATE graph_nodes n SET community_id = x.c FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS x(t, k, v, c)
         WHERE n.tenant_id = x.t AND n.kind = x.k AND n.value = x.v`,
        [t, k, v, c],
      );
      const ids: number[] = [];
      const sizes: number[] = [];
      const bads: number[] = [];
      for (let i = 0; i < g.communitySize.length; i++) {
        ids.push(i);
        sizes.push(g.communitySize[i]);
        bads.push(g.communityBad[i]);
      }
      await client.query('INSERT INTO graph_communities SELECT * FROM unnest($1::int[], $2::int[], $3::int[])', [ids, sizes, bads]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult> {
    const want = new Set(names.filter((n) => n.startsWith('graph.')));
    if (want.size === 0) return { values: {} };
    const tenantId = event.tenantId ?? DEFAULT_TENANT;
    const cc = this.rules.configFor(tenantId);
    const { subject, links } = extractLinks(cc, event);
    const now = this.clock ? this.clock() : event.occurredAt;
    const out: Record<string, unknown> = {};
    const q = this.pool;

    // The subject and the event's attribute nodes, with degree/capped and whether the subject already links.
    const ev = await q.query<{ i: number; id: string | null; degree: number; capped: boolean; community_id: number | null; linked: boolean }>(
      `SELECT x.i, n.id, n.degree, n.capped, n.community_id,
              EXISTS (SELECT 1 FROM graph_edges e WHERE e.subject_id = s.id AND e.attr_id = n.id) AS linked
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(k, v, i)
       LEFT JOIN graph_nodes n ON n.tenant_id = $1 AND n.kind = x.k AND n.value = x.v
       LEFT JOIN graph_nodes s ON s.tenant_id = $1 AND s.kind = '${SUBJECT_KIND}' AND s.value = $4
       ORDER BY x.i`,
      [tenantId, links.map((l) => l.kind), links.map((l) => l.value), subject ?? ''],
    );
    const srow =
      subject === undefined
        ? undefined
        : (await q.query<{ id: string; community_id: number | null }>(`SELECT id, community_id FROM graph_nodes WHERE tenant_id = $1 AND kind = '${SUBJECT_KIND}' AND value = $2`, [tenantId, subject])).rows[0];
    const sid = srow?.id ?? '-1';
    const evRows = ev.rows;

    for (let r = 0; r < cc.aliases.length; r++) {
      const name = 'graph.' + cc.aliases[r] + '_subjects';
      if (!want.has(name)) continue;
      let best = 0;
      links.forEach((l, i) => {
        const row = evRows[i];
        if (l.rule !== r || !row.id) return;
        const others = row.degree - (row.linked ? 1 : 0);
        if (others > best) best = others;
      });
      out[name] = best;
    }
    if (want.has('graph.capped_links')) out['graph.capped_links'] = evRows.filter((x) => x.id && x.capped).length;
    const startIds = evRows.filter((x) => x.id && !x.capped).map((x) => x.id!);

    if (want.has('graph.group_size')) {
      const seeds = srow ? [sid, ...startIds] : startIds;
      let reached = 0;
      if (seeds.length > 0) {
        const r = await q.query<{ n: string }>(
          `WITH RECURSIVE reach(id) AS (
             SELECT unnest($1::bigint[])
             UNION
             SELECT x.nid FROM reach r, LATERAL (
               SELECT e.attr_id AS nid FROM graph_edges e WHERE e.subject_id = r.id
               UNION ALL SELECT e.subject_id FROM graph_edges e WHERE e.attr_id = r.id
             ) x JOIN graph_nodes n ON n.id = x.nid AND NOT n.capped
           )
           SELECT count(*) AS n FROM reach r JOIN graph_nodes n ON n.id = r.id WHERE n.kind = '${SUBJECT_KIND}'`,
          [seeds],
        );
        reached = Number(r.rows[0].n);
      }
      out['graph.group_size'] = srow ? reached : reached + 1;
    }

    if (want.has('graph.max_device_subjects')) {
      let best = 0;
      links.forEach((l, i) => {
        if (l.kind !== this.deviceKind) return;
        const row = evRows[i];
        const n = row.id ? row.degree + (row.linked ? 0 : 1) : 1;
        if (n > best) best = n;
      });
      if (srow) {
        const r = await q.query<{ d: number | null }>('SELECT max(a.degree) AS d FROM graph_edges e JOIN graph_nodes a ON a.id = e.attr_id WHERE e.subject_id = $1 AND a.kind = $2', [sid, this.deviceKind]);
        if ((r.rows[0].d ?? 0) > best) best = r.rows[0].d!;
      }
      out['graph.max_device_subjects'] = best;
    }

    const hopNames = ['blacklisted_1hop', 'blacklisted_2hop', 'fraud_1hop', 'fraud_2hop', 'default_1hop', 'default_2hop', 'new_links_24h'];
    if (hopNames.some((h) => want.has('graph.' + h))) {
      const r = await q.query<HopRow & { new_links: string }>(
        `WITH start AS (
           SELECT unnest($1::bigint[]) AS id
           UNION SELECT e.attr_id FROM graph_edges e JOIN graph_nodes a ON a.id = e.attr_id AND NOT a.capped WHERE e.subject_id = $2
         ),
         h1e AS (SELECT e.subject_id, e.first_seen FROM graph_edges e JOIN start ON e.attr_id = start.id WHERE e.subject_id <> $2),
         h1 AS (SELECT DISTINCT subject_id AS id FROM h1e),
         a2 AS (SELECT DISTINCT e.attr_id AS id FROM graph_edges e JOIN h1 ON e.subject_id = h1.id JOIN graph_nodes a ON a.id = e.attr_id AND NOT a.capped
                WHERE e.attr_id NOT IN (SELECT id FROM start)),
         h2 AS (SELECT DISTINCT e.subject_id AS id FROM graph_edges e JOIN a2 ON e.attr_id = a2.id
                WHERE e.subject_id <> $2 AND e.subject_id NOT IN (SELECT id FROM h1)),
         nl AS (SELECT count(*) AS c FROM h1e WHERE first_seen > $3 AND first_seen <= $4)
         SELECT n.id, n.value, n.labels, 1 AS hop, (SELECT c FROM nl) AS new_links FROM h1 JOIN graph_nodes n ON n.id = h1.id
         UNION ALL SELECT n.id, n.value, n.labels, 2, NULL FROM h2 JOIN graph_nodes n ON n.id = h2.id
         UNION ALL SELECT NULL, NULL, 0, 0, (SELECT c FROM nl)`,
        [startIds, sid, now - DAY_MS, now],
      );
      const rows = r.rows.filter((x) => x.hop > 0);
      const newLinks = Number(r.rows.find((x) => x.hop === 0)!.new_links);
      if (want.has('graph.new_links_24h')) out['graph.new_links_24h'] = newLinks;
      const count = (hop: number, bit: number): number => rows.filter((x) => x.hop <= hop && (x.labels & bit) !== 0).length;
      if (want.has('graph.fraud_1hop')) out['graph.fraud_1hop'] = count(1, 1);
      if (want.has('graph.fraud_2hop')) out['graph.fraud_2hop'] = count(2, 1);
      if (want.has('graph.default_1hop')) out['graph.default_1hop'] = count(1, 2);
      if (want.has('graph.default_2hop')) out['graph.default_2hop'] = count(2, 2);
      if (want.has('graph.blacklisted_1hop') || want.has('graph.blacklisted_2hop')) {
        const black = new Set<string>();
        if (this.blacklisted && rows.length > 0) {
          const check = this.blacklisted;
          const attrs = await q.query<{ s: string; kind: string; value: string }>(
            'SELECT e.subject_id AS s, a.kind, a.value FROM graph_edges e JOIN graph_nodes a ON a.id = e.attr_id WHERE e.subject_id = ANY($1::bigint[])',
            [rows.map((x) => x.id)],
          );
          for (const x of rows) if (check(this.subjectDimension, x.value, tenantId)) black.add(x.id);
          for (const a of attrs.rows) if (!black.has(a.s) && check(a.kind, a.value, tenantId)) black.add(a.s);
        }
        const b = (hop: number): number => rows.filter((x) => x.hop <= hop && black.has(x.id)).length;
        if (want.has('graph.blacklisted_1hop')) out['graph.blacklisted_1hop'] = b(1);
        if (want.has('graph.blacklisted_2hop')) out['graph.blacklisted_2hop'] = b(2);
      }
    }

    if (want.has('graph.community_bad_rate') || want.has('graph.community_size')) {
      let c = srow?.community_id ?? null;
      for (const x of evRows) if (c === null && x.id && !x.capped && x.community_id !== null) c = x.community_id;
      const row = c === null ? undefined : (await q.query<{ size: number; bad: number }>('SELECT size, bad FROM graph_communities WHERE community_id = $1', [c])).rows[0];
      const size = row?.size ?? 0;
      if (want.has('graph.community_size')) out['graph.community_size'] = size;
      if (want.has('graph.community_bad_rate')) out['graph.community_bad_rate'] = size > 0 ? row!.bad / size : 0;
    }
    return { values: out };
  }

  async close(): Promise<void> {}
}
