// Rows of the model registry per tenant (model_versions). Versions are immutable and numbered 1, 2, ... per
// (tenant, model id); the number is assigned here, inside a transaction, retried when two saves race.
// What a version contains is the models area's business (src/service/models.ts builds it): stored as JSON.
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { StoreConflictError } from '../errors.js';
import { isUniqueViolation } from '../util.js';

export interface ModelVersionsTable {
  tenant_id: string;
  model_id: string;
  version: number;
  type: string;
  author: string | null;
  created_at: number;
  metrics: string | null;
  content: string;
}

interface Db {
  model_versions: ModelVersionsTable;
}

export interface ModelVersionRow {
  tenantId: string;
  modelId: string;
  version: number;
  type: string;
  author?: string;
  createdAt: number;
  metrics?: Record<string, unknown>;
}

export interface ModelVersionRepo {
  /**
   * Stores the next version of `modelId`: `make(version, createdAt)` returns its type, author, metrics and
   * content (the whole version, JSON-serialisable). Returns what `make` returned. `content` gives the stored
   * JSON text instead of JSON.stringify(v) (a version serialised off the main thread).
   */
  insertNext<T extends { type: string; author?: string; metrics?: Record<string, unknown> }>(tenantId: string, modelId: string, make: (version: number, createdAt: number) => T, content?: (v: T) => string): Promise<T>;
  /** The content of a version, or of the latest when version is undefined. */
  get<T = unknown>(tenantId: string, modelId: string, version?: number): Promise<T | undefined>;
  /** Summaries, by model id then version. */
  list(tenantId: string, modelId?: string): Promise<ModelVersionRow[]>;
  /** Every version content of a tenant (to load a model host). */
  allContents<T = unknown>(tenantId: string): Promise<T[]>;
}

export function modelVersionRepo(db: Kysely<any>, clock: Clock): ModelVersionRepo {
  const k = db as Kysely<Db>;
  return {
    async insertNext(tenantId, modelId, make, content = JSON.stringify) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await k.transaction().execute(async (tx) => {
            const r = await tx.selectFrom('model_versions').select((eb) => eb.fn.max('version').as('max')).where('tenant_id', '=', tenantId).where('model_id', '=', modelId).executeTakeFirst();
            const version = Number(r?.max ?? 0) + 1;
            const at = clock();
            const v = make(version, at);
            await tx
              .insertInto('model_versions')
              .values({
                tenant_id: tenantId,
                model_id: modelId,
                version,
                type: v.type,
                author: v.author ?? null,
                created_at: at,
                metrics: v.metrics ? JSON.stringify(v.metrics) : null,
                content: content(v),
              })
              .execute();
            return v;
          });
        } catch (err) {
          // Another save took the same number first: take the next one.
          if (isUniqueViolation(err) && attempt < 5) continue;
          if (isUniqueViolation(err)) throw new StoreConflictError(`model ${modelId}: too many concurrent saves; retry`);
          throw err;
        }
      }
    },
    async get(tenantId, modelId, version) {
      let q = k.selectFrom('model_versions').select('content').where('tenant_id', '=', tenantId).where('model_id', '=', modelId);
      q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
      const r = await q.executeTakeFirst();
      return r ? JSON.parse(r.content) : undefined;
    },
    async list(tenantId, modelId) {
      let q = k.selectFrom('model_versions').select(['tenant_id', 'model_id', 'version', 'type', 'author', 'created_at', 'metrics']).where('tenant_id', '=', tenantId);
      if (modelId !== undefined) q = q.where('model_id', '=', modelId);
      const rows = await q.orderBy('model_id').orderBy('version').execute();
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        modelId: r.model_id,
        version: Number(r.version),
        type: r.type,
        ...(r.author !== null ? { author: r.author } : {}),
        createdAt: Number(r.created_at),
        ...(r.metrics !== null ? { metrics: JSON.parse(r.metrics) as Record<string, unknown> } : {}),
      }));
    },
    async allContents(tenantId) {
      const rows = await k.selectFrom('model_versions').select('content').where('tenant_id', '=', tenantId).orderBy('model_id').orderBy('version').execute();
      return rows.map((r) => JSON.parse(r.content));
    },
  };
}
