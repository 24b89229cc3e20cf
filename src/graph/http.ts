// HTTP routes of the link graph, as a Fastify plugin the service registers:
//   GET /v1/graph/subjects/:id?hops=2   a subject's neighbourhood (nodes, edges, masked personal data)
//   GET /v1/graph/rings?limit=50&all=0  ranked suspicious groups from the latest ring job
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TENANT, type LinkGraph } from './link-graph.js';
import { detectRings, type RingReport, type RingJobOptions } from './rings.js';
import { maskRing, maskValue, neighbourhood } from './view.js';

export interface GraphRoutesOptions {
  graph: LinkGraph;
  /** Source of ring reports (a RingScheduler fits); default: run the job on first request, then reuse it. */
  rings?: { latest(): RingReport | undefined; runNow(): RingReport };
  /** Ring job options when `rings` is not given. */
  ringOptions?: RingJobOptions;
  /** The caller's tenant; default `req.auth.tenantId` (set by the service's auth hook), else `default`. */
  tenantOf?: (req: FastifyRequest) => string;
  /** Largest neighbourhood returned. Default 500 nodes. */
  maxNodes?: number;
}

function fail(reply: FastifyReply, status: number, code: string, message: string, fields: { field: string; message: string }[] = []): FastifyReply {
  return reply.code(status).send({ error: { code, message, fields } });
}

function intParam(v: unknown, def: number, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^\d{1,6}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

export const graphRoutes: FastifyPluginAsync<GraphRoutesOptions> = async (app, opts) => {
  const graph = opts.graph;
  const tenantOf = opts.tenantOf ?? ((req: FastifyRequest) => (req as FastifyRequest & { auth?: { tenantId?: string } }).auth?.tenantId ?? DEFAULT_TENANT);
  let cached: RingReport | undefined;
  const rings = opts.rings ?? {
    latest: () => cached,
    runNow: () => (cached = detectRings(graph, opts.ringOptions)),
  };
  const maxNodes = opts.maxNodes ?? 500;

  app.get('/v1/graph/subjects/:id', { schema: { tags: ['graph'], summary: "A subject's link neighbourhood / 主体关联关系 (hops 1–3, personal data masked)" } }, async (req, reply) => {
    const { id } = req.params as { id?: string };
    const q = req.query as Record<string, unknown>;
    const hops = intParam(q.hops, 2, 1, 3);
    const fields: { field: string; message: string }[] = [];
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) fields.push({ field: 'params.id', message: 'subject id must be 1–128 characters / 主体编号须为 1–128 个字符' });
    if (hops === undefined) fields.push({ field: 'query.hops', message: 'hops must be an integer from 1 to 3 / hops 须为 1 到 3 的整数' });
    if (fields.length > 0) return fail(reply, 400, 'validation', `request has invalid fields: ${fields.map((f) => f.field).join(', ')}`, fields);
    const view = neighbourhood(graph, tenantOf(req), id!, hops!, maxNodes);
    if (!view) return fail(reply, 404, 'not_found', `subject ${id} not found in the link graph / 关系图中没有该主体`);
    return view;
  });

  app.get('/v1/graph/rings', { schema: { tags: ['graph'], summary: 'Ranked suspicious groups / 可疑团伙排行 (limit 1–500, all=true for every group)' } }, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const limit = intParam(q.limit, 50, 1, 500);
    const all = q.all === undefined || q.all === '' ? false : q.all === '1' || q.all === 'true' ? true : q.all === '0' || q.all === 'false' ? false : undefined;
    const fields: { field: string; message: string }[] = [];
    if (limit === undefined) fields.push({ field: 'query.limit', message: 'limit must be an integer from 1 to 500 / limit 须为 1 到 500 的整数' });
    if (all === undefined) fields.push({ field: 'query.all', message: 'all must be true or false / all 须为 true 或 false' });
    if (fields.length > 0) return fail(reply, 400, 'validation', `request has invalid fields: ${fields.map((f) => f.field).join(', ')}`, fields);
    const tenantId = tenantOf(req);
    const report = rings.latest() ?? rings.runNow();
    const list = report.rings.filter((r) => r.tenantId === tenantId && (all || r.suspicious));
    return {
      generatedAt: report.generatedAt,
      total: list.length,
      rings: list.slice(0, limit).map(maskRing),
      capped: report.capped.filter((c) => c.tenantId === tenantId).map((c) => ({ ...c, value: maskValue(c.kind, c.value) })),
    };
  });
};
