// The model registry: versions of a model with what they were trained on and how well they did.
// Storage sits behind ModelRepository (in-memory and JSON-file implementations here; the store area can
// add SQL ones). Versions are immutable: saving again creates the next version number.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { ModelArtifact } from './model.js';
import type { VariableBinning } from './binning.js';
import { ModelError } from './errors.js';

export interface ModelVersion {
  /** Stable model id (lowercase letters, digits, '-', '_', '.'). */
  id: string;
  version: number;
  type: ModelArtifact['type'];
  features: string[];
  /** Scorecards: the binning tables of the model's variables. */
  binning?: VariableBinning[];
  /** sha256 of the training data. */
  fingerprint?: string;
  metrics?: Record<string, unknown>;
  author?: string;
  description?: string;
  /** Trained by the service: curves, histograms and tables for the console (TrainingReport in src/service). */
  report?: object;
  /** ISO-8601 UTC. */
  createdAt: string;
  model: ModelArtifact;
}

export type NewModelVersion = Omit<ModelVersion, 'version' | 'createdAt' | 'type' | 'features'> & Partial<Pick<ModelVersion, 'features'>>;

export interface ModelVersionSummary {
  id: string;
  version: number;
  type: string;
  author?: string;
  createdAt: string;
  metrics?: Record<string, unknown>;
}

export interface ModelRepository {
  save(entry: NewModelVersion): Promise<ModelVersion>;
  /** The given version, or the latest when version is undefined. */
  get(id: string, version?: number): Promise<ModelVersion | undefined>;
  list(id?: string): Promise<ModelVersionSummary[]>;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export function checkModelId(id: string): void {
  if (!ID.test(id)) throw new ModelError('bad_model_id', `bad model id "${id}": use lowercase letters, digits, '.', '_' or '-'`, `模型 id "${id}" 无效：只能包含小写字母、数字、'.'、'_'、'-'`);
}

function build(entry: NewModelVersion, version: number, clock: Clock): ModelVersion {
  checkModelId(entry.id);
  const m = entry.model;
  const binning = entry.binning ?? (m.type === 'scorecard' ? m.variables.map((v) => v.binning) : undefined);
  return {
    ...entry,
    version,
    type: m.type,
    features: entry.features ?? [...m.features],
    ...(binning ? { binning } : {}),
    createdAt: new Date(clock()).toISOString(),
  };
}

const summary = (v: ModelVersion): ModelVersionSummary => ({ id: v.id, version: v.version, type: v.type, createdAt: v.createdAt, ...(v.author ? { author: v.author } : {}), ...(v.metrics ? { metrics: v.metrics } : {}) });

export class InMemoryModelRepository implements ModelRepository {
  private readonly versions = new Map<string, ModelVersion[]>();
  constructor(private readonly clock: Clock = systemClock) {}

  async save(entry: NewModelVersion): Promise<ModelVersion> {
    const list = this.versions.get(entry.id) ?? [];
    const v = build(entry, list.length + 1, this.clock);
    list.push(structuredClone(v));
    this.versions.set(entry.id, list);
    return v;
  }

  async get(id: string, version?: number): Promise<ModelVersion | undefined> {
    const list = this.versions.get(id);
    if (!list?.length) return undefined;
    const v = version === undefined ? list[list.length - 1] : list[version - 1];
    return v ? structuredClone(v) : undefined;
  }

  async list(id?: string): Promise<ModelVersionSummary[]> {
    const ids = id ? [id] : [...this.versions.keys()].sort();
    return ids.flatMap((i) => (this.versions.get(i) ?? []).map(summary));
  }
}

/** One JSON file per version: <dir>/<id>/<version>.json, written atomically (temp file + rename). */
export class FileModelRepository implements ModelRepository {
  constructor(private readonly dir: string, private readonly clock: Clock = systemClock) {}

  private versionsOf(id: string): number[] {
    const d = join(this.dir, id);
    if (!existsSync(d)) return [];
    return readdirSync(d).map((f) => /^(\d+)\.json$/.exec(f)?.[1]).filter((x): x is string => !!x).map(Number).sort((a, b) => a - b);
  }

  async save(entry: NewModelVersion): Promise<ModelVersion> {
    checkModelId(entry.id);
    const d = join(this.dir, entry.id);
    mkdirSync(d, { recursive: true });
    const vs = this.versionsOf(entry.id);
    const v = build(entry, (vs[vs.length - 1] ?? 0) + 1, this.clock);
    const file = join(d, `${v.version}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(v));
    renameSync(tmp, file);
    return v;
  }

  async get(id: string, version?: number): Promise<ModelVersion | undefined> {
    checkModelId(id);
    const vs = this.versionsOf(id);
    const n = version ?? vs[vs.length - 1];
    if (n === undefined || !vs.includes(n)) return undefined;
    return JSON.parse(readFileSync(join(this.dir, id, `${n}.json`), 'utf8')) as ModelVersion;
  }

  async list(id?: string): Promise<ModelVersionSummary[]> {
    if (!existsSync(this.dir)) return [];
    const ids = id ? [id] : readdirSync(this.dir).filter((x) => ID.test(x)).sort();
    const out: ModelVersionSummary[] = [];
    for (const i of ids) for (const n of this.versionsOf(i)) out.push(summary((await this.get(i, n))!));
    return out;
  }
}
