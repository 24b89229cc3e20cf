// POST /v1/events, /v1/events:batch, /v1/events:import and GET /v1/event-types.
import { PassThrough, type Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import type { FastifyInstance } from 'fastify';
import { BUILTIN_EVENT_TYPES } from '../../core/event.js';
import type { RiskEvent } from '../../core/event.js';
import { payloadHash } from '../../store/util.js';
import type { ServiceContext } from '../context.js';
import { requireRole } from '../auth.js';
import { HttpError, badRequest, errorBody } from '../errors.js';
import { CUSTOM_EVENT_TYPE_PATTERN, validateEvent } from '../event-validation.js';
import { decisionResponseSchema, errorSchema, eventSchema } from '../schemas.js';

export const MAX_BATCH = 1000;
const IMPORT_LIMIT = 256 * 1024 * 1024;

/**
 * The answer's schema for the serializer: `strategy` as a nullable object instead of anyOf, which
 * fast-json-stringify would settle by running a validator on every response.
 */
const decisionAnswerSchema = {
  ...decisionResponseSchema,
  properties: {
    ...decisionResponseSchema.properties,
    strategy: { type: 'object', nullable: true, properties: { id: { type: 'string' }, version: { type: 'integer' } } },
  },
} as const;

/** Body validation is done by validateEvent (per-type rules, exact field names); the schema documents it. */
const passBody = () => () => true;

export function eventRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Decide one event / 实时决策',
        body: eventSchema,
        querystring: { type: 'object', properties: { trace: { type: 'string', enum: ['0', '1', 'true', 'false'] } } },
        response: { 200: decisionAnswerSchema, '4xx': errorSchema },
      },
      validatorCompiler: passBody,
    },
    async (req) => {
      const auth = requireRole(req, 'analyst');
      const q = (req.query ?? {}) as Record<string, unknown>;
      if (q.trace !== undefined && !['0', '1', 'true', 'false'].includes(String(q.trace))) {
        throw badRequest([{ field: 'querystring.trace', message: 'must be 0, 1, true or false' }]);
      }
      const v = validateEvent(req.body);
      if (!v.ok) throw badRequest(v.fields);
      v.event.tenantId = auth.tenantId;
      return ctx.decider.decide(auth.tenantId, v.event, q.trace === '1' || q.trace === 'true');
    },
  );

  app.post(
    '/v1/events::batch',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['events'],
        summary: `Decide up to ${MAX_BATCH} events in order / 批量决策`,
        body: { type: 'object', required: ['events'], properties: { events: { type: 'array', maxItems: MAX_BATCH, items: eventSchema } } },
        response: { '4xx': errorSchema },
      },
      validatorCompiler: passBody,
    },
    async (req) => {
      const auth = requireRole(req, 'analyst');
      const body = req.body as { events?: unknown } | null;
      if (!body || typeof body !== 'object' || !Array.isArray(body.events)) throw badRequest([{ field: 'body.events', message: 'is required: an array of events' }]);
      if (body.events.length > MAX_BATCH) throw badRequest([{ field: 'body.events', message: `at most ${MAX_BATCH} events per batch (got ${body.events.length})` }]);
      const results: unknown[] = [];
      const commits: Promise<void>[] = [];
      for (let i = 0; i < body.events.length; i++) {
        const raw = body.events[i] as { id?: unknown };
        const eventId = typeof raw?.id === 'string' ? raw.id : null;
        const v = validateEvent(raw, `body.events[${i}]`);
        if (!v.ok) {
          results.push({ eventId, ...errorBody('validation', `event ${i} is invalid`, v.fields) });
          continue;
        }
        try {
          results.push(await ctx.decider.decide(auth.tenantId, v.event, false, commits));
        } catch (err) {
          if (err instanceof HttpError) results.push({ eventId, ...errorBody(err.code, err.message, err.fields) });
          else throw err;
        }
      }
      // Acknowledge only once every decision of the batch is committed.
      try {
        await Promise.all(commits);
      } catch (err) {
        throw new HttpError(503, 'store_unavailable', `the batch could not be stored; retry it with the same event ids / 批次未能保存，请重试: ${err instanceof Error ? err.message : String(err)}`);
      }
      return { results };
    },
  );

  app.register(async (scope) => {
    // Raw streams for history files; counted against IMPORT_LIMIT while reading.
    scope.addContentTypeParser(['text/csv', 'application/x-ndjson', 'application/ndjson', 'text/plain'], (_req, payload, done) => done(null, payload));
    scope.post(
      '/v1/events::import',
      {
        schema: {
          tags: ['events'],
          summary: 'Import history without decisions (CSV or NDJSON, streamed) / 导入历史事件',
          consumes: ['application/x-ndjson', 'text/csv'],
          response: { '4xx': errorSchema },
        },
      },
      async (req, reply) => {
        const auth = requireRole(req, 'analyst');
        const ct = String(req.headers['content-type'] ?? '');
        const body = req.body as Readable;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new HttpError(415, 'unsupported_media_type', 'send the file as text/csv or application/x-ndjson');
        }
        const out = new PassThrough();
        reply.type('application/x-ndjson').send(out);
        runImport(ctx, auth.tenantId, body, ct.includes('csv') ? 'csv' : 'ndjson', (line) => out.write(JSON.stringify(line) + '\n'))
          .then((summary) => out.end(JSON.stringify({ done: true, ...summary }) + '\n'))
          .catch((err: unknown) => {
            out.end(JSON.stringify({ done: false, ...errorBody('import_failed', err instanceof Error ? err.message : String(err)) }) + '\n');
          });
        return reply;
      },
    );
  });

  app.get('/v1/event-types', { schema: { tags: ['events'], summary: 'Event types / 事件类型' } }, async (req) => {
    const auth = requireRole(req, 'viewer');
    const bindings = await ctx.store.strategies.bindings(auth.tenantId);
    return { builtin: [...BUILTIN_EVENT_TYPES], customPattern: CUSTOM_EVENT_TYPE_PATTERN.source, bound: bindings.map((b) => b.eventType) };
  });
}

interface ImportSummary {
  rows: number;
  imported: number;
  duplicates: number;
  errors: { row: number; field?: string; message: string }[];
}

/** One CSV row (`subject.x`, `data.y` columns) to an event object. */
function csvRowToEvent(row: Record<string, string>): Record<string, unknown> {
  const ev: Record<string, unknown> = { subject: {}, data: {} };
  for (const [k, raw] of Object.entries(row)) {
    if (raw === '' || raw === undefined) continue;
    if (k.startsWith('subject.')) (ev.subject as Record<string, string>)[k.slice(8)] = raw;
    else if (k.startsWith('data.')) (ev.data as Record<string, unknown>)[k.slice(5)] = /^-?\d+(\.\d+)?$/.test(raw) && raw.length < 16 ? Number(raw) : raw;
    else if (k === 'occurredAt' && /^\d+$/.test(raw)) ev.occurredAt = Number(raw);
    else ev[k] = raw;
  }
  return ev;
}

export async function runImport(
  ctx: ServiceContext,
  tenantId: string,
  input: Readable,
  format: 'csv' | 'ndjson',
  progress: (line: unknown) => void,
): Promise<ImportSummary> {
  const s: ImportSummary = { rows: 0, imported: 0, duplicates: 0, errors: [] };
  let errorCount = 0;
  let bytes = 0;
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > IMPORT_LIMIT) input.destroy(new Error(`import larger than ${IMPORT_LIMIT} bytes`));
  });
  const fail = (row: number, message: string, field?: string) => {
    errorCount++;
    if (s.errors.length < 100) s.errors.push({ row, ...(field ? { field } : {}), message });
  };
  let pending: Promise<void>[] = [];
  const handle = async (raw: unknown, row: number) => {
    const v = validateEvent(raw, 'row');
    if (!v.ok) {
      for (const f of v.fields) fail(row, f.message, f.field.replace(/^row\.?/, ''));
      return;
    }
    const ev: RiskEvent = v.event;
    const hash = payloadHash(ev);
    const prev = await ctx.store.log.get(tenantId, ev.id);
    // (imports always read: they are not the hot path)
    if (prev) {
      if (prev.payloadHash === hash) s.duplicates++;
      else fail(row, `event ${ev.id} already stored with a different payload`, 'id');
      return;
    }
    await ctx.features.apply({ ...ev, tenantId }).catch(() => undefined);
    ctx.decider.markStored(tenantId, ev.id);
    pending.push(ctx.store.log.append({ tenantId, eventId: ev.id, eventType: ev.type, occurredAt: ev.occurredAt, subject: ev.subject, data: ev.data, payloadHash: hash }));
    s.imported++;
    if (pending.length >= 500) {
      await Promise.all(pending);
      pending = [];
    }
  };
  const tick = () => {
    if (s.rows % 1000 === 0) progress({ progress: { rows: s.rows, imported: s.imported, duplicates: s.duplicates, errors: errorCount } });
  };
  if (format === 'ndjson') {
    const rl = createInterface({ input, crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.trim() === '') continue;
      s.rows++;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        fail(s.rows, 'not valid JSON');
        tick();
        continue;
      }
      await handle(obj, s.rows);
      tick();
    }
  } else {
    const parser = input.pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }));
    input.on('error', (e) => parser.destroy(e));
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      s.rows++;
      await handle(csvRowToEvent(row), s.rows);
      tick();
    }
  }
  await Promise.all(pending);
  return { ...s, errors: s.errors, ...(errorCount > s.errors.length ? { errorCount } : {}) } as ImportSummary;
}
