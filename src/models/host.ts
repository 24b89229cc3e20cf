// The decision engine's `model` node calls ModelHost.predict synchronously on the hot path, so versions
// are compiled up front (from a repository or given directly) and looked up in a map.
import type { ModelHost } from '../decision/types.js';
import { compileModel, type Predictor } from './model.js';
import type { ModelRepository, ModelVersion } from './registry.js';
import { ModelError } from './errors.js';

export interface RegistryModelHostOptions {
  /** Reasons returned per prediction (0 = none). Default 5. */
  reasons?: number;
}

export class RegistryModelHost implements ModelHost {
  private readonly byVersion = new Map<string, Predictor>();
  private readonly latest = new Map<string, number>();
  private readonly top: number;

  constructor(versions: Iterable<ModelVersion> = [], options: RegistryModelHostOptions = {}) {
    this.top = options.reasons ?? 5;
    for (const v of versions) this.add(v);
  }

  /** Compiles and registers one version (a newer version becomes the default for its id). */
  add(v: ModelVersion): void {
    this.byVersion.set(`${v.id}@${v.version}`, compileModel(v.model));
    if ((this.latest.get(v.id) ?? 0) < v.version) this.latest.set(v.id, v.version);
  }

  has(modelId: string, version?: number): boolean {
    const n = version ?? this.latest.get(modelId);
    return n !== undefined && this.byVersion.has(`${modelId}@${n}`);
  }

  predict(modelId: string, version: number | undefined, features: Record<string, unknown>): { score: number; reasons?: { feature: string; contribution: number }[] } {
    const n = version ?? this.latest.get(modelId);
    const p = n === undefined ? undefined : this.byVersion.get(`${modelId}@${n}`);
    if (!p) {
      throw new ModelError('model_not_found', `model ${modelId}${version !== undefined ? ` version ${version}` : ''} is not loaded`, `模型 ${modelId}${version !== undefined ? ` 版本 ${version}` : ''} 未加载`);
    }
    const r = p.predict(features, this.top);
    return r.reasons ? { score: r.score, reasons: r.reasons } : { score: r.score };
  }
}

/** Loads the given (id, version?) pairs from a repository into a host; version undefined = latest. */
export async function loadModelHost(repo: ModelRepository, wanted: { id: string; version?: number }[], options: RegistryModelHostOptions = {}): Promise<RegistryModelHost> {
  const host = new RegistryModelHost([], options);
  for (const w of wanted) {
    const v = await repo.get(w.id, w.version);
    if (!v) throw new ModelError('model_not_found', `model ${w.id}${w.version !== undefined ? ` version ${w.version}` : ''} is not in the registry`, `注册表中没有模型 ${w.id}${w.version !== undefined ? ` 版本 ${w.version}` : ''}`);
    host.add(v);
  }
  return host;
}
