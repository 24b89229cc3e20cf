// Link-graph benchmark: a synthetic applicant graph with planted fraud rings (default 250k applicants ×
// 4 attributes = 1M edges): build time and memory, connected components, label-propagation communities with
// precision/recall of the planted rings, graph-feature p50/p99; graphology's connected components and
// Louvain on the same graph as the baseline.
//   npm run bench -- graph [--json] [--quick] [--applicants N] [--no-louvain] [--pg]
// --pg also copies the graph into PostgreSQL (XIEZHI_PG_URL, default postgres://postgres@127.0.0.1:5432/test,
// in a throw-away database) and compares feature latency memory vs SQL on the same probes.
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { UndirectedGraph } from 'graphology';
import { connectedComponents as gConnectedComponents } from 'graphology-components';
import louvainModule from 'graphology-communities-louvain';
import pg from 'pg';
import type { RiskEvent } from '../../src/core/event.js';
import { PgGraph } from '../../src/graph/pg.js';
import { GraphFeatureProvider, graphFeatureNames } from '../../src/graph/features.js';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { seededRandom } from '../../src/graph/pools.js';
import { buildCsr, connectedComponents, labelPropagation } from '../../src/graph/communities.js';
import { scoreCommunities, type Ring } from '../../src/graph/rings.js';

export interface Synthetic {
  events: RiskEvent[];
  rings: string[][];
  labels: { subject: string; label: 'fraud' | 'default' }[];
}

/** Background applicants with sparse random sharing, 30 public-IP hubs, and planted rings of 5–15. */
export function syntheticApplicants(n: number, seed = 7): Synthetic {
  const r = seededRandom(seed);
  const pick = (k: number): number => Math.floor(r() * k);
  const t0 = Date.UTC(2026, 0, 1);
  const events: RiskEvent[] = [];
  const rings: string[][] = [];
  const labels: Synthetic['labels'] = [];
  const ringCount = Math.max(4, Math.floor(n / 250));
  let ringMembers = 0;
  const plan: { size: number }[] = [];
  for (let i = 0; i < ringCount; i++) {
    const size = 5 + pick(11);
    plan.push({ size });
    ringMembers += size;
  }
  const background = n - ringMembers;
  const ev = (i: number, subject: RiskEvent['subject']): RiskEvent => ({
    id: 'a' + i,
    type: 'loan_application',
    occurredAt: t0 + Math.floor((i / n) * 30 * 86_400_000),
    subject,
    data: {},
  });
  let i = 0;
  for (; i < background; i++) {
    const ip = r() < 0.2 ? 'pub' + pick(30) : 'ip' + pick(n * 5);
    events.push(ev(i, { userId: 'u' + i, deviceId: 'd' + pick(n * 3), phone: 'p' + pick(n * 5), ip, bankCard: 'c' + pick(n * 10) }));
    if (r() < 0.01) labels.push({ subject: 'u' + i, label: 'default' });
  }
  for (let k = 0; k < ringCount; k++) {
    const members: string[] = [];
    for (let m = 0; m < plan[k].size; m++, i++) {
      const u = 'u' + i;
      members.push(u);
      events.push(
        ev(i, {
          userId: u,
          deviceId: `rd${k}_${pick(2)}`,
          phone: r() < 0.6 ? `rp${k}_${pick(2)}` : 'p' + pick(n * 5),
          ip: r() < 0.7 ? `rip${k}` : 'ip' + pick(n * 5),
          bankCard: r() < 0.4 ? `rc${k}` : 'c' + pick(n * 10),
        }),
      );
      if (r() < 0.3) labels.push({ subject: u, label: 'fraud' });
    }
    rings.push(members);
  }
  // Rings arrive interleaved with the rest, as in real traffic.
  for (let j = events.length - 1; j > 0; j--) {
    const x = pick(j + 1);
    const t = events[j];
    events[j] = events[x];
    events[x] = t;
  }
  return { events, rings, labels };
}

/**
 * Recall: a planted ring is recovered when a flagged group overlaps it with Jaccard ≥ 0.5.
 * Precision: a flagged group is right when at least half its members come from one planted ring (a ring
 * found as two halves counts twice as right); `strictPrecision` asks Jaccard ≥ 0.5 of it too.
 */
export function ringRecovery(found: Ring[], planted: string[][]): { precision: number; strictPrecision: number; recall: number; flagged: number } {
  const ringOf = new Map<string, number>();
  planted.forEach((m, k) => m.forEach((u) => ringOf.set(u, k)));
  const hit = new Set<number>();
  let good = 0;
  let strict = 0;
  const flagged = found.filter((f) => f.suspicious);
  for (const f of flagged) {
    const counts = new Map<number, number>();
    for (const u of f.members) {
      const k = ringOf.get(u);
      if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let matched = false;
    let pure = false;
    for (const [k, c] of counts) {
      if (c * 2 >= f.size) pure = true;
      const jac = c / (f.size + planted[k].length - c);
      if (jac >= 0.5) {
        hit.add(k);
        matched = true;
      }
    }
    if (matched) strict++;
    if (pure) good++;
  }
  const n = flagged.length;
  return { precision: n ? good / n : 0, strictPrecision: n ? strict / n : 0, recall: hit.size / planted.length, flagged: n };
}

// CJS default export seen through NodeNext typings.
const louvain = louvainModule as unknown as (g: UndirectedGraph, o: { rng: () => number }) => Record<string, number>;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      applicants: { type: 'string' },
      'no-louvain': { type: 'boolean', default: false },
      pg: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run bench -- graph [--json] [--quick] [--applicants N] [--no-louvain] [--pg]');
    return;
  }
  const n = values.applicants ? Number(values.applicants) : values.quick ? 25_000 : 250_000;
  if (!Number.isInteger(n) || n < 1000) throw new RangeError('--applicants must be an integer ≥ 1000');
  const log = (s: string): void => {
    if (!values.json) console.log(s);
  };
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const data = syntheticApplicants(n);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  sample();

  // Build.
  const tb = performance.now();
  const g = new LinkGraph({ config: { degreeCap: 50 } });
  g.applyAll(data.events);
  for (const l of data.labels) g.addLabel(l.subject, l.label);
  const buildSeconds = (performance.now() - tb) / 1000;
  sample();
  const st = g.stats();
  log(`graph: ${st.subjects} subjects, ${st.attributes} attribute nodes, ${st.edges} edges, ${st.capped} capped hubs; build ${buildSeconds.toFixed(2)} s`);

  // Connected components (ours).
  let tc = performance.now();
  const comps = connectedComponents(g);
  const componentsSeconds = (performance.now() - tc) / 1000;
  sample();

  // Communities (ours): label propagation + scoring.
  tc = performance.now();
  const lpa = labelPropagation(g, buildCsr(g), { seed: 42 });
  const rings = scoreCommunities(g, lpa.byNode, lpa.count);
  const communitySeconds = (performance.now() - tc) / 1000;
  sample();
  const rec = ringRecovery(rings, data.rings);
  log(`components: ${comps.count} in ${componentsSeconds.toFixed(3)} s; LPA: ${lpa.count} communities, ${lpa.iterations} iterations, ${communitySeconds.toFixed(2)} s`);
  log(`planted rings ${data.rings.length}: flagged ${rec.flagged}, precision ${rec.precision.toFixed(3)} (strict ${rec.strictPrecision.toFixed(3)}), recall ${rec.recall.toFixed(3)}`);

  // Features: each feature alone, on new applications of existing subjects, after the ring job.
  const provider = new GraphFeatureProvider(g, { blacklist: (d, v) => d === 'deviceId' && v.endsWith('_0') });
  const names = graphFeatureNames(g, 'default').filter((x) => ['graph.device_subjects', 'graph.phone_subjects', 'graph.ip_subjects', 'graph.bank_card_subjects'].includes(x) || !x.endsWith('_subjects'));
  const r = seededRandom(99);
  const probes: RiskEvent[] = [];
  for (let k = 0; k < (values.quick ? 500 : 2000); k++) {
    const src = data.events[Math.floor(r() * data.events.length)];
    probes.push({ ...src, id: 'probe' + k, occurredAt: src.occurredAt + 3_600_000 });
  }
  for (const p of probes) provider.computeSync(p, names); // warm-up (JIT), not measured
  const perFeature: Record<string, { p50: number; p99: number }> = {};
  let featureP99Ms = 0;
  for (const name of names) {
    const lat: number[] = [];
    for (const p of probes) {
      const t = performance.now();
      provider.computeSync(p, [name]);
      lat.push(performance.now() - t);
    }
    const p99 = pct(lat, 99);
    perFeature[name] = { p50: pct(lat, 50), p99 };
    if (p99 > featureP99Ms) featureP99Ms = p99;
  }
  const all: number[] = [];
  for (const p of probes) {
    const t = performance.now();
    provider.computeSync(p, names);
    all.push(performance.now() - t);
  }
  const featureP50Ms = Math.max(...Object.values(perFeature).map((x) => x.p50));
  log(`features (${names.length}, ${probes.length} probes each): worst p50 ${featureP50Ms.toFixed(4)} ms, worst p99 ${featureP99Ms.toFixed(4)} ms; all at once p50 ${pct(all, 50).toFixed(4)} p99 ${pct(all, 99).toFixed(4)} ms`);
  sample();
  const peakMiB = peak / 1048576;
  const graphMiB = (peak - rssBefore) / 1048576;

  // Baseline: graphology on the same (non-capped) graph.
  tc = performance.now();
  const gg = new UndirectedGraph({ multi: false, allowSelfLoops: false });
  for (let i = 0; i < g.nodeCount; i++) if (!g.nodeCapped[i]) gg.addNode(String(i));
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.edgeAttr[e];
    if (!g.nodeCapped[a]) gg.addEdge(String(g.edgeSubject[e]), String(a));
  }
  const graphologyBuildSeconds = (performance.now() - tc) / 1000;
  tc = performance.now();
  const gComps = gConnectedComponents(gg);
  const graphologyComponentsSeconds = (performance.now() - tc) / 1000;
  log(`graphology: build ${graphologyBuildSeconds.toFixed(2)} s, components ${gComps.length} in ${graphologyComponentsSeconds.toFixed(3)} s`);
  let louvainSeconds: number | null = null;
  let louvainPrecision: number | null = null;
  let louvainRecall: number | null = null;
  let louvainStrict: number | null = null;
  if (!values['no-louvain']) {
    tc = performance.now();
    const parts = louvain(gg, { rng: seededRandom(42) }) as Record<string, number>;
    louvainSeconds = (performance.now() - tc) / 1000;
    const by = new Int32Array(g.nodeCount).fill(-1);
    let count = 0;
    for (const [node, c] of Object.entries(parts)) {
      by[Number(node)] = c;
      if (c + 1 > count) count = c + 1;
    }
    const lr = ringRecovery(scoreCommunities(g, by, count), data.rings);
    louvainPrecision = lr.precision;
    louvainRecall = lr.recall;
    louvainStrict = lr.strictPrecision;
    log(`graphology Louvain: ${count} communities in ${louvainSeconds.toFixed(2)} s; precision ${lr.precision.toFixed(3)} (strict ${lr.strictPrecision.toFixed(3)}), recall ${lr.recall.toFixed(3)}`);
  }
  sample();
  const pgOut = values.pg ? await pgLatency(g, probes, names, log) : undefined;
  const out = {
    applicants: n,
    edges: g.edgeCount,
    nodes: g.nodeCount,
    cappedAttributes: st.capped,
    plantedRings: data.rings.length,
    buildSeconds: r4(buildSeconds),
    peakMiB: r4(peakMiB),
    graphMiB: r4(graphMiB),
    componentsSeconds: r4(componentsSeconds),
    components: comps.count,
    communitySeconds: r4(communitySeconds),
    communities: lpa.count,
    ringsFlagged: rec.flagged,
    ringPrecision: r4(rec.precision),
    ringPrecisionStrict: r4(rec.strictPrecision),
    ringRecall: r4(rec.recall),
    featureP50Ms: r4(featureP50Ms),
    featureP99Ms: r4(featureP99Ms),
    allFeaturesP99Ms: r4(pct(all, 99)),
    perFeature,
    graphologyBuildSeconds: r4(graphologyBuildSeconds),
    graphologyComponentsSeconds: r4(graphologyComponentsSeconds),
    ratioComponentsVsGraphology: r4(graphologyComponentsSeconds / componentsSeconds),
    louvainSeconds: louvainSeconds === null ? null : r4(louvainSeconds),
    louvainPrecision: louvainPrecision === null ? null : r4(louvainPrecision),
    louvainRecall: louvainRecall === null ? null : r4(louvainRecall),
    louvainPrecisionStrict: louvainStrict === null ? null : r4(louvainStrict),
    ratioCommunityVsLouvain: louvainSeconds === null ? null : r4(louvainSeconds / communitySeconds),
    ...(pgOut ?? {}),
    node: process.version,
  };
  if (values.json) console.log(JSON.stringify(out));
  else log(`components: ours ${out.ratioComponentsVsGraphology}× faster than graphology` + (out.ratioCommunityVsLouvain ? `; LPA ${out.ratioCommunityVsLouvain}× faster than Louvain` : '') + `; peak RSS ${peakMiB.toFixed(0)} MiB`);
}

/** Copies the graph into a throw-away PostgreSQL database and times the same feature calls there. */
async function pgLatency(g: LinkGraph, probes: RiskEvent[], names: string[], log: (s: string) => void): Promise<Record<string, number>> {
  const base = process.env.XIEZHI_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const db = `xiezhi_graph_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(base);
  url.pathname = '/' + db;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  try {
    const store = new PgGraph(pool, { config: { degreeCap: 50 }, blacklist: (d, v) => d === 'deviceId' && v.endsWith('_0') });
    await store.migrate();
    let t = performance.now();
    await store.importFrom(g);
    await store.storeCommunities(g);
    await pool.query('ANALYZE');
    const pgImportSeconds = (performance.now() - t) / 1000;
    const mem = new GraphFeatureProvider(g, { blacklist: (d, v) => d === 'deviceId' && v.endsWith('_0') });
    const sampleProbes = probes.slice(0, 300);
    const memLat: number[] = [];
    const pgLat: number[] = [];
    let mismatches = 0;
    for (const p of sampleProbes.slice(0, 20)) await store.compute(p, names); // warm-up
    for (const p of sampleProbes) {
      t = performance.now();
      const a = mem.computeSync(p, names);
      memLat.push(performance.now() - t);
      t = performance.now();
      const b = (await store.compute(p, names)).values;
      pgLat.push(performance.now() - t);
      if (!isDeepStrictEqual(a, b)) {
        if (mismatches++ === 0 && process.env.XIEZHI_BENCH_DEBUG) console.error('first mismatch', p, a, b);
      }
    }
    const res = {
      pgImportSeconds: r4(pgImportSeconds),
      pgAllFeaturesP50Ms: r4(pct(pgLat, 50)),
      pgAllFeaturesP99Ms: r4(pct(pgLat, 99)),
      memAllFeaturesP50Ms: r4(pct(memLat, 50)),
      memAllFeaturesP99Ms: r4(pct(memLat, 99)),
      pgMismatches: mismatches,
    };
    log(`PostgreSQL: import ${res.pgImportSeconds} s; all features p50 ${res.pgAllFeaturesP50Ms} ms p99 ${res.pgAllFeaturesP99Ms} ms vs memory p50 ${res.memAllFeaturesP50Ms} p99 ${res.memAllFeaturesP99Ms} ms; mismatches ${mismatches}/${sampleProbes.length}`);
    return res;
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.end();
  }
}

function r4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
