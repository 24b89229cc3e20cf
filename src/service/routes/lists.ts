// Name lists (黑/白/灰名单): lists CRUD, entries, CSV import/export and a lookup.
import type { FastifyInstance } from 'fastify';
import { exportListCsv, parseListCsv, upsertCsvRows } from '../../lists/index.js';
import { maskField } from '../../core/mask.js';
import { LIST_CATEGORIES, LIST_DIMENSIONS, LIST_KINDS } from '../../store/types.js';
import type { ListDimension, ListEntry, ListEntryInput, ListKind, NameList } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { requireRole } from '../auth.js';
import { HttpError, badRequest, fromStoreError, notFound } from '../errors.js';
import { parseTime } from '../event-validation.js';
import { idParam, toIso } from '../schemas.js';

const IMPORT_LIMIT = 64 * 1024 * 1024;

const listOut = (l: NameList, entryCount?: number) => ({
  id: l.id,
  name: l.name,
  dimension: l.dimension,
  kind: l.kind,
  description: l.description,
  createdAt: toIso(l.createdAt),
  updatedAt: toIso(l.updatedAt),
  ...(entryCount !== undefined ? { entryCount } : {}),
});

/** Personal values are masked for list viewers; dimension names map to mask kinds. */
const maskValue = (dimension: string, v: string) => (dimension === 'userId' || dimension === 'ip' || dimension === 'deviceId' ? v : maskField(dimension, v));

const entryOut = (dimension: string, e: ListEntry, unmask: boolean) => ({
  value: unmask ? e.value : maskValue(dimension, e.value),
  ...(e.category ? { category: e.category } : {}),
  ...(e.riskIntensity !== undefined ? { riskIntensity: e.riskIntensity } : {}),
  collectionCount: e.collectionCount,
  ...(e.source ? { source: e.source } : {}),
  ...(e.reason ? { reason: e.reason } : {}),
  ...(e.expiresAt !== undefined ? { expiresAt: toIso(e.expiresAt) } : {}),
  createdAt: toIso(e.createdAt),
  updatedAt: toIso(e.updatedAt),
});

const entrySchema = {
  type: 'object',
  required: ['value'],
  properties: {
    value: { type: 'string', minLength: 1, maxLength: 512 },
    category: { type: 'string', enum: [...LIST_CATEGORIES] },
    riskIntensity: { anyOf: [{ type: 'integer', minimum: 1, maximum: 5 }, { type: 'string', enum: ['low', 'medium', 'high'] }] },
    collectionCount: { type: 'integer', minimum: 0 },
    source: { type: 'string', maxLength: 200 },
    reason: { type: 'string', maxLength: 1000 },
    expiresAt: { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'integer' }] },
  },
} as const;

function toEntryInput(raw: Record<string, unknown>, field: string, fields: { field: string; message: string }[]): ListEntryInput | undefined {
  const e: ListEntryInput = { value: String(raw.value ?? '').trim() };
  if (!e.value) fields.push({ field: `${field}.value`, message: 'is required' });
  if (raw.category !== undefined && raw.category !== '') {
    if (!(LIST_CATEGORIES as readonly string[]).includes(String(raw.category))) fields.push({ field: `${field}.category`, message: `must be one of ${LIST_CATEGORIES.join(', ')}` });
    else e.category = raw.category as ListEntryInput['category'];
  }
  if (raw.riskIntensity !== undefined && raw.riskIntensity !== '') {
    const r = raw.riskIntensity;
    e.riskIntensity = typeof r === 'string' && /^\d+$/.test(r) ? Number(r) : (r as ListEntryInput['riskIntensity']);
  }
  if (raw.collectionCount !== undefined && raw.collectionCount !== '') {
    const n = Number(raw.collectionCount);
    if (!Number.isInteger(n) || n < 0) fields.push({ field: `${field}.collectionCount`, message: 'must be a whole number >= 0' });
    else e.collectionCount = n;
  }
  if (raw.source) e.source = String(raw.source);
  if (raw.reason) e.reason = String(raw.reason);
  if (raw.expiresAt !== undefined && raw.expiresAt !== '') {
    const t = parseTime(typeof raw.expiresAt === 'string' && /^\d+$/.test(raw.expiresAt) ? Number(raw.expiresAt) : raw.expiresAt);
    if (t === undefined) fields.push({ field: `${field}.expiresAt`, message: 'must be an ISO-8601 date-time or epoch ms' });
    else e.expiresAt = t;
  }
  return e;
}

export function listRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const L = ctx.store.lists;
  const tags = ['lists'];
  const must = async (tenantId: string, id: string) => {
    const l = await L.getList(tenantId, id);
    if (!l) throw notFound(`list ${id}`);
    return l;
  };
  const wrap = async <T>(f: () => Promise<T>, prefix = 'body'): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw fromStoreError(err, prefix);
    }
  };

  app.get(
    '/v1/lists',
    { schema: { tags, summary: 'Name lists / 名单列表', querystring: { type: 'object', properties: { dimension: { type: 'string', enum: [...LIST_DIMENSIONS] }, kind: { type: 'string', enum: [...LIST_KINDS] } } } } },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const lists = await L.lists(a.tenantId, req.query as { dimension?: ListDimension; kind?: ListKind });
      return { items: await Promise.all(lists.map(async (l) => listOut(l, await L.countEntries(a.tenantId, l.id)))) };
    },
  );

  app.post(
    '/v1/lists',
    {
      schema: {
        tags,
        summary: 'Create a list / 新建名单',
        body: {
          type: 'object',
          required: ['name', 'dimension', 'kind'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            dimension: { type: 'string', enum: [...LIST_DIMENSIONS] },
            kind: { type: 'string', enum: [...LIST_KINDS] },
            description: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'analyst');
      const l = await wrap(() => L.createList(a.tenantId, req.body as { name: string; dimension: ListDimension; kind: ListKind }, a.actor));
      reply.code(201);
      return listOut(l, 0);
    },
  );

  app.get('/v1/lists/:id', { schema: { tags, summary: 'One list / 名单详情', params: idParam } }, async (req) => {
    const a = requireRole(req, 'viewer');
    const l = await must(a.tenantId, (req.params as { id: string }).id);
    return listOut(l, await L.countEntries(a.tenantId, l.id));
  });

  app.patch(
    '/v1/lists/:id',
    {
      schema: {
        tags,
        summary: 'Update a list / 修改名单',
        params: idParam,
        body: { type: 'object', minProperties: 1, properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, kind: { type: 'string', enum: [...LIST_KINDS] }, description: { type: 'string', maxLength: 2000 } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      await must(a.tenantId, id);
      return listOut(await wrap(() => L.updateList(a.tenantId, id, req.body as { name?: string }, a.actor)));
    },
  );

  app.delete('/v1/lists/:id', { schema: { tags, summary: 'Delete a list / 删除名单', params: idParam } }, async (req, reply) => {
    const a = requireRole(req, 'analyst');
    const id = (req.params as { id: string }).id;
    if (!(await wrap(() => L.deleteList(a.tenantId, id, a.actor)))) throw notFound(`list ${id}`);
    reply.code(204);
    return null;
  });

  app.get(
    '/v1/lists/:id/entries',
    {
      schema: {
        tags,
        summary: 'Entries / 名单条目',
        params: idParam,
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string', maxLength: 200 },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
            includeExpired: { type: 'string', enum: ['0', '1'] },
            unmask: { type: 'string', enum: ['0', '1'] },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const id = (req.params as { id: string }).id;
      const q = req.query as { search?: string; limit?: number; offset?: number; includeExpired?: string; unmask?: string };
      if (q.unmask === '1') requireRole(req, 'analyst');
      const l = await must(a.tenantId, id);
      const includeExpired = q.includeExpired === '1';
      const items = await L.entries(a.tenantId, id, { includeExpired, limit: q.limit ?? 100, offset: q.offset, search: q.search });
      return { items: items.map((e) => entryOut(l.dimension, e, q.unmask === '1')), total: await L.countEntries(a.tenantId, id, includeExpired) };
    },
  );

  app.post(
    '/v1/lists/:id/entries',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: { tags, summary: 'Add or replace entries / 添加条目', params: idParam, body: { type: 'object', required: ['entries'], properties: { entries: { type: 'array', minItems: 1, maxItems: 10000, items: entrySchema } } } },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      await must(a.tenantId, id);
      const fields: { field: string; message: string }[] = [];
      const entries = (req.body as { entries: Record<string, unknown>[] }).entries.map((e, i) => toEntryInput(e, `body.entries[${i}]`, fields));
      if (fields.length) throw badRequest(fields);
      return wrap(() => L.upsertEntries(a.tenantId, id, entries as ListEntryInput[], a.actor), 'body');
    },
  );

  app.delete(
    '/v1/lists/:id/entries',
    {
      schema: { tags, summary: 'Delete entries / 删除条目', params: idParam, body: { type: 'object', required: ['values'], properties: { values: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 512 } } } } },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      await must(a.tenantId, id);
      return { deleted: await wrap(() => L.deleteEntries(a.tenantId, id, (req.body as { values: string[] }).values, a.actor)) };
    },
  );

  app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'text/plain', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(
      '/v1/lists/:id/import',
      { bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Import entries from CSV (UTF-8 or GBK) / 导入名单', params: idParam, consumes: ['text/csv'] } },
      async (req) => {
        const a = requireRole(req, 'analyst');
        const id = (req.params as { id: string }).id;
        const list = await must(a.tenantId, id);
        if (!Buffer.isBuffer(req.body)) throw new HttpError(415, 'unsupported_media_type', 'send the CSV file as text/csv');
        // All or nothing: a file with any bad row writes nothing, and every bad cell is named by line.
        const parsed = parseListCsv(req.body, list.dimension);
        if (parsed.errors.length) {
          throw badRequest(
            parsed.errors.slice(0, 100).map((e) => ({ field: `line ${e.line}${e.field ? '.' + e.field : ''}`, message: e.message })),
            `${parsed.errors.length} invalid row(s); nothing was imported`,
          );
        }
        const { inserted, updated } = await wrap(() => upsertCsvRows(L, a.tenantId, id, parsed.rows, a.actor), 'row');
        return { rows: parsed.rows.length, inserted, updated, ...(parsed.ignoredColumns.length ? { ignoredColumns: parsed.ignoredColumns } : {}) };
      },
    );
  });

  app.get('/v1/lists/:id/export', { schema: { tags, summary: 'Export entries as CSV / 导出名单', params: idParam, querystring: { type: 'object', properties: { header: { type: 'string', enum: ['en', 'zh'] } } } } }, async (req, reply) => {
    const a = requireRole(req, 'analyst');
    const id = (req.params as { id: string }).id;
    await must(a.tenantId, id);
    const csv = await exportListCsv(L, a.tenantId, id, { header: (req.query as { header?: 'en' | 'zh' }).header ?? 'en' });
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${id}.csv"`);
    return csv;
  });

  app.get(
    '/v1/lists/lookup',
    {
      schema: {
        tags,
        summary: 'Which lists hold a value / 名单查询',
        querystring: { type: 'object', required: ['dimension', 'value'], properties: { dimension: { type: 'string', enum: [...LIST_DIMENSIONS] }, value: { type: 'string', minLength: 1, maxLength: 512 } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const q = req.query as { dimension: string; value: string };
      return { hits: await ctx.lists.lookup(a.tenantId, q.dimension, q.value) };
    },
  );
}
