// Model registry routes: list a tenant's models, read one version, register a new version (a model file from
// `xiezhi model train --out` / `xiezhi model import --out`, or a raw XGBoost JSON / LightGBM text / PMML),
// train a new version from an uploaded CSV (a job with progress), and promote a version into a strategy draft.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth.js';
import { HttpError, badRequest, fromStoreError, notFound } from '../errors.js';
import type { TenantModels } from '../models.js';
import type { ServiceContext } from '../context.js';
import { ModelError } from '../../models/errors.js';
import { importModelText, type ModelArtifact } from '../../models/model.js';
import { TrainingJobs } from '../model-training.js';
import { trainingRoutes } from '../model-training-routes.js';
import { promoteIntoGraph } from '../model-promotion.js';
import { validateStrategy } from '../engine.js';
import { strategyOut } from './strategies.js';

const ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,99}$';

/** A ModelError is the caller's bad model: 422 with both languages. */
function modelError(err: unknown): unknown {
  if (err instanceof ModelError) return new HttpError(422, err.code, `${err.message} / ${err.zh}`, [{ field: 'body.model', message: err.message }]);
  return fromStoreError(err);
}

export function modelRoutes(app: FastifyInstance, ctx: ServiceContext, models: TenantModels): void {
  const tags = ['models'];
  app.get(
    '/v1/models',
    {
      schema: {
        tags,
        summary: 'Registered models / 模型列表',
        querystring: { type: 'object', properties: { id: { type: 'string', pattern: ID_PATTERN } }, additionalProperties: false },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const { id } = req.query as { id?: string };
      return { items: await models.repository(a.tenantId).list(id) };
    },
  );

  app.get(
    '/v1/models/:id/versions/:v',
    {
      schema: {
        tags,
        summary: 'One model version (with its artifact) / 模型版本详情',
        params: {
          type: 'object',
          required: ['id', 'v'],
          properties: { id: { type: 'string', pattern: ID_PATTERN }, v: { type: 'string', pattern: '^([1-9][0-9]{0,8}|latest)$', description: 'a version number or latest' } },
        },
        querystring: {
          type: 'object',
          properties: { artifact: { type: 'boolean', default: true, description: 'false leaves out the model artifact (trees, bins): metrics, binning and report only' } },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'viewer');
      const { id, v } = req.params as { id: string; v: string };
      const found = await models.repository(a.tenantId).get(id, v === 'latest' ? undefined : Number(v));
      if (!found) throw notFound(`model ${id} version ${v}`);
      if ((req.query as { artifact?: boolean }).artifact === false) {
        // The console's detail view: tables and curves without the (possibly multi-MiB) trees.
        const { model: _model, ...rest } = found;
        return rest;
      }
      return found;
    },
  );

  app.post(
    '/v1/models',
    {
      // Tree ensembles with many trees run to several MiB of JSON.
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Register a model version / 登记模型版本',
        description:
          '`model`: a Xiezhi model file (`format: "xiezhi.model"`, from `xiezhi model train --out` or `xiezhi model import --out`), ' +
          'or `modelText`: an XGBoost JSON dump, a LightGBM text model or PMML, imported here. Each save is the next immutable version.',
        body: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: ID_PATTERN },
            model: { type: 'object' },
            modelText: { type: 'string', minLength: 1 },
            description: { type: 'string', maxLength: 2000 },
            author: { type: 'string', maxLength: 200 },
            metrics: { type: 'object' },
            fingerprint: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'analyst');
      const b = req.body as { id: string; model?: Record<string, unknown>; modelText?: string; description?: string; author?: string; metrics?: Record<string, unknown>; fingerprint?: string };
      if ((b.model === undefined) === (b.modelText === undefined)) {
        throw badRequest([{ field: 'body.model', message: 'give exactly one of model (a xiezhi.model file) or modelText (XGBoost JSON, LightGBM text, PMML)' }]);
      }
      let model: ModelArtifact;
      try {
        model = b.model !== undefined ? (b.model as unknown as ModelArtifact) : importModelText(b.modelText!);
      } catch (err) {
        // Whatever the importer trips on is the file's fault: 422, never a 500.
        if (err instanceof ModelError) throw modelError(err);
        const msg = err instanceof Error ? err.message : String(err);
        throw new HttpError(422, 'bad_model', `the model text cannot be imported: ${msg} / 模型文件无法导入：${msg}`, [{ field: 'body.modelText', message: msg }]);
      }
      try {
        const v = await models.register(a.tenantId, {
          id: b.id,
          model,
          author: b.author ?? a.actor,
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.metrics !== undefined ? { metrics: b.metrics } : {}),
          ...(b.fingerprint !== undefined ? { fingerprint: b.fingerprint } : {}),
        });
        await ctx.store.audit.record(a.tenantId, { actor: a.actor, action: 'model.register', entityType: 'model', entityId: v.id, detail: { version: v.version, type: v.type } });
        reply.code(201);
        return { id: v.id, version: v.version, type: v.type, features: v.features, createdAt: v.createdAt, author: v.author };
      } catch (err) {
        throw modelError(err);
      }
    },
  );

  const jobs = new TrainingJobs(models, ctx.clock, {
    onRegistered: (tenantId, v, job) =>
      ctx.store.audit.record(tenantId, { actor: job.author, action: 'model.train', entityType: 'model', entityId: v.id, detail: { version: v.version, type: v.type, jobId: job.id, auc: job.result?.metrics.auc } }),
  });
  app.addHook('onClose', () => jobs.close());
  trainingRoutes(app, jobs, (tenantId, actor, job) =>
    ctx.store.audit.record(tenantId, { actor, action: 'model.train_cancel', entityType: 'model', entityId: job.modelId, detail: { jobId: job.id, type: job.type, percent: job.percent } }),
  );

  app.post(
    '/v1/models/:id/versions/:v/promote',
    {
      schema: {
        tags,
        summary: 'Promote a version into a strategy draft / 将模型版本推送到策略草稿',
        description:
          'Writes a new draft of the strategy: every `model` node with this modelId is pinned to the version; for a scorecard, ' +
          '`scorecardNode` names a `scorecard` node whose bins and points are replaced by the version\'s. Test and publish the draft as usual.',
        params: {
          type: 'object',
          required: ['id', 'v'],
          properties: { id: { type: 'string', pattern: ID_PATTERN }, v: { type: 'string', pattern: '^([1-9][0-9]{0,8}|latest)$' } },
        },
        body: {
          type: 'object',
          required: ['strategyId'],
          additionalProperties: false,
          properties: {
            strategyId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
            scorecardNode: { type: 'string', minLength: 1, maxLength: 200 },
            prefix: { type: 'string', maxLength: 100, pattern: '^([A-Za-z_$][A-Za-z0-9_$]*\\.)*$' },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const { id, v } = req.params as { id: string; v: string };
      const b = req.body as { strategyId: string; scorecardNode?: string; prefix?: string };
      const version = await models.repository(a.tenantId).get(id, v === 'latest' ? undefined : Number(v));
      if (!version) throw notFound(`model ${id} version ${v}`);
      const s = await ctx.store.strategies.get(a.tenantId, b.strategyId);
      if (!s) throw new HttpError(404, 'not_found', `strategy ${b.strategyId} not found / 策略 ${b.strategyId} 不存在`, [{ field: 'body.strategyId', message: 'no such strategy' }]);
      let out: ReturnType<typeof promoteIntoGraph>;
      try {
        out = promoteIntoGraph(s.draft, version, { ...(b.scorecardNode ? { scorecardNode: b.scorecardNode } : {}), ...(b.prefix !== undefined ? { prefix: b.prefix } : {}) });
      } catch (err) {
        if (err instanceof ModelError) throw new HttpError(422, err.code, `${err.message} / ${err.zh}`, [{ field: err.code === 'no_matching_node' && b.scorecardNode ? 'body.scorecardNode' : 'body.strategyId', message: err.message }]);
        throw err;
      }
      let updated;
      try {
        updated = await ctx.store.strategies.updateDraft(a.tenantId, b.strategyId, { draft: out.graph }, a.actor);
      } catch (err) {
        throw fromStoreError(err);
      }
      await ctx.store.audit.record(a.tenantId, {
        actor: a.actor,
        action: 'strategy.promote_model',
        entityType: 'strategy',
        entityId: b.strategyId,
        detail: { modelId: version.id, version: version.version, modelNodes: out.changes.modelNodes.map((n) => n.id), ...(out.changes.scorecardNode ? { scorecardNode: out.changes.scorecardNode.id } : {}) },
      });
      // Not refused: a draft may be work in progress. The issues tell the user what to fix before publishing.
      const issues = validateStrategy(out.graph, await ctx.runtime.compileOptions(a.tenantId));
      return { strategy: strategyOut(updated), model: { id: version.id, version: version.version, type: version.type }, changes: out.changes, issues };
    },
  );
}
