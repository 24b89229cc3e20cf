// The Fastify app factory: routes, auth, schemas, OpenAPI at /docs, metrics, console assets.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Clock } from '../core/clock.js';
import type { FeatureProvider } from '../core/feature-provider.js';
import type { ModelHost } from '../decision/index.js';
import type { Store } from '../store/types.js';
import { Authenticator, requireRole } from './auth.js';
import type { ServiceContext, StrategyTemplate } from './context.js';
import { Decider } from './decider.js';
import { HttpError, errorBody, type FieldError } from './errors.js';
import { Metrics } from './metrics.js';
import { noopFeatureProvider } from './noop-features.js';
import { StrategyRuntime } from './strategy-runtime.js';
import type { TenantLists } from './tenant-lists.js';
import { storeTenantLists } from './store-tenant-lists.js';
import { loadTemplates } from './templates.js';
import type { SeenIds } from './seen-ids.js';
import { eventRoutes } from './routes/events.js';
import { strategyRoutes } from './routes/strategies.js';
import { decisionRoutes } from './routes/decisions.js';
import { labelRoutes } from './routes/labels.js';
import { authRoutes } from './routes/auth.js';
import { listRoutes } from './routes/lists.js';
import { featureRoutes } from './routes/features.js';
import { composeFeatureProviders, type NamespacedProvider } from './compose-features.js';
import { SqlStatementStore, StatementFeatureProvider } from './statements.js';
import { statementRoutes, type StatementStore } from '../statements/http.js';
import type { AnalyzeOptions } from '../statements/analyze.js';
import { statementReportRepo } from '../store/repos/statement-reports.js';
import { graphRoutes } from '../graph/http.js';
import { LinkGraph } from '../graph/link-graph.js';
import { serviceGraph } from './graph.js';
import type { Subject } from '../core/event.js';
import { TenantModels } from './models.js';
import { modelRoutes } from './routes/models.js';
import { modelVersionRepo } from '../store/repos/model-versions.js';

export interface BuildAppOptions {
  store: Store;
  clock?: Clock;
  /** Feature provider (src/features); a no-op one (no features) when absent. */
  features?: FeatureProvider;
  /**
   * Shared models for the `model` node (the file registry of `xiezhi model ... --register`). Each tenant's
   * own versions, registered with POST /v1/models and stored in the database, take precedence.
   */
  models?: ModelHost;
  /** Name-list lookups per tenant; default: indexes loaded from the store and kept live. */
  lists?: TenantLists;
  /** Fastify logger option (false in tests; pino options or true in the CLI). */
  logger?: FastifyServerOptions['logger'];
  /** Built console assets; default `<cwd>/web/dist`. */
  webDir?: string;
  /** Strategy templates directory for GET /v1/templates; default `<cwd>/examples/strategies`. */
  templatesDir?: string;
  /** How long a resolved binding is trusted before re-reading it (other instances may publish). */
  bindingTtlMs?: number;
  /** Default process metrics in /metrics (off in tests that build many apps). */
  processMetrics?: boolean;
  /**
   * Every (tenant, id) already in the log, when this process is its only writer (embedded SQLite): lets the
   * idempotency check skip the database read for new ids. Leave unset with PostgreSQL / several instances.
   */
  seenIds?: SeenIds;
  /**
   * Statement analysis (POST /v1/statements ...): reports stored per tenant in the database and read by
   * strategies as `features.statement.*`. `false` leaves the routes and the features out.
   */
  statements?: false | { store?: StatementStore; maxFileBytes?: number; maxFiles?: number; analyze?: AnalyzeOptions };
  /**
   * The link graph behind `features.graph.*` and /v1/graph/*: events are folded in after each decision.
   * Default: a new empty in-memory graph (startServer passes one rebuilt from the log); `false` leaves it out.
   */
  graph?: LinkGraph | false;
  /** How often the graph's ring job may rerun (default 60 s). */
  ringIntervalMs?: number;
  /** More namespaced feature providers (e.g. `{ namespace: 'graph', provider }`), composed with `features`. */
  featureProviders?: NamespacedProvider[];
}

export interface XiezhiApp extends FastifyInstance {
  xiezhi: ServiceContext;
}

/** Converts Fastify/ajv validation errors into our field list. */
function validationFields(err: { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string }): FieldError[] {
  const ctx = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    let path = (v.instancePath ?? '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    const p = v.params ?? {};
    if (typeof p.missingProperty === 'string') path += `.${p.missingProperty}`;
    if (typeof p.additionalProperty === 'string') path += `.${p.additionalProperty}`;
    let message = v.message ?? 'is invalid';
    if (Array.isArray(p.allowedValues)) message += `: ${p.allowedValues.join(', ')}`;
    return { field: `${ctx}${path}`, message };
  });
}

export async function buildApp(options: BuildAppOptions): Promise<XiezhiApp> {
  const store = options.store;
  const clock = options.clock ?? store.clock;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // ids and times come from the client; keep ajv strict but report every bad field at once
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    return503OnClosing: true,
    // Slow or stalled clients cannot hold a request open forever (history imports get five minutes).
    requestTimeout: 300_000,
    // One line per request would dominate the hot path's cost; errors and warnings are still logged, and
    // /metrics counts requests by route and status.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  });
  const metrics = new Metrics(options.processMetrics ?? true);
  const lists = options.lists ?? storeTenantLists(store);
  // Each provider answers the names it owns: statement.* from the stored reports, graph.* from the link
  // graph, everything else from the velocity engine (which skips names it does not define).
  const statementRepo = statementReportRepo(store.db, clock);
  const namespaced: NamespacedProvider[] = [];
  if (options.statements !== false) namespaced.push({ namespace: 'statement', provider: new StatementFeatureProvider(statementRepo), applies: false });
  const graph =
    options.graph === false
      ? undefined
      : serviceGraph(store, lists, options.graph ?? new LinkGraph(), {
          ringIntervalMs: options.ringIntervalMs,
          onError: (err, where) => app.log.warn({ err, where }, 'graph job failed'),
        });
  if (graph) namespaced.push({ namespace: 'graph', provider: graph.provider });
  namespaced.push(...(options.featureProviders ?? []));
  const features = composeFeatureProviders(options.features ?? noopFeatureProvider, namespaced);
  const tenantModels = new TenantModels(modelVersionRepo(store.db, clock), clock, options.models);
  const runtime = new StrategyRuntime({ store, clock, lists, models: (tenantId) => tenantModels.host(tenantId), bindingTtlMs: options.bindingTtlMs });
  const auth = new Authenticator(store, clock);
  const decider = new Decider({
    store,
    clock,
    features,
    runtime,
    metrics,
    seen: options.seenIds,
    onError: (err, where) => app.log.warn({ err, where }, 'decision degraded'),
  });
  const templatesDir = options.templatesDir ?? resolve('examples/strategies');
  let templates: Promise<StrategyTemplate[]> | undefined;
  const ctx: ServiceContext = {
    store,
    clock,
    features,
    decider,
    runtime,
    auth,
    metrics,
    lists,
    templates: () => (templates ??= loadTemplates(templatesDir).catch(() => [])),
  };
  (app as unknown as XiezhiApp).xiezhi = ctx;

  app.setErrorHandler((err: any, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.fields));
    if (err.validation) {
      const fields = validationFields(err);
      return reply.code(400).send(errorBody('validation', `request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.field).join(', ')}`, fields));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? 'malformed_json'
          : status === 413
            ? 'payload_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : status === 404
                ? 'not_found'
                : 'bad_request';
      const field = code === 'malformed_json' ? [{ field: 'body', message: 'is not valid JSON' }] : code === 'unsupported_media_type' ? [{ field: 'headers.content-type', message: String(err.message) }] : [];
      return reply.code(status).send(errorBody(code, String(err.message), field));
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('internal', 'internal error; see the server log / 服务内部错误'));
  });

  // Callback-style hooks: a token already verified (the usual case) is answered without a promise.
  app.addHook('onRequest', (req, _reply, done) => {
    const url = req.url;
    if (!url.startsWith('/v1/') || (req.routeOptions.config as { public?: boolean } | undefined)?.public) return done();
    let cached;
    try {
      cached = auth.cached(req);
    } catch (err) {
      return done(err as Error);
    }
    if (cached) {
      req.auth = cached;
      return done();
    }
    auth.authenticate(req).then(
      (a) => {
        req.auth = a;
        done();
      },
      (err: Error) => done(err),
    );
  });
  app.addHook('onResponse', (req, reply, done) => {
    metrics.request(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode);
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Xiezhi (獬豸) risk-control API', version: '1', description: 'Events in, decisions out. See docs/api.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key (xz_...) or console session token' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { tags: ['ops'], security: [] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['ops'], security: [] } }, async (_req, reply) => {
    const ok = await store.ping();
    reply.code(ok ? 200 : 503);
    return ok ? { status: 'ready' } : errorBody('not_ready', 'database not reachable');
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  if (graph) {
    // Fraud/default labels mark their subject in the graph (graph.fraud_1hop ...). Attached to that one
    // route only, so no other request pays for it.
    app.addHook('onRoute', (route) => {
      if (route.url !== '/v1/labels' || route.method !== 'POST') return;
      const prev = route.preSerialization ? (Array.isArray(route.preSerialization) ? route.preSerialization : [route.preSerialization]) : [];
      route.preSerialization = [
        ...prev,
        async (req, reply, payload) => {
          const l = payload as { label?: string; subject?: Subject; eventId?: string } | null;
          if (reply.statusCode === 201 && req.auth && l && typeof l.label === 'string') {
            await graph.label(req.auth.tenantId, l.label, l.subject, l.eventId).catch((err: unknown) => req.log.warn({ err }, 'graph label failed'));
          }
          return payload;
        },
      ];
    });
  }

  eventRoutes(app, ctx);
  strategyRoutes(app, ctx);
  decisionRoutes(app, ctx);
  labelRoutes(app, ctx);
  authRoutes(app, ctx);
  listRoutes(app, ctx);
  featureRoutes(app, ctx);
  modelRoutes(app, ctx, tenantModels);
  if (graph) {
    await app.register(async (scope) => {
      scope.addHook('preHandler', async (req) => {
        requireRole(req, 'viewer');
      });
      await scope.register(graphRoutes, { graph: graph.graph, rings: graph.rings, tenantOf: (req) => authOfTenant(req.auth) });
    });
  }
  if (options.statements !== false) {
    const st = options.statements ?? {};
    const statementStore = st.store ?? new SqlStatementStore(statementRepo);
    // Its own plugin scope: multipart parsing and the role check apply to the statement routes only.
    await app.register(async (scope) => {
      scope.addHook('preHandler', async (req) => {
        requireRole(req, req.method === 'POST' ? 'reviewer' : 'viewer');
      });
      await scope.register(statementRoutes, {
        store: statementStore,
        tenantOf: (req) => req.auth?.tenantId,
        maxFileBytes: st.maxFileBytes,
        maxFiles: st.maxFiles,
        analyze: { clock, ...st.analyze },
      });
    });
  }

  const webDir = options.webDir ?? resolve('web/dist');
  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  else app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NO_CONSOLE_PAGE));

  app.setNotFoundHandler(async (req, reply) => {
    // The console is a single-page app: unknown GET paths outside the API load index.html.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/v1/') && String(req.headers.accept ?? '').includes('text/html')) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });

  app.addHook('onClose', async () => {
    graph?.close();
    lists.close();
  });
  return app as unknown as XiezhiApp;
}

/** The tenant of an authenticated request (the onRequest hook guarantees one on /v1 routes). */
function authOfTenant(auth: { tenantId: string } | undefined): string {
  if (!auth) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token / 缺少或无效的访问令牌');
  return auth.tenantId;
}

const NO_CONSOLE_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Xiezhi 獬豸</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>獬豸 Xiezhi</h1>
<p>The API is running. The console has not been built yet: run <code>npm run build --workspace web</code>
(or <code>cd web &amp;&amp; npm run build</code>) and restart.</p>
<p>控制台尚未构建：请运行 <code>npm run build --workspace web</code> 后重启。</p>
<p>API docs / 接口文档: <a href="/docs">/docs</a> · health: <a href="/healthz">/healthz</a></p>
</body></html>`;
