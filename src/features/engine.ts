// The feature engine: the FeatureProvider the decision service calls. compute() plans only the requested
// features' reads and runs them as of just before the event; apply() folds the event into state once.
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider, FeatureResult } from '../core/feature-provider.js';
import * as expression from '../expression/index.js';
import { compileDefinitions, type Derive, type ExpressionCompiler, type Reader, type Writer } from './compile.js';
import { validateDefinitions } from './definitions.js';
import { MemoryStore } from './memory-store.js';
import { DEFAULT_LIMITS, PlanBuilder, type ReadValue, type StateLimits, type StateStore } from './plan.js';
import type { FeatureDefinition } from './types.js';
import { DirectVelocity, VelocityLayout } from './velocity.js';

export type FailPolicy = 'open' | 'closed';

export interface FeatureEngineOptions {
  /** Feature definitions (validated here): an array or `{features: [...]}`. */
  definitions: unknown;
  /** A MemoryStore or RedisStore; a new MemoryStore when absent. */
  store?: StateStore;
  clock?: Clock;
  /** When the store fails: `open` answers without the values and sets `degraded`; `closed` throws. Default open. */
  failPolicy?: FailPolicy;
  limits?: Partial<StateLimits>;
  /** Tenant for events without `tenantId`. */
  defaultTenant?: string;
  /** Expression compiler for velocity filters; defaults to src/expression's compileExpression. */
  compileExpression?: ExpressionCompiler;
  /** Writes kept for retry while the store is down under fail-open (oldest dropped beyond it). Default 100,000. */
  maxPendingWrites?: number;
}

/** Thrown by compute/apply under the fail-closed policy when the store cannot answer. */
export class FeatureStoreUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`feature store unavailable (特征存储不可用): ${reason}`);
    this.name = 'FeatureStoreUnavailableError';
  }
}

export interface FeatureEngine extends FeatureProvider {
  readonly definitions: readonly FeatureDefinition[];
  /** Names of every defined feature. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** Writes that failed under fail-open and wait to be retried (they are idempotent). */
  pendingWrites(): number;
  /** Retries pending writes now; resolves to how many are still pending. */
  flushPending(): Promise<number>;
  /**
   * compute() without the promise, for the embedded (memory) store only: the same values, returned directly.
   * Throws when the store is not a MemoryStore (Redis needs a round trip), and under the fail-closed policy.
   */
  computeSync(event: RiskEvent, names: readonly string[]): FeatureResult;
  /** apply() without the promise, for the embedded (memory) store only (see computeSync). */
  applySync(event: RiskEvent): void;
  /** Applies a historical event log in order (the embedded mode rebuilds its memory state on start this way). */
  rebuild(events: Iterable<RiskEvent> | AsyncIterable<RiskEvent>): Promise<number>;
}

function defaultCompiler(): ExpressionCompiler | undefined {
  const c = (expression as unknown as Record<string, unknown>).compileExpression;
  return typeof c === 'function' ? (c as ExpressionCompiler) : undefined;
}

function checkEvent(event: RiskEvent): void {
  if (!event || typeof event !== 'object') throw new TypeError('feature engine: event must be an object');
  if (typeof event.id !== 'string' || event.id === '') throw new TypeError('feature engine: event.id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type === '') throw new TypeError(`feature engine: event ${event.id} has no type`);
  if (typeof event.occurredAt !== 'number' || !Number.isFinite(event.occurredAt)) {
    throw new TypeError(`feature engine: event ${event.id} needs occurredAt as UTC epoch milliseconds`);
  }
}

/** Which of the requested names this engine answers, in order: velocity ones read directly, the rest planned. */
interface MemoryPlan {
  source: readonly string[];
  /** A copy of `source`, to notice a caller reusing and changing the same array. */
  names: string[];
  wanted: string[];
  /** Layout indexes of the wanted velocity features. */
  velocity: number[];
  /** The other wanted features, which go through an op plan (profiles, signals). */
  planned: string[];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class Engine implements FeatureEngine {
  readonly definitions: readonly FeatureDefinition[];
  readonly names: readonly string[];
  private readonly readers: Map<string, Reader>;
  private readonly writers: Writer[];
  /** Velocity features on the memory store: read and written directly, without op plans. */
  private readonly direct: DirectVelocity;
  private readonly planOnlyWriters: Writer[];
  /** Set when the store is the in-process one: velocity features then skip op plans entirely. */
  private readonly memory: MemoryStore | undefined;
  private readonly store: StateStore;
  private readonly limits: StateLimits;
  private readonly tenant: string;
  private readonly policy: FailPolicy;
  private readonly clock: Clock;
  private readonly maxPending: number;
  private pending: RiskEvent[] = [];
  private nextRetryAt = 0;
  private lastPlan: MemoryPlan | undefined;

  constructor(opts: FeatureEngineOptions) {
    this.definitions = validateDefinitions(opts.definitions);
    const compiled = compileDefinitions(this.definitions, opts.compileExpression ?? defaultCompiler());
    this.readers = compiled.readers;
    this.writers = compiled.writers;
    const layout = new VelocityLayout();
    for (const spec of compiled.velocity) layout.add(spec);
    this.direct = new DirectVelocity(layout);
    this.planOnlyWriters = compiled.planOnlyWriters;
    this.names = [...this.readers.keys()];
    this.store = opts.store ?? new MemoryStore();
    this.memory = this.store instanceof MemoryStore ? this.store : undefined;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.tenant = opts.defaultTenant ?? 'default';
    if (opts.failPolicy !== undefined && opts.failPolicy !== 'open' && opts.failPolicy !== 'closed') {
      throw new Error(`failPolicy must be 'open' or 'closed' (got ${String(opts.failPolicy)})`);
    }
    this.policy = opts.failPolicy ?? 'open';
    this.clock = opts.clock ?? systemClock;
    this.maxPending = opts.maxPendingWrites ?? 100_000;
  }

  has(name: string): boolean {
    return this.readers.has(name);
  }

  computeSync(event: RiskEvent, names: readonly string[]): FeatureResult {
    const store = this.memoryOnly('computeSync');
    checkEvent(event);
    try {
      return this.computeMemory(event, names, store);
    } catch (err) {
      return this.failedSync(err);
    }
  }

  applySync(event: RiskEvent): void {
    const store = this.memoryOnly('applySync');
    checkEvent(event);
    try {
      this.applyMemory(event, store);
    } catch (err) {
      this.writeFailedSync(event, err);
    }
  }

  private memoryOnly(what: string): MemoryStore {
    if (!this.memory) throw new Error(`feature engine: ${what} needs the memory store (the ${this.store.kind} store answers asynchronously: use ${what.replace('Sync', '')})`);
    return this.memory;
  }

  compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult> {
    if (this.memory) {
      try {
        return Promise.resolve(this.computeSync(event, names));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    try {
      checkEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    const tenant = event.tenantId ?? this.tenant;
    const pb = new PlanBuilder();
    const wanted: string[] = [];
    const derives: Derive[] = [];
    // Names this engine does not define belong to other providers (graph.*, statement.*): skipped here.
    for (const name of names) {
      const reader = this.readers.get(name);
      if (!reader) continue;
      wanted.push(name);
      derives.push(reader(event, tenant, pb));
    }
    const finish = (results: ReadValue[][]): FeatureResult => {
      const values: Record<string, unknown> = {};
      for (let i = 0; i < wanted.length; i++) values[wanted[i]] = derives[i](results);
      return { values };
    };
    if (pb.groups.length === 0) return Promise.resolve(finish([]));
    return this.computeAsync(event.occurredAt, pb, finish);
  }

  /** The memory plan of `names`, cached while callers pass the same list (the usual case: one strategy). */
  private memoryPlan(names: readonly string[]): MemoryPlan {
    const last = this.lastPlan;
    if (last !== undefined && last.source === names && sameNames(last.names, names)) return last;
    const plan: MemoryPlan = { source: names, names: [...names], wanted: [], velocity: [], planned: [] };
    const index = this.direct.layout.index;
    for (const name of names) {
      // Names this engine does not define belong to other providers (graph.*, statement.*): skipped here.
      if (!this.readers.has(name)) continue;
      plan.wanted.push(name);
      const v = index.get(name);
      if (v !== undefined) plan.velocity.push(v);
      else plan.planned.push(name);
    }
    this.lastPlan = plan;
    return plan;
  }

  /** In-process: velocity values read directly, the rest through one op plan; synchronous. */
  private computeMemory(event: RiskEvent, names: readonly string[], store: MemoryStore): FeatureResult {
    const tenant = event.tenantId ?? this.tenant;
    const plan = this.memoryPlan(names);
    const values: Record<string, unknown> = {};
    const planned = plan.planned;
    // Values keep the order of the requested names: planned ones get their slot first, filled below.
    if (planned.length > 0) for (const name of plan.wanted) values[name] = null;
    if (plan.velocity.length > 0) this.direct.read(store, tenant, event, plan.velocity, values);
    if (planned.length > 0) {
      const pb = new PlanBuilder();
      const derives: Derive[] = [];
      for (let i = 0; i < planned.length; i++) derives.push(this.readers.get(planned[i])!(event, tenant, pb));
      const results = pb.groups.length > 0 ? store.read({ t: event.occurredAt, groups: pb.groups }) : [];
      for (let i = 0; i < planned.length; i++) values[planned[i]] = derives[i](results);
    }
    return { values };
  }

  private async computeAsync(t: number, pb: PlanBuilder, finish: (r: ReadValue[][]) => FeatureResult): Promise<FeatureResult> {
    // Writes missed during an outage go first, so the values include every event applied before this one.
    if (this.pending.length > 0) await this.flushPending();
    try {
      const result = finish(await this.store.read({ t, groups: pb.groups }));
      // Values are then missing the events still queued: say so rather than answer as if complete.
      if (this.pending.length > 0) result.degraded = `feature store recovering: ${this.pending.length} earlier event(s) not yet applied`;
      return result;
    } catch (err) {
      return this.failed(err);
    }
  }

  private failed(err: unknown): Promise<FeatureResult> {
    try {
      return Promise.resolve(this.failedSync(err));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private failedSync(err: unknown): FeatureResult {
    if (this.policy === 'closed') throw new FeatureStoreUnavailableError(reasonOf(err));
    return { values: {}, degraded: `feature store unavailable: ${reasonOf(err)}` };
  }

  private writePlan(event: RiskEvent): PlanBuilder {
    const tenant = event.tenantId ?? this.tenant;
    const pb = new PlanBuilder();
    for (const w of this.writers) w(event, tenant, pb);
    return pb;
  }

  apply(event: RiskEvent): Promise<void> {
    if (this.memory) {
      try {
        this.applySync(event);
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err);
      }
    }
    try {
      checkEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.pending.length > 0) return this.applyAfterPending(event);
    return this.write(event);
  }

  private applyMemory(event: RiskEvent, store: MemoryStore): void {
    if (!store.markApplied(event.id, event.occurredAt, this.limits)) return;
    const tenant = event.tenantId ?? this.tenant;
    this.direct.write(store, tenant, event, this.limits);
    if (this.planOnlyWriters.length === 0) return;
    const pb = new PlanBuilder();
    for (const w of this.planOnlyWriters) w(event, tenant, pb);
    if (pb.groups.length > 0) store.writeGroups({ eventId: event.id, t: event.occurredAt, groups: pb.groups }, this.limits);
  }

  private async applyAfterPending(event: RiskEvent): Promise<void> {
    await this.flushPending();
    if (this.pending.length > 0) {
      if (this.policy === 'closed') throw new FeatureStoreUnavailableError('earlier writes are still pending');
      this.keep(event);
      return;
    }
    return this.write(event);
  }

  private write(event: RiskEvent): Promise<void> {
    const pb = this.writePlan(event);
    try {
      const r = this.store.write({ eventId: event.id, t: event.occurredAt, groups: pb.groups }, this.limits);
      if (r) return r.catch((err: unknown) => this.writeFailed(event, err));
      return Promise.resolve();
    } catch (err) {
      return this.writeFailed(event, err);
    }
  }

  private writeFailed(event: RiskEvent, err: unknown): Promise<void> {
    try {
      this.writeFailedSync(event, err);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private writeFailedSync(event: RiskEvent, err: unknown): void {
    if (this.policy === 'closed') throw new FeatureStoreUnavailableError(reasonOf(err));
    this.keep(event);
  }

  private keep(event: RiskEvent): void {
    this.pending.push(event);
    if (this.pending.length > this.maxPending) this.pending.shift();
  }

  pendingWrites(): number {
    return this.pending.length;
  }

  async flushPending(): Promise<number> {
    const now = this.clock();
    if (this.pending.length === 0 || now < this.nextRetryAt) return this.pending.length;
    const queue = this.pending;
    this.pending = [];
    for (let i = 0; i < queue.length; i++) {
      const ev = queue[i];
      try {
        await this.store.write({ eventId: ev.id, t: ev.occurredAt, groups: this.writePlan(ev).groups }, this.limits);
      } catch {
        // Still down: keep the rest in order and wait a little before the next attempt.
        this.pending = queue.slice(i).concat(this.pending);
        this.nextRetryAt = now + 100;
        break;
      }
    }
    return this.pending.length;
  }

  async rebuild(events: Iterable<RiskEvent> | AsyncIterable<RiskEvent>): Promise<number> {
    let n = 0;
    for await (const ev of events) {
      await this.apply(ev);
      n++;
    }
    return n;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Creates the feature engine (a FeatureProvider). Throws FeatureDefinitionError on invalid definitions. */
export function createFeatureEngine(opts: FeatureEngineOptions): FeatureEngine {
  return new Engine(opts);
}
