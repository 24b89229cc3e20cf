// POST /v1/labels (the feedback loop's entry) and GET /v1/labels.
import type { FastifyInstance } from 'fastify';
import type { LabelRecord } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { requireRole } from '../auth.js';
import { badRequest, fromStoreError, notFound } from '../errors.js';
import { parseTime } from '../event-validation.js';
import { subjectSchema, toIso } from '../schemas.js';

const labelOut = (l: LabelRecord) => ({ ...l, observedAt: toIso(l.observedAt), createdAt: toIso(l.createdAt) });

export function labelRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const tags = ['labels'];
  app.post(
    '/v1/labels',
    {
      schema: {
        tags,
        summary: 'Record an outcome label / 提交标签',
        body: {
          type: 'object',
          required: ['label', 'observedAt'],
          properties: {
            eventId: { type: 'string', minLength: 1, maxLength: 128 },
            subject: subjectSchema,
            label: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'fraud, chargeback, default, good or a custom lowercase label' },
            observedAt: { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'number' }] },
            source: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'reviewer');
      const b = req.body as { eventId?: string; subject?: Record<string, string>; label: string; observedAt: unknown; source?: string };
      const fields: { field: string; message: string }[] = [];
      const observedAt = parseTime(b.observedAt);
      if (observedAt === undefined) fields.push({ field: 'body.observedAt', message: 'must be an ISO-8601 date-time or epoch ms' });
      const subject = b.subject && Object.keys(b.subject).length > 0 ? b.subject : undefined;
      if (!b.eventId && !subject) fields.push({ field: 'body.eventId', message: 'give eventId or a subject with at least one field' });
      if (fields.length) throw badRequest(fields);
      if (b.eventId && !(await ctx.store.log.get(a.tenantId, b.eventId))) throw notFound(`event ${b.eventId}`);
      try {
        const l = await ctx.store.labels.add(a.tenantId, { eventId: b.eventId, subject, label: b.label, observedAt: observedAt as number, source: b.source ?? a.actor });
        reply.code(201);
        return labelOut(l);
      } catch (err) {
        throw fromStoreError(err);
      }
    },
  );

  app.get(
    '/v1/labels',
    {
      schema: {
        tags,
        summary: 'List labels / 标签查询',
        querystring: {
          type: 'object',
          properties: {
            eventId: { type: 'string', maxLength: 128 },
            subjectField: { type: 'string', maxLength: 64 },
            subjectValue: { type: 'string', maxLength: 512 },
            label: { type: 'string', maxLength: 64 },
            from: { type: 'string', maxLength: 40 },
            to: { type: 'string', maxLength: 40 },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const q = req.query as Record<string, string | number | undefined>;
      const fields: { field: string; message: string }[] = [];
      const tm = (k: string) => {
        const v = q[k];
        if (v === undefined) return undefined;
        const t = parseTime(/^\d+$/.test(String(v)) ? Number(v) : v);
        if (t === undefined) fields.push({ field: `querystring.${k}`, message: 'must be an ISO-8601 date-time or epoch ms' });
        return t;
      };
      const from = tm('from');
      const to = tm('to');
      if ((q.subjectField === undefined) !== (q.subjectValue === undefined)) fields.push({ field: 'querystring.subjectField', message: 'subjectField and subjectValue go together' });
      if (fields.length) throw badRequest(fields);
      const items = await ctx.store.labels.list(a.tenantId, {
        eventId: q.eventId as string | undefined,
        subject: q.subjectField ? { field: String(q.subjectField), value: String(q.subjectValue) } : undefined,
        label: q.label as string | undefined,
        from,
        to,
        limit: q.limit as number | undefined,
        offset: q.offset as number | undefined,
      });
      return { items: items.map(labelOut) };
    },
  );
}
