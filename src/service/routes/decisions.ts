// Decision log reads: one decision by event id, a paginated search, and the dashboard stats.
import type { FastifyInstance } from 'fastify';
import { maskPersonalData } from '../../core/mask.js';
import { INDEXED_SUBJECT_FIELDS } from '../../store/types.js';
import type { DecisionQuery, DecisionRecord, IndexedSubjectField } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { requireRole } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { parseTime } from '../event-validation.js';
import { toIso } from '../schemas.js';

export function decisionOut(r: DecisionRecord, detail: boolean, unmask: boolean) {
  return {
    eventId: r.eventId,
    eventType: r.eventType,
    occurredAt: toIso(r.occurredAt),
    recordedAt: toIso(r.recordedAt),
    subject: unmask ? r.subject : maskPersonalData(r.subject),
    data: unmask ? r.data : maskPersonalData(r.data),
    decision: r.decision ?? null,
    score: r.score ?? null,
    riskLevel: r.riskLevel ?? null,
    reasons: r.reasons ?? [],
    outputs: r.outputs ?? {},
    strategy: r.strategyId ? { id: r.strategyId, version: r.strategyVersion ?? 0 } : null,
    rulesHit: r.rulesHit ?? [],
    latencyMs: r.latencyMs ?? null,
    ...(r.degraded ? { degraded: r.degraded } : {}),
    ...(r.shadow ? { shadow: r.shadow } : {}),
    ...(detail && r.trace ? { trace: r.trace } : {}),
    ...(detail && r.features ? { features: r.features } : {}),
  };
}

const timeQ = { type: 'string', maxLength: 40, description: 'ISO-8601 or epoch ms' } as const;

/** Parses optional from/to query times, naming bad ones. */
function times(q: Record<string, unknown>, fields: { field: string; message: string }[]): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  for (const k of ['from', 'to'] as const) {
    const v = q[k];
    if (v === undefined || v === '') continue;
    const t = parseTime(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
    if (t === undefined) fields.push({ field: `querystring.${k}`, message: 'must be an ISO-8601 date-time or epoch ms' });
    else out[k] = t;
  }
  return out;
}

export function decisionRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const tags = ['decisions'];
  app.get(
    '/v1/decisions/:eventId',
    {
      schema: {
        tags,
        summary: 'One decision by event id / 决策详情',
        params: { type: 'object', required: ['eventId'], properties: { eventId: { type: 'string', minLength: 1, maxLength: 128 } } },
        querystring: { type: 'object', properties: { unmask: { type: 'string', enum: ['0', '1'] } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const { eventId } = req.params as { eventId: string };
      const unmask = (req.query as { unmask?: string }).unmask === '1';
      if (unmask) requireRole(req, 'admin');
      const r = await ctx.store.log.get(a.tenantId, eventId);
      if (!r) throw notFound(`decision for event ${eventId}`);
      const labels = await ctx.store.labels.list(a.tenantId, { eventId, limit: 100 });
      return { ...decisionOut(r, true, unmask), labels: labels.map((l) => ({ ...l, observedAt: toIso(l.observedAt), createdAt: toIso(l.createdAt) })) };
    },
  );

  app.get(
    '/v1/decisions',
    {
      schema: {
        tags,
        summary: 'Search decisions / 决策查询',
        querystring: {
          type: 'object',
          properties: {
            subjectField: { type: 'string', enum: [...INDEXED_SUBJECT_FIELDS] },
            subjectValue: { type: 'string', minLength: 1, maxLength: 512 },
            decision: { type: 'string', enum: ['approve', 'review', 'reject'] },
            eventType: { type: 'string', maxLength: 64 },
            strategyId: { type: 'string', maxLength: 64 },
            strategyVersion: { type: 'integer', minimum: 1 },
            from: timeQ,
            to: timeQ,
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
            cursor: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const q = req.query as Record<string, unknown>;
      const fields: { field: string; message: string }[] = [];
      const t = times(q, fields);
      if ((q.subjectField === undefined) !== (q.subjectValue === undefined)) {
        fields.push({ field: q.subjectField === undefined ? 'querystring.subjectField' : 'querystring.subjectValue', message: 'subjectField and subjectValue go together' });
      }
      if (fields.length) throw badRequest(fields);
      const query: DecisionQuery = {
        ...(q.subjectField ? { subject: { field: q.subjectField as IndexedSubjectField, value: String(q.subjectValue) } } : {}),
        decision: q.decision as DecisionQuery['decision'],
        eventType: q.eventType as string | undefined,
        strategyId: q.strategyId as string | undefined,
        strategyVersion: q.strategyVersion as number | undefined,
        ...t,
        limit: (q.limit as number | undefined) ?? 50,
        offset: q.offset as number | undefined,
        cursor: q.cursor as string | undefined,
      };
      let page;
      try {
        page = await ctx.store.log.search(a.tenantId, query);
      } catch (err) {
        if (/cursor/i.test(String((err as Error)?.message))) throw badRequest([{ field: 'querystring.cursor', message: 'is not a cursor from a previous page' }]);
        throw err;
      }
      return { items: page.items.map((r) => decisionOut(r, false, false)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );

  app.get(
    '/v1/stats',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Dashboard statistics / 看板统计',
        querystring: { type: 'object', properties: { from: timeQ, to: timeQ, bucket: { type: 'string', enum: ['minute', 'hour'] }, topRules: { type: 'integer', minimum: 1, maximum: 100 } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const q = req.query as Record<string, unknown>;
      const fields: { field: string; message: string }[] = [];
      const t = times(q, fields);
      const to = t.to ?? ctx.clock();
      const from = t.from ?? to - 24 * 3600_000;
      if (from >= to) fields.push({ field: 'querystring.from', message: 'must be before to' });
      const bucket = (q.bucket as 'minute' | 'hour' | undefined) ?? (to - from <= 6 * 3600_000 ? 'minute' : 'hour');
      if (bucket === 'minute' && to - from > 7 * 24 * 3600_000) fields.push({ field: 'querystring.bucket', message: 'minute buckets cover at most 7 days' });
      if (fields.length) throw badRequest(fields);
      const s = await ctx.store.log.stats(a.tenantId, { from, to, bucket, topRules: q.topRules as number | undefined });
      const decided = (s.byDecision.approve ?? 0) + (s.byDecision.review ?? 0) + (s.byDecision.reject ?? 0);
      const rate = (n: number | undefined) => (decided > 0 ? Math.round(((n ?? 0) / decided) * 10000) / 10000 : 0);
      return {
        from: toIso(from),
        to: toIso(to),
        bucket,
        total: s.total,
        byDecision: s.byDecision,
        byEventType: s.byEventType,
        rejectRate: rate(s.byDecision.reject),
        reviewRate: rate(s.byDecision.review),
        series: s.buckets.map((b) => ({ ...b, start: toIso(b.start) })),
        topRules: s.topRules,
        ...(s.latency ? { latency: s.latency } : {}),
        degraded: s.degraded,
      };
    },
  );
}
