// Strategy lifecycle: drafts CRUD, validate, test, publish, versions, diff, rollback, shadow, history.
import type { FastifyInstance } from 'fastify';
import type { StrategyBinding, StrategyRecord, StrategyVersion } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { authOf, requireRole } from '../auth.js';
import { HttpError, badRequest, fromStoreError, notFound } from '../errors.js';
import { compileStrategy, validateStrategy } from '../engine.js';
import { isValidEventType, validateEvent } from '../event-validation.js';
import { diffGraphs } from '../diff.js';
import { runGraphTests } from '../strategy-tests.js';
import { maskTrace } from '../decider.js';
import { errorSchema, idParam, paging, toIso } from '../schemas.js';

const graphSchema = { type: 'object', description: 'JDM graph {nodes, edges, tests?}', additionalProperties: true } as const;
const eventTypes = { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' }, maxItems: 64 } as const;
const strategyId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;

export const strategyOut = (s: StrategyRecord) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  eventTypes: s.eventTypes,
  draft: s.draft,
  latestVersion: s.latestVersion,
  createdAt: toIso(s.createdAt),
  updatedAt: toIso(s.updatedAt),
  updatedBy: s.updatedBy,
});

export const versionOut = (v: StrategyVersion, withContent: boolean) => ({
  strategyId: v.strategyId,
  version: v.version,
  eventTypes: v.eventTypes,
  comment: v.comment,
  publishedBy: v.publishedBy,
  publishedAt: toIso(v.publishedAt),
  ...(v.rolledBackFrom !== undefined ? { rolledBackFrom: v.rolledBackFrom } : {}),
  ...(withContent ? { content: v.content } : {}),
});

export const bindingOut = (b: StrategyBinding) => ({
  eventType: b.eventType,
  strategyId: b.strategyId,
  version: b.version,
  ...(b.shadow ? { shadow: b.shadow } : {}),
  updatedAt: toIso(b.updatedAt),
  updatedBy: b.updatedBy,
});

export function strategyRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const { store } = ctx;
  const S = store.strategies;
  const tags = ['strategies'];
  const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw fromStoreError(err);
    }
  };
  const must = async (tenantId: string, id: string) => {
    const s = await S.get(tenantId, id);
    if (!s) throw notFound(`strategy ${id}`);
    return s;
  };
  /** Compile issues of a graph as field errors (for 422 on publish). */
  const issuesOf = async (tenantId: string, graph: unknown) => validateStrategy(graph, await ctx.runtime.compileOptions(tenantId));

  app.get('/v1/strategies', { schema: { tags, summary: 'List strategies / 策略列表' } }, async (req) => {
    const a = requireRole(req, 'viewer');
    return { items: (await S.list(a.tenantId)).map(strategyOut) };
  });

  app.post(
    '/v1/strategies',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Create a strategy draft / 新建策略',
        body: {
          type: 'object',
          required: ['name', 'draft'],
          properties: { id: strategyId, name: { type: 'string', minLength: 1, maxLength: 200 }, description: { type: 'string', maxLength: 2000 }, eventTypes, draft: graphSchema },
        },
        response: { '4xx': errorSchema },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'analyst');
      const b = req.body as { id?: string; name: string; description?: string; eventTypes?: string[]; draft: unknown };
      const s = await wrap(() => S.create(a.tenantId, b, a.actor));
      reply.code(201);
      return strategyOut(s);
    },
  );

  app.get('/v1/strategies/:id', { schema: { tags, summary: 'Get a strategy / 策略详情', params: idParam } }, async (req) => {
    const a = requireRole(req, 'viewer');
    return strategyOut(await must(a.tenantId, (req.params as { id: string }).id));
  });

  app.put(
    '/v1/strategies/:id',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Update the draft / 修改草稿',
        params: idParam,
        body: {
          type: 'object',
          minProperties: 1,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, description: { type: 'string', maxLength: 2000 }, eventTypes, draft: graphSchema },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      await must(a.tenantId, id);
      return strategyOut(await wrap(() => S.updateDraft(a.tenantId, id, req.body as Record<string, unknown>, a.actor)));
    },
  );

  app.delete('/v1/strategies/:id', { schema: { tags, summary: 'Delete an unbound strategy / 删除策略', params: idParam } }, async (req, reply) => {
    const a = requireRole(req, 'analyst');
    const id = (req.params as { id: string }).id;
    const ok = await wrap(() => S.delete(a.tenantId, id, a.actor));
    if (!ok) throw notFound(`strategy ${id}`);
    reply.code(204);
    return null;
  });

  app.post(
    '/v1/strategies/:id/validate',
    { bodyLimit: 4 * 1024 * 1024, schema: { tags, summary: 'Validate a draft / 校验草稿', params: idParam, body: { type: 'object', properties: { draft: graphSchema } } } },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const id = (req.params as { id: string }).id;
      const body = (req.body ?? {}) as { draft?: unknown };
      const graph = body.draft ?? (await must(a.tenantId, id)).draft;
      const issues = await issuesOf(a.tenantId, graph);
      let paths: readonly string[] = [];
      if (issues.length === 0) {
        try {
          paths = compileStrategy(graph, await ctx.runtime.compileOptions(a.tenantId)).paths;
        } catch (err) {
          issues.push({ nodeId: '', message: err instanceof Error ? err.message : String(err) });
        }
      }
      return { valid: issues.length === 0, issues, paths };
    },
  );

  app.post(
    '/v1/strategies/:id/test',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Run the draft tests and sample events / 测试草稿',
        params: idParam,
        body: {
          type: 'object',
          properties: {
            draft: graphSchema,
            events: { type: 'array', maxItems: 1000, items: { type: 'object', additionalProperties: true } },
            runTests: { type: 'boolean' },
            trace: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const id = (req.params as { id: string }).id;
      const body = (req.body ?? {}) as { draft?: unknown; events?: Record<string, unknown>[]; runTests?: boolean; trace?: boolean };
      const graph = body.draft ?? (await must(a.tenantId, id)).draft;
      const issues = await issuesOf(a.tenantId, graph);
      if (issues.length > 0) {
        throw new HttpError(422, 'invalid_strategy', 'the draft does not compile', issues.map((i) => ({ field: `draft.nodes[${i.nodeId}]${i.field ? '.' + i.field : ''}`, message: i.message })));
      }
      const compiled = compileStrategy(graph, await ctx.runtime.compileOptions(a.tenantId));
      const now = ctx.clock();
      const tests = body.runTests === false ? [] : runGraphTests(compiled, (graph as { tests?: unknown }).tests, now);
      const events = (body.events ?? []).map((raw, i) => {
        const v = validateEvent(raw, `body.events[${i}]`);
        if (!v.ok) return { index: i, eventId: raw?.id ?? null, error: { code: 'validation', fields: v.fields } };
        const e = v.event;
        const features = raw.features && typeof raw.features === 'object' ? raw.features : {};
        try {
          const res = compiled.evaluate({ id: e.id, type: e.type, occurredAt: e.occurredAt, subject: e.subject, data: e.data, features }, { now, trace: body.trace === true });
          return { index: i, eventId: e.id, result: res.result, ...(res.trace ? { trace: maskTrace(res.trace) } : {}) };
        } catch (err) {
          return { index: i, eventId: e.id, error: { code: 'evaluation_failed', message: err instanceof Error ? err.message : String(err) } };
        }
      });
      const passed = tests.filter((t) => t.passed).length;
      return { tests, passed, failed: tests.length - passed, events };
    },
  );

  app.post(
    '/v1/strategies/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish the draft as a new version / 发布',
        params: idParam,
        body: { type: 'object', properties: { comment: { type: 'string', maxLength: 2000 }, eventTypes: { ...eventTypes, minItems: 1 } } },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      const body = (req.body ?? {}) as { comment?: string; eventTypes?: string[] };
      const s = await must(a.tenantId, id);
      const types = body.eventTypes ?? s.eventTypes;
      if (types.length === 0) throw badRequest([{ field: 'body.eventTypes', message: 'the strategy has no event types: name at least one to bind' }]);
      const bad = types.filter((t) => !isValidEventType(t));
      if (bad.length) throw badRequest([{ field: 'body.eventTypes', message: `invalid event types: ${bad.join(', ')}` }]);
      const issues = await issuesOf(a.tenantId, s.draft);
      if (issues.length > 0) {
        throw new HttpError(422, 'invalid_strategy', `the draft does not compile (${issues.length} issue${issues.length > 1 ? 's' : ''}); nothing was published`,
          issues.map((i) => ({ field: `draft.nodes[${i.nodeId}]${i.field ? '.' + i.field : ''}`, message: i.message })));
      }
      const v = await wrap(() => S.publish(a.tenantId, id, { actor: a.actor, comment: body.comment, eventTypes: types, content: s.draft }));
      ctx.runtime.invalidate(a.tenantId);
      reply.code(201);
      return versionOut(v, false);
    },
  );

  app.get('/v1/strategies/:id/versions', { schema: { tags, summary: 'Versions / 版本列表', params: idParam } }, async (req) => {
    const a = requireRole(req, 'viewer');
    const id = (req.params as { id: string }).id;
    await must(a.tenantId, id);
    return { items: (await S.listVersions(a.tenantId, id)).map((v) => versionOut(v, false)) };
  });

  app.get(
    '/v1/strategies/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version with content / 版本详情',
        params: { type: 'object', required: ['id', 'version'], properties: { id: idParam.properties.id, version: { type: 'integer', minimum: 1 } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const p = req.params as { id: string; version: number };
      const v = await S.getVersion(a.tenantId, p.id, p.version);
      if (!v) throw notFound(`strategy ${p.id} version ${p.version}`);
      return versionOut(v, true);
    },
  );

  app.get(
    '/v1/strategies/:id/diff',
    {
      schema: {
        tags,
        summary: 'Structural diff of two versions / 版本对比',
        params: idParam,
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: { type: 'string', pattern: '^([1-9][0-9]{0,8}|draft)$' }, to: { type: 'string', pattern: '^([1-9][0-9]{0,8}|draft)$' } },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const id = (req.params as { id: string }).id;
      const q = req.query as { from: string; to: string };
      const s = await must(a.tenantId, id);
      const load = async (which: string, field: string) => {
        if (which === 'draft') return { content: s.draft, eventTypes: s.eventTypes };
        const v = await S.getVersion(a.tenantId, id, Number(which));
        if (!v) throw new HttpError(404, 'not_found', `strategy ${id} has no version ${which}`, [{ field: `querystring.${field}`, message: 'no such version' }]);
        return v;
      };
      const [f, t] = [await load(q.from, 'from'), await load(q.to, 'to')];
      return { from: q.from === 'draft' ? 'draft' : Number(q.from), to: q.to === 'draft' ? 'draft' : Number(q.to), ...diffGraphs(f.content, t.content), eventTypes: { from: f.eventTypes, to: t.eventTypes } };
    },
  );

  app.post(
    '/v1/strategies/:id/rollback',
    {
      schema: {
        tags,
        summary: 'Roll back to an older version (published as a new one) / 回滚',
        params: idParam,
        body: { type: 'object', required: ['toVersion'], properties: { toVersion: { type: 'integer', minimum: 1 }, comment: { type: 'string', maxLength: 2000 } } },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'analyst');
      const id = (req.params as { id: string }).id;
      const b = req.body as { toVersion: number; comment?: string };
      await must(a.tenantId, id);
      if (!(await S.getVersion(a.tenantId, id, b.toVersion))) throw new HttpError(404, 'not_found', `strategy ${id} has no version ${b.toVersion}`, [{ field: 'body.toVersion', message: 'no such version' }]);
      const v = await wrap(() => S.rollback(a.tenantId, id, b.toVersion, { actor: a.actor, comment: b.comment }));
      ctx.runtime.invalidate(a.tenantId);
      reply.code(201);
      return versionOut(v, false);
    },
  );

  app.get(
    '/v1/strategies/:id/history',
    { schema: { tags, summary: 'Change history (who, when) / 变更记录', params: idParam, querystring: { type: 'object', properties: paging } } },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const id = (req.params as { id: string }).id;
      const q = req.query as { limit?: number; offset?: number };
      return { items: (await S.history(a.tenantId, id, q)).map((e) => ({ ...e, at: toIso(e.at) })) };
    },
  );

  app.get('/v1/bindings', { schema: { tags, summary: 'Event type bindings / 事件绑定' } }, async (req) => {
    const a = requireRole(req, 'viewer');
    return { items: (await S.bindings(a.tenantId)).map(bindingOut) };
  });

  const typeParam = { type: 'object', required: ['eventType'], properties: { eventType: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } } } as const;
  app.put(
    '/v1/bindings/:eventType/shadow',
    {
      schema: {
        tags,
        summary: 'Set the shadow version for an event type / 设置影子版本',
        params: typeParam,
        body: { type: 'object', required: ['strategyId', 'version'], properties: { strategyId, version: { type: 'integer', minimum: 1 } } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const et = (req.params as { eventType: string }).eventType;
      const b = req.body as { strategyId: string; version: number };
      if (!(await S.binding(a.tenantId, et))) throw new HttpError(404, 'not_found', `no strategy is published for ${et}`, [{ field: 'params.eventType', message: 'not bound' }]);
      if (!(await S.getVersion(a.tenantId, b.strategyId, b.version))) throw new HttpError(404, 'not_found', `strategy ${b.strategyId} has no version ${b.version}`, [{ field: 'body.version', message: 'no such version' }]);
      const out = await wrap(() => S.setShadow(a.tenantId, et, b, a.actor));
      ctx.runtime.invalidate(a.tenantId);
      return bindingOut(out);
    },
  );

  app.delete('/v1/bindings/:eventType/shadow', { schema: { tags, summary: 'Clear the shadow version / 取消影子', params: typeParam } }, async (req) => {
    const a = requireRole(req, 'analyst');
    const et = (req.params as { eventType: string }).eventType;
    if (!(await S.binding(a.tenantId, et))) throw notFound(`binding for ${et}`);
    const out = await wrap(() => S.setShadow(a.tenantId, et, null, a.actor));
    ctx.runtime.invalidate(a.tenantId);
    return bindingOut(out);
  });

  app.delete('/v1/bindings/:eventType', { schema: { tags, summary: 'Unbind an event type / 解绑', params: typeParam } }, async (req, reply) => {
    const a = requireRole(req, 'analyst');
    const et = (req.params as { eventType: string }).eventType;
    if (!(await wrap(() => S.unbind(a.tenantId, et, a.actor)))) throw notFound(`binding for ${et}`);
    ctx.runtime.invalidate(a.tenantId);
    reply.code(204);
    return null;
  });

  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit trail / 审计日志',
        querystring: { type: 'object', properties: { entityType: { type: 'string', maxLength: 64 }, entityId: { type: 'string', maxLength: 128 }, ...paging } },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      return { items: (await store.audit.list(a.tenantId, req.query as Record<string, never>)).map((e) => ({ ...e, at: toIso(e.at) })) };
    },
  );

  app.get('/v1/templates', { schema: { tags, summary: 'Strategy templates / 策略模板' } }, async (req) => {
    authOf(req);
    return { items: await ctx.templates() };
  });
}
