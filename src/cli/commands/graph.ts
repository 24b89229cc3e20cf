// `xiezhi graph`: build the applicant link graph from an event log and look at it — ranked rings, one
// subject's neighbourhood, the features an event would see — or save a snapshot to restore later.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../main.js';
import type { RiskEvent } from '../../core/event.js';
import { LinkGraph, type GraphSnapshot } from '../../graph/link-graph.js';
import { detectRings } from '../../graph/rings.js';
import { maskRing, maskValue, neighbourhood } from '../../graph/view.js';
import { GraphFeatureProvider, graphFeatureNames } from '../../graph/features.js';

const HELP = `xiezhi graph — applicant link graph: rings, neighbourhoods, features
申请人关联图谱：团伙识别、关联查询、图特征

Usage:
  xiezhi graph rings    --events <log.ndjson> [--labels <labels.ndjson>] [--limit 20] [--all] [--json]
  xiezhi graph subject  <subjectId> --events <log.ndjson> [--hops 2] [--tenant default]
  xiezhi graph features --events <log.ndjson> --event '<RiskEvent JSON>' [--labels ...]
  xiezhi graph snapshot --events <log.ndjson> --out <graph.json>

Options:
  --events    NDJSON RiskEvents (occurredAt ISO-8601 or epoch ms)            事件日志
  --snapshot  a snapshot written by "graph snapshot" instead of --events       图快照
  --labels    NDJSON {"subjectId","label":"fraud"|"default","tenantId"?}        标签（欺诈/违约）
  --config    JSON link configuration {"links":[...],"degreeCap":50}            关联配置
  --seed      ring job seed (default 42)                                       随机种子
  -h, --help  this help`;

function readLines(path: string, what: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} file ${path}: ${(err as Error).message}`);
  }
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l.length > 0)
    .map(([l, n]) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        throw new Error(`${what} file ${path} line ${n} is not valid JSON`);
      }
    });
}

function toEvent(x: unknown, where: string): RiskEvent {
  const e = x as Partial<RiskEvent> & { occurredAt?: unknown };
  if (!e || typeof e !== 'object' || typeof e.id !== 'string' || !e.subject || typeof e.subject !== 'object') throw new Error(`${where}: an event needs id and subject`);
  const at = typeof e.occurredAt === 'number' ? e.occurredAt : typeof e.occurredAt === 'string' ? Date.parse(e.occurredAt) : NaN;
  if (!Number.isFinite(at)) throw new Error(`${where}: occurredAt must be ISO-8601 or epoch ms`);
  return { id: e.id, type: typeof e.type === 'string' ? e.type : 'unknown', occurredAt: at, subject: e.subject, data: (e.data as Record<string, unknown>) ?? {}, tenantId: e.tenantId };
}

export const command: Command = {
  summary: 'link graph: fraud rings, subject neighbourhoods, graph features (关联图谱)',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          events: { type: 'string' },
          snapshot: { type: 'string' },
          labels: { type: 'string' },
          config: { type: 'string' },
          event: { type: 'string' },
          out: { type: 'string' },
          hops: { type: 'string', default: '2' },
          tenant: { type: 'string', default: 'default' },
          limit: { type: 'string', default: '20' },
          seed: { type: 'string', default: '42' },
          all: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (err) {
      console.error(`${(err as Error).message}\n\n${HELP}`);
      return 2;
    }
    const { values: o, positionals } = parsed;
    const [sub, ...rest] = positionals;
    if (o.help || !sub) {
      console.log(HELP);
      return o.help ? 0 : 2;
    }
    if (!['rings', 'subject', 'features', 'snapshot'].includes(sub)) {
      console.error(`unknown subcommand "${sub}" / 未知子命令\n\n${HELP}`);
      return 2;
    }
    try {
      const config = o.config ? JSON.parse(readFileSync(o.config, 'utf8')) : undefined;
      let g: LinkGraph;
      if (o.snapshot) g = LinkGraph.restore(JSON.parse(readFileSync(o.snapshot, 'utf8')) as GraphSnapshot, { config });
      else if (o.events) {
        g = new LinkGraph({ config });
        g.applyAll(readLines(o.events, 'events').map((x, i) => toEvent(x, `events line ${i + 1}`)));
      } else throw new Error('give --events <log.ndjson> or --snapshot <graph.json> / 请提供事件日志或图快照');
      if (o.labels) {
        for (const x of readLines(o.labels, 'labels') as { subjectId?: string; label?: string; tenantId?: string }[]) g.addLabel(String(x.subjectId ?? ''), String(x.label ?? ''), x.tenantId);
      }
      const seed = Number(o.seed);
      const limit = Number(o.limit);
      const hops = Number(o.hops);
      if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive integer');
      if (sub === 'snapshot') {
        if (!o.out) throw new Error('--out is required');
        writeFileSync(o.out, JSON.stringify(g.snapshot()));
        const st = g.stats();
        console.log(`wrote ${o.out}: ${st.subjects} subjects, ${st.attributes} attributes, ${st.edges} edges`);
        return 0;
      }
      if (sub === 'subject') {
        if (!rest[0]) throw new Error('give the subject id: xiezhi graph subject <subjectId>');
        if (!Number.isInteger(hops) || hops < 1 || hops > 3) throw new Error('--hops must be 1, 2 or 3');
        detectRings(g, { seed });
        const view = neighbourhood(g, o.tenant!, rest[0], hops);
        if (!view) {
          console.error(`subject ${rest[0]} not found / 未找到该主体`);
          return 1;
        }
        console.log(JSON.stringify(view, null, 2));
        return 0;
      }
      if (sub === 'features') {
        if (!o.event) throw new Error('--event is required');
        const event = toEvent(JSON.parse(o.event), '--event');
        detectRings(g, { seed });
        const p = new GraphFeatureProvider(g);
        console.log(JSON.stringify((await p.compute(event, graphFeatureNames(g, event.tenantId ?? 'default'))).values, null, 2));
        return 0;
      }
      const rep = detectRings(g, { seed });
      const rings = rep.rings.filter((r) => o.all || r.suspicious).slice(0, limit).map(maskRing);
      if (o.json) {
        console.log(JSON.stringify({ ...rep, rings, capped: rep.capped.map((c) => ({ ...c, value: maskValue(c.kind, c.value) })) }, null, 2));
        return 0;
      }
      console.log(`components ${rep.components.count} (largest ${rep.components.largestSubjects} subjects), communities ${rep.communities.count}, ${rep.tookMs} ms`);
      console.log(`suspicious rings / 可疑团伙: ${rep.rings.filter((r) => r.suspicious).length}`);
      for (const r of rings) {
        const pattern = Object.entries(r.pattern).map(([k, n]) => `${k}×${n}`).join(' ');
        console.log(`  #${r.communityId} score ${r.score.toFixed(2)} size ${r.size} bad ${r.badCount} (${(r.badShare * 100).toFixed(0)}%) shares ${pattern}: ${r.members.slice(0, 8).join(', ')}${r.members.length > 8 ? ', …' : ''}`);
      }
      if (rep.capped.length > 0) console.log(`capped attributes / 超限属性 (excluded from linking): ${rep.capped.length}`);
      return 0;
    } catch (err) {
      console.error(`xiezhi graph: ${(err as Error).message}`);
      return 1;
    }
  },
};
