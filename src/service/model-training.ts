// Training jobs of the console's "train a new version": each runs in its own worker thread (the event loop
// keeps serving decisions), reports stage / percent / messages, and on success registers one new model
// version for the tenant. Registration is the last step and a single insert, so a failed or cancelled job
// leaves nothing. The worker serialises the version itself: the event loop only inserts the text.
// Jobs live in this process's memory: GET the job from the instance that accepted it (the version, once
// registered, is in the database for every instance).
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import { ModelError } from '../models/errors.js';
import type { PreparedVersion, SavedVersion, TenantModels } from './models.js';
import type { Text, TrainingMessage, TrainingRequest } from './model-training-run.js';
import { HttpError } from './errors.js';

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingJobView {
  id: string;
  modelId: string;
  type: TrainingRequest['type'];
  target: string;
  status: JobStatus;
  stage: string;
  percent: number;
  messages: (Text & { at: string })[];
  author: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  dataset?: { rows: number; features: number; badRate: number; fingerprint: string };
  /** The registered version (succeeded jobs). */
  result?: { id: string; version: number; type: string; metrics: Record<string, unknown> };
  error?: { code: string; message: string; zh: string };
}

interface Job {
  tenantId: string;
  /** The worker has read and checked the file: the job is visible to GET. */
  accepted: boolean;
  view: TrainingJobView;
  worker?: Worker;
  timer?: NodeJS.Timeout;
  /** Fails the job and stops its worker (shutdown). */
  stop?: () => void;
  /** Marks the job cancelled and stops its worker. */
  cancel?: (actor: string) => void;
}

export interface TrainingJobsOptions {
  /** Trainings running at once in this process; more are refused with 429 (default 2). */
  maxRunning?: number;
  /** A job still running after this is stopped and failed (default 30 minutes). */
  timeoutMs?: number;
  /** Finished jobs are kept this long for GET (default 1 hour), at most `keep` per tenant (default 50). */
  keepMs?: number;
  keep?: number;
  /** Called after a version is registered (the audit trail). */
  onRegistered?: (tenantId: string, v: SavedVersion, job: TrainingJobView) => Promise<void>;
}

const MAX_MESSAGES = 200;

/** The worker's input error: the file is at fault (4xx). */
export class TrainingInputError extends ModelError {}

export class TrainingJobs {
  private readonly jobs = new Map<string, Job>();
  private running = 0;

  constructor(
    private readonly models: TenantModels,
    private readonly clock: Clock,
    private readonly opts: TrainingJobsOptions = {},
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /**
   * Starts a job and resolves once the worker has read and checked the file (a fraction of a second), with
   * the job running. Rejects with TrainingInputError for a bad file (unknown target, one class, too few rows
   * ...) and with HttpError 429 when too many trainings are running.
   */
  start(tenantId: string, author: string, csv: Uint8Array, request: TrainingRequest, description?: string): Promise<TrainingJobView> {
    if (this.running >= (this.opts.maxRunning ?? 2)) {
      return Promise.reject(new HttpError(429, 'too_many_jobs', `${this.running} trainings are already running; try again when one finishes / 已有 ${this.running} 个训练任务在运行，请稍后再试`));
    }
    this.gc(tenantId);
    const at = this.now();
    const view: TrainingJobView = {
      id: randomUUID(),
      modelId: request.modelId,
      type: request.type,
      target: request.target,
      status: 'running',
      stage: 'reading',
      percent: 2,
      messages: [{ at, en: `reading the file (${csv.byteLength} bytes)`, zh: `读取文件（${csv.byteLength} 字节）` }],
      author,
      createdAt: at,
      updatedAt: at,
    };
    const job: Job = { tenantId, view, accepted: false };
    // Our own copy, moved (not copied again) into the worker.
    const data = new Uint8Array(csv);
    const url = new URL(import.meta.url.endsWith('.ts') ? './model-training-worker.ts' : './model-training-worker.js', import.meta.url);
    // From source (tsx) the worker registers tsx's loader itself: loader hooks are per thread.
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { csv: data, request, author, description }, transferList: [data.buffer] })
      : new Worker(url, { workerData: { csv: data, request, author, description }, transferList: [data.buffer] });
    job.worker = worker;
    this.running++;
    this.jobs.set(view.id, job);
    return new Promise((resolve, reject) => {
      const settle = () => {
        if (!job.worker) return;
        job.worker = undefined;
        this.running--;
        if (job.timer) clearTimeout(job.timer);
        void worker.terminate();
      };
      const fail = (code: string, en: string, zh: string, input = false) => {
        if (view.status !== 'running') return;
        settle();
        view.status = 'failed';
        if (!job.accepted) {
          // Nothing to poll yet: the request itself fails (a 4xx for the file's faults).
          this.jobs.delete(view.id);
          reject(input ? new TrainingInputError(code, en, zh) : new Error(en));
          return;
        }
        view.error = { code, message: en, zh };
        view.stage = 'failed';
        this.note(view, { en: `failed: ${en}`, zh: `失败：${zh}` });
        view.finishedAt = view.updatedAt;
      };
      job.stop = () => fail('shutdown', 'the service stopped during training', '训练期间服务已停止');
      job.cancel = (actor) => {
        settle();
        view.status = 'cancelled';
        view.stage = 'cancelled';
        view.error = { code: 'cancelled', message: `cancelled by ${actor}`, zh: `已被 ${actor} 取消` };
        this.note(view, { en: `cancelled by ${actor}; nothing was registered`, zh: `已被 ${actor} 取消，未登记任何版本` });
        view.finishedAt = view.updatedAt;
      };
      const timeoutMs = this.opts.timeoutMs ?? 1_800_000;
      job.timer = setTimeout(() => {
        const t = timeoutMs >= 60_000 ? { en: `${Math.round(timeoutMs / 60_000)} minutes`, zh: `${Math.round(timeoutMs / 60_000)} 分钟` } : { en: `${Math.round(timeoutMs / 1000)} s`, zh: `${Math.round(timeoutMs / 1000)} 秒` };
        fail('timeout', `training took longer than ${t.en} and was stopped`, `训练超过 ${t.zh}，已停止`);
      }, timeoutMs);
      job.timer.unref();
      worker.on('message', (m: TrainingMessage | { kind: 'error'; phase: 'input' | 'training'; code: string; en: string; zh: string }) => {
        if (view.status !== 'running') return;
        if (m.kind === 'accepted') {
          job.accepted = true;
          view.dataset = m.dataset;
          view.stage = 'accepted';
          view.percent = 5;
          this.note(view, { en: `${m.dataset.rows} rows, ${m.dataset.features} candidate features, bad rate ${(m.dataset.badRate * 100).toFixed(1)}%`, zh: `${m.dataset.rows} 行，${m.dataset.features} 个候选特征，坏样本率 ${(m.dataset.badRate * 100).toFixed(1)}%` });
          resolve(structuredClone(view));
        } else if (m.kind === 'progress') {
          view.stage = m.stage;
          view.percent = Math.max(view.percent, m.percent);
          if (m.message) this.note(view, m.message);
          else view.updatedAt = this.now();
        } else if (m.kind === 'done') {
          settle();
          void this.register(job, m.version);
        } else if (m.kind === 'error') {
          fail(m.code, m.en, m.zh, m.phase === 'input');
        }
      });
      worker.on('error', (err) => fail('train_failed', `the training thread failed: ${err.message}`, `训练线程出错：${err.message}`));
      worker.on('exit', (code) => {
        if (job.worker) fail('train_failed', `the training thread exited (code ${code})`, `训练线程异常退出（代码 ${code}）`);
      });
    });
  }

  private note(view: TrainingJobView, t: Text): void {
    view.updatedAt = this.now();
    view.messages.push({ at: view.updatedAt, en: t.en, zh: t.zh });
    if (view.messages.length > MAX_MESSAGES) view.messages.splice(1, view.messages.length - MAX_MESSAGES);
  }

  private async register(job: Job, prepared: PreparedVersion): Promise<void> {
    const view = job.view;
    view.stage = 'registering';
    view.percent = 97;
    this.note(view, { en: `registering ${view.modelId}`, zh: `登记模型 ${view.modelId}` });
    try {
      // The worker sent the version serialised: here it is one insert (and, for a loaded host, one compile).
      const v = await this.models.registerPrepared(job.tenantId, prepared);
      view.result = { id: v.id, version: v.version, type: v.type, metrics: prepared.metrics ?? {} };
      view.status = 'succeeded';
      view.stage = 'done';
      view.percent = 100;
      this.note(view, { en: `registered ${v.id} version ${v.version}`, zh: `已登记 ${v.id} 第 ${v.version} 版` });
      view.finishedAt = view.updatedAt;
      await this.opts.onRegistered?.(job.tenantId, v, view).catch(() => undefined);
    } catch (err) {
      const e = err as Error & { code?: string; zh?: string };
      view.status = 'failed';
      view.stage = 'failed';
      view.error = { code: e instanceof ModelError ? e.code : 'register_failed', message: `the version could not be registered: ${e.message}`, zh: `模型版本登记失败：${e instanceof ModelError ? e.zh : e.message}` };
      this.note(view, { en: view.error.message, zh: view.error.zh });
      view.finishedAt = view.updatedAt;
    }
  }

  /**
   * Cancels a running job of the tenant: its worker is stopped and nothing is registered. Undefined for an
   * unknown job or another tenant's; HttpError 409 for a job that has finished or is already registering.
   */
  cancel(tenantId: string, id: string, actor: string): TrainingJobView | undefined {
    const j = this.jobs.get(id);
    if (!j || !j.accepted || j.tenantId !== tenantId) return undefined;
    if (j.view.status !== 'running') {
      throw new HttpError(409, 'job_finished', `training job ${id} has already ${j.view.status === 'succeeded' ? 'succeeded' : j.view.status === 'cancelled' ? 'been cancelled' : 'failed'} / 训练任务已${j.view.status === 'succeeded' ? '完成' : j.view.status === 'cancelled' ? '取消' : '失败'}，无法取消`);
    }
    // Past training the version is being inserted: too late to take it back.
    if (!j.worker) throw new HttpError(409, 'job_registering', `training job ${id} is registering its version and can no longer be cancelled / 训练任务正在登记模型版本，无法取消`);
    j.cancel!(actor);
    return structuredClone(j.view);
  }

  get(tenantId: string, id: string): TrainingJobView | undefined {
    const j = this.jobs.get(id);
    return j && j.accepted && j.tenantId === tenantId ? structuredClone(j.view) : undefined;
  }

  /** The tenant's jobs, newest first. */
  list(tenantId: string): TrainingJobView[] {
    this.gc(tenantId);
    return [...this.jobs.values()].filter((j) => j.accepted && j.tenantId === tenantId).map((j) => structuredClone(j.view)).reverse();
  }

  /** Drops finished jobs past their keep time, and the oldest finished ones beyond `keep` per tenant. */
  private gc(tenantId: string): void {
    const cutoff = this.clock() - (this.opts.keepMs ?? 3_600_000);
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt);
    for (const j of finished) if (Date.parse(j.view.finishedAt!) < cutoff) this.jobs.delete(j.view.id);
    const mine = finished.filter((j) => j.tenantId === tenantId && this.jobs.has(j.view.id));
    for (const j of mine.slice(0, Math.max(0, mine.length - (this.opts.keep ?? 50)))) this.jobs.delete(j.view.id);
  }

  /** Stops every running job (service shutdown): each is failed, nothing more is registered. */
  async close(): Promise<void> {
    const workers = [...this.jobs.values()].flatMap((j) => (j.worker ? [j.worker] : []));
    for (const j of this.jobs.values()) if (j.worker) j.stop?.();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
