// The model registry inside the service: a SQL ModelRepository per tenant (model_versions) and, per tenant,
// the ModelHost the `model` node calls. A tenant's host holds every version registered through the API;
// models it lacks fall back to the server's file registry (`xiezhi model train --register <dir>`).
import type { ModelHost } from '../decision/index.js';
import type { Clock } from '../core/clock.js';
import { compileModel, type ModelArtifact } from '../models/model.js';
import { InMemoryModelRepository, checkModelId, type ModelRepository, type ModelVersion, type ModelVersionSummary, type NewModelVersion } from '../models/registry.js';
import { RegistryModelHost } from '../models/host.js';
import { ModelError } from '../models/errors.js';
import type { ModelVersionRepo } from '../store/repos/model-versions.js';

/**
 * A version serialised elsewhere (a training worker): `json` is the whole version as JSON text except
 * `version` and `createdAt`, which the insert adds. The sender has already checked that the model compiles.
 */
export interface PreparedVersion {
  id: string;
  type: ModelVersion['type'];
  author?: string;
  metrics?: Record<string, unknown>;
  json: string;
}

export type SavedVersion = Pick<ModelVersion, 'id' | 'version' | 'type' | 'createdAt'>;

/** ModelRepository over the model_versions table, bound to one tenant. */
export class SqlModelRepository implements ModelRepository {
  constructor(
    private readonly rows: ModelVersionRepo,
    readonly tenantId: string,
    private readonly clock: Clock,
  ) {}

  async save(entry: NewModelVersion): Promise<ModelVersion> {
    checkModelId(entry.id);
    let built: ModelVersion;
    try {
      // Refuses what the host could not run (not a xiezhi.model artifact, broken trees ...) before storing it.
      compileModel(entry.model as ModelArtifact);
      // The registry's own rules fill type, features and binning (as the file and memory registries do).
      built = await new InMemoryModelRepository(this.clock).save(entry);
    } catch (err) {
      if (err instanceof ModelError) throw err;
      // A malformed file can fail inside the compiler (a missing array ...): still the file's fault.
      const msg = err instanceof Error ? err.message : String(err);
      throw new ModelError('bad_model', `the model file cannot be used: ${msg}`, `模型文件无法使用：${msg}`);
    }
    return this.rows.insertNext(this.tenantId, entry.id, (version, at) => ({ ...built, version, createdAt: new Date(at).toISOString() }));
  }

  /** Stores a prepared version as given: no parse or stringify of the (possibly multi-MiB) model here. */
  async savePrepared(p: PreparedVersion): Promise<SavedVersion> {
    checkModelId(p.id);
    if (!p.json.startsWith('{"')) throw new ModelError('bad_model', 'a prepared version must be a JSON object', '预处理的模型版本必须是 JSON 对象');
    const row = (version: number, at: number) => ({ id: p.id, version, type: p.type, createdAt: new Date(at).toISOString(), ...(p.author ? { author: p.author } : {}), ...(p.metrics ? { metrics: p.metrics } : {}) });
    const v = await this.rows.insertNext(this.tenantId, p.id, row, (r) => `{"version":${r.version},"createdAt":${JSON.stringify(r.createdAt)},${p.json.slice(1)}`);
    return { id: v.id, version: v.version, type: v.type, createdAt: v.createdAt };
  }

  async get(id: string, version?: number): Promise<ModelVersion | undefined> {
    return this.rows.get<ModelVersion>(this.tenantId, id, version);
  }

  async list(id?: string): Promise<ModelVersionSummary[]> {
    const rows = await this.rows.list(this.tenantId, id);
    return rows.map((r) => ({
      id: r.modelId,
      version: r.version,
      type: r.type,
      createdAt: new Date(r.createdAt).toISOString(),
      ...(r.author ? { author: r.author } : {}),
      ...(r.metrics ? { metrics: r.metrics } : {}),
    }));
  }
}

/** A tenant's own versions first, then the shared (file registry) host. */
class TenantModelHost implements ModelHost {
  constructor(
    readonly own: RegistryModelHost,
    private readonly shared: ModelHost | undefined,
  ) {}

  predict(modelId: string, version: number | undefined, features: Record<string, unknown>) {
    if (this.shared && !this.own.has(modelId, version)) return this.shared.predict(modelId, version, features);
    return this.own.predict(modelId, version, features);
  }
}

/**
 * Per-tenant model hosts, loaded from the database on a tenant's first use and kept current by `register`
 * (a version saved through this process is usable at once; strategies compiled earlier share the host).
 * Versions saved by another instance are loaded when this one restarts.
 */
export class TenantModels {
  private readonly hosts = new Map<string, Promise<TenantModelHost>>();

  constructor(
    private readonly rows: ModelVersionRepo,
    private readonly clock: Clock,
    private readonly shared?: ModelHost,
  ) {}

  repository(tenantId: string): SqlModelRepository {
    return new SqlModelRepository(this.rows, tenantId, this.clock);
  }

  host(tenantId: string): Promise<ModelHost> {
    let h = this.hosts.get(tenantId);
    if (!h) {
      h = this.rows.allContents<ModelVersion>(tenantId).then((versions) => new TenantModelHost(new RegistryModelHost(versions), this.shared));
      h.catch(() => this.hosts.delete(tenantId));
      this.hosts.set(tenantId, h);
    }
    return h;
  }

  /** Saves a version and makes it available to the tenant's strategies. */
  async register(tenantId: string, entry: NewModelVersion): Promise<ModelVersion> {
    const v = await this.repository(tenantId).save(entry);
    const h = this.hosts.get(tenantId);
    if (h) (await h).own.add(v);
    return v;
  }

  /**
   * Saves a prepared version: the insert is the only main-thread work when the tenant's host is not loaded.
   * A loaded host parses and compiles it in a later turn of the event loop, so the insert and the compile are
   * two short pauses rather than one long one. Resolves once the tenant's strategies can use it.
   */
  async registerPrepared(tenantId: string, p: PreparedVersion): Promise<SavedVersion> {
    const saved = await this.repository(tenantId).savePrepared(p);
    const h = this.hosts.get(tenantId);
    if (h) {
      const host = await h;
      // Two check phases apart, so the poll phase between them serves the requests that queued meanwhile.
      for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
      host.own.add({ ...(JSON.parse(p.json) as ModelVersion), version: saved.version, createdAt: saved.createdAt });
    }
    return saved;
  }
}
