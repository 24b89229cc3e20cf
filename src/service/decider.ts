// The hot path: one validated event → idempotency check → features (as of before it) → strategy →
// state update → durable log append → answer. Never throws for a bad strategy or a failing feature store:
// those degrade the decision (named in `degraded`) instead of failing the request.
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider } from '../core/feature-provider.js';
import type { Clock } from '../core/clock.js';
import { maskPersonalData } from '../core/mask.js';
import type { Decision, DecisionRecord, Store } from '../store/types.js';
import { payloadHash } from '../store/util.js';
import type { ActiveVersion, StrategyRuntime } from './strategy-runtime.js';
import { HttpError } from './errors.js';
import type { Metrics } from './metrics.js';
import type { SeenIds } from './seen-ids.js';

export interface DecisionResponse {
  eventId: string;
  decision: Decision;
  score: number;
  riskLevel: string;
  reasons: unknown[];
  outputs: Record<string, unknown>;
  strategy: { id: string; version: number } | null;
  latencyMs: number;
  degraded?: string;
  replayed?: boolean;
  trace?: unknown;
  features?: Record<string, unknown>;
}

export interface DeciderOptions {
  store: Store;
  clock: Clock;
  features: FeatureProvider;
  runtime: StrategyRuntime;
  metrics?: Metrics;
  onError?: (err: unknown, context: string) => void;
  /**
   * Bulk loading only (seeding demo history): answer once the record is buffered, not committed; the
   * caller awaits `pendingCommits()`. Never for live traffic: an acknowledged decision must be durable.
   */
  ackBeforeCommit?: boolean;
  /**
   * Ids this process stored, when it is the log's only writer (embedded SQLite): unseen ids skip the
   * idempotency read. Must hold every stored id (filled from the log at start).
   */
  seen?: SeenIds;
}

const DECISIONS = new Set(['approve', 'review', 'reject']);
const DEFAULT_LEVEL: Record<Decision, string> = { approve: 'low', review: 'medium', reject: 'high' };

interface Outcome {
  decision: Decision;
  score: number;
  riskLevel: string;
  reasons: unknown[];
  outputs: Record<string, unknown>;
  rulesHit: string[];
  trace?: unknown;
  problem?: string;
}

/** Reads decision/score/riskLevel/reasons from a strategy's output object. */
export function readOutcome(result: unknown): Outcome {
  const outputs = result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : { value: result };
  const d = outputs.decision;
  const decision: Decision = typeof d === 'string' && DECISIONS.has(d) ? (d as Decision) : 'review';
  const score = typeof outputs.score === 'number' && Number.isFinite(outputs.score) ? outputs.score : 0;
  const riskLevel = typeof outputs.riskLevel === 'string' ? outputs.riskLevel : DEFAULT_LEVEL[decision];
  const reasons = Array.isArray(outputs.reasons) ? outputs.reasons : [];
  const rulesHit: string[] = [];
  for (const r of reasons) {
    if (typeof r === 'string') rulesHit.push(r);
    else if (r && typeof r === 'object') {
      const o = r as Record<string, unknown>;
      const id = o.code ?? o.rule ?? o.id;
      if (typeof id === 'string' || typeof id === 'number') rulesHit.push(String(id));
    }
  }
  const problem = typeof d === 'string' && DECISIONS.has(d) ? undefined : `strategy output has no valid decision (got ${JSON.stringify(d) ?? 'nothing'}); answered review`;
  return { decision, score, riskLevel, reasons, outputs, rulesHit, problem };
}

/** Masks personal data inside each node's input/output, leaving node metadata (id, name, kind) readable. */
export function maskTrace(trace: unknown): unknown {
  if (!trace || typeof trace !== 'object') return trace;
  const out: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(trace as Record<string, Record<string, unknown>>)) {
    out[id] = node && typeof node === 'object' ? { ...node, input: maskPersonalData(node.input), output: maskPersonalData(node.output) } : node;
  }
  return out;
}

export class Decider {
  private readonly inflight = new Map<string, Promise<DecisionResponse>>();
  private commits: Promise<void>[] = [];

  /** With ackBeforeCommit: waits for every buffered record to be committed. */
  async pendingCommits(): Promise<void> {
    const c = this.commits;
    this.commits = [];
    await Promise.all(c);
  }

  constructor(private readonly o: DeciderOptions) {}

  /**
   * Decides one validated event for a tenant. Throws HttpError 409 on an idempotency conflict.
   * With `commits`, the log commit is pushed there instead of awaited (a batch awaits them all before it
   * answers, so events are still decided in order but share group commits).
   */
  async decide(tenantId: string, event: RiskEvent, trace: boolean, commits?: Promise<void>[]): Promise<DecisionResponse> {
    const key = tenantId + '\0' + event.id;
    const hash = payloadHash(event);
    const running = this.inflight.get(key);
    if (running) {
      await running.catch(() => undefined);
      return this.replay(tenantId, event.id, hash);
    }
    const seen = this.o.seen;
    if (!seen || seen.mightHave(tenantId, event.id)) {
      const stored = await this.o.store.log.get(tenantId, event.id);
      if (stored) return this.fromStored(stored, hash);
    }
    const p = this.run(tenantId, event, hash, trace, commits);
    this.inflight.set(key, p);
    try {
      return await p;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Records an id stored outside decide() (history import). */
  markStored(tenantId: string, eventId: string): void {
    this.o.seen?.add(tenantId, eventId);
  }

  private async replay(tenantId: string, id: string, hash: string): Promise<DecisionResponse> {
    const stored = await this.o.store.log.get(tenantId, id);
    if (!stored) throw new HttpError(503, 'not_ready', `event ${id} could not be stored; retry`);
    return this.fromStored(stored, hash);
  }

  private fromStored(r: DecisionRecord, hash: string): DecisionResponse {
    if (r.payloadHash !== hash) {
      throw new HttpError(409, 'idempotency_conflict', `event ${r.eventId} was already received with a different payload / 该事件ID已使用不同内容提交过`, [
        { field: 'body.id', message: 'already used by an event with another type, occurredAt, subject or data' },
      ]);
    }
    if (!r.decision) {
      throw new HttpError(409, 'idempotency_conflict', `event ${r.eventId} was imported as history without a decision`, [{ field: 'body.id', message: 'already imported' }]);
    }
    return {
      eventId: r.eventId,
      decision: r.decision,
      score: r.score ?? 0,
      riskLevel: r.riskLevel ?? DEFAULT_LEVEL[r.decision],
      reasons: r.reasons ?? [],
      outputs: r.outputs ?? {},
      strategy: r.strategyId ? { id: r.strategyId, version: r.strategyVersion ?? 0 } : null,
      latencyMs: r.latencyMs ?? 0,
      ...(r.degraded ? { degraded: r.degraded } : {}),
      replayed: true,
    };
  }

  private evaluate(v: ActiveVersion, input: unknown, now: number, trace: boolean): Outcome {
    try {
      const res = v.compiled.evaluate(input, { now, trace });
      const out = readOutcome(res.result);
      if (trace) out.trace = res.trace;
      return out;
    } catch (err) {
      this.o.onError?.(err, `strategy ${v.strategyId}@${v.version}`);
      return {
        decision: 'review',
        score: 0,
        riskLevel: 'medium',
        reasons: [],
        outputs: {},
        rulesHit: [],
        problem: `strategy ${v.strategyId}@${v.version} failed: ${err instanceof Error ? err.message : String(err)}; answered review`,
      };
    }
  }

  private async run(tenantId: string, event: RiskEvent, hash: string, trace: boolean, commits?: Promise<void>[]): Promise<DecisionResponse> {
    const t0 = performance.now();
    const now = this.o.clock();
    // The route hands over its own freshly validated event with tenantId set: no copy on the hot path.
    const ev: RiskEvent = event.tenantId === tenantId ? event : { ...event, tenantId };
    const active = this.o.runtime.cached(tenantId, event.type) ?? (await this.o.runtime.forEvent(tenantId, event.type));
    const degraded: string[] = [];
    let features: Record<string, unknown> = {};
    if (active.features.length > 0) {
      try {
        const fr = await this.o.features.compute(ev, active.features);
        features = fr.values;
        if (fr.degraded) degraded.push(fr.degraded);
      } catch (err) {
        this.o.onError?.(err, 'features');
        degraded.push(`features unavailable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const input = { id: event.id, type: event.type, occurredAt: event.occurredAt, subject: event.subject, data: event.data, features };
    let out: Outcome;
    if (active.main) {
      out = this.evaluate(active.main, input, now, trace);
      if (out.problem) degraded.push(out.problem);
    } else {
      out = { decision: 'approve', score: 0, riskLevel: 'none', reasons: [], outputs: {}, rulesHit: [] };
    }
    let shadow: unknown;
    if (active.shadow) {
      const s = this.evaluate(active.shadow, input, now, false);
      shadow = { strategyId: active.shadow.strategyId, version: active.shadow.version, decision: s.decision, score: s.score, riskLevel: s.riskLevel, reasons: s.reasons, rulesHit: s.rulesHit, ...(s.problem ? { problem: s.problem } : {}) };
    }
    try {
      await this.o.features.apply(ev);
    } catch (err) {
      this.o.onError?.(err, 'features.apply');
      degraded.push(`feature state not updated: ${err instanceof Error ? err.message : String(err)}`);
    }
    const latencyMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const degradedText = degraded.length > 0 ? degraded.join('; ') : undefined;
    const maskedTrace = trace && out.trace ? maskTrace(out.trace) : undefined;
    // The log masks what it stores; the answer carries features only when traced (masked here for it).
    const usedFeatures = trace && active.features.length > 0 ? maskPersonalData(features) : undefined;
    this.o.seen?.add(tenantId, event.id);
    const committed = this.o.store.log.append({
      tenantId,
      eventId: event.id,
      eventType: event.type,
      occurredAt: event.occurredAt,
      recordedAt: now,
      subject: event.subject,
      data: event.data,
      payloadHash: hash,
      decision: out.decision,
      score: out.score,
      riskLevel: out.riskLevel,
      reasons: out.reasons,
      outputs: out.outputs,
      strategyId: active.main?.strategyId,
      strategyVersion: active.main?.version,
      rulesHit: out.rulesHit,
      trace: maskedTrace,
      features: active.features.length > 0 ? features : undefined,
      latencyMs,
      degraded: degradedText,
      shadow,
    });
    if (commits) {
      committed.catch(() => undefined);
      commits.push(committed);
    } else if (this.o.ackBeforeCommit) {
      committed.catch(() => undefined);
      this.commits.push(committed);
    }
    else {
      try {
        await committed;
      } catch (err) {
        // Not stored, so not acknowledged: the client retries with the same id (feature updates are
        // idempotent by id, so the retry does not count the event twice).
        this.o.onError?.(err, 'log.append');
        throw new HttpError(503, 'store_unavailable', `the decision could not be stored; retry with the same event id / 决策未能保存，请用相同事件ID重试: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.o.metrics?.decided(event.type, out.decision, latencyMs / 1000, degradedText !== undefined);
    const resp: DecisionResponse = {
      eventId: event.id,
      decision: out.decision,
      score: out.score,
      riskLevel: out.riskLevel,
      reasons: out.reasons,
      outputs: out.outputs,
      strategy: active.main ? { id: active.main.strategyId, version: active.main.version } : null,
      latencyMs,
    };
    if (degradedText) resp.degraded = degradedText;
    if (trace) {
      resp.trace = maskedTrace ?? null;
      resp.features = usedFeatures ?? {};
    }
    return resp;
  }
}
