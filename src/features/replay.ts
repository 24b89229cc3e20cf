// Point-in-time replay: historical events pass, in time order, through the same engine the service uses
// (compute as of just before each event, then apply it), so training and backtests see what production saw.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RiskEvent } from '../core/event.js';
import { createFeatureEngine, type FeatureEngine } from './engine.js';
import type { StateStore } from './plan.js';

export interface ReplayRow {
  id: string;
  type: string;
  /** ISO-8601, as at every edge. */
  occurredAt: string;
  features: Record<string, unknown>;
  /** The strategy's result for this event, when a strategy was given. */
  decision?: unknown;
  degraded?: string;
}

/** Evaluates a strategy for one event; `paths` are the input paths it reads (its `features.*` dependencies). */
export interface ReplayStrategy {
  readonly paths: readonly string[];
  evaluate(input: unknown, opts?: { now?: number }): { result: unknown };
}

export interface ReplayOptions {
  definitions: unknown;
  /** Where the replayed state lives (a fresh MemoryStore by default). */
  store?: StateStore;
  /** Feature names to output (all defined features by default). */
  names?: readonly string[];
  strategy?: ReplayStrategy;
}

/** Stable sort by time: events of the same millisecond keep their log order, exactly as they were applied. */
export function sortByTime(events: RiskEvent[]): RiskEvent[] {
  return events
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].occurredAt - b[0].occurredAt || a[1] - b[1])
    .map((x) => x[0]);
}

/** Yields one row per event, in time order. */
export async function* replayEvents(events: RiskEvent[], opts: ReplayOptions): AsyncGenerator<ReplayRow> {
  const engine: FeatureEngine = createFeatureEngine({ definitions: opts.definitions, store: opts.store, failPolicy: 'closed' });
  const names = opts.names ?? engine.names;
  const strategyNames = opts.strategy ? featureNamesOf(opts.strategy.paths) : [];
  const all = [...new Set([...names, ...strategyNames])];
  try {
    for (const ev of sortByTime(events)) {
      const { values } = await engine.compute(ev, all);
      const row: ReplayRow = { id: ev.id, type: ev.type, occurredAt: new Date(ev.occurredAt).toISOString(), features: pick(values, names) };
      if (opts.strategy) row.decision = opts.strategy.evaluate({ ...ev, features: values }, { now: ev.occurredAt }).result;
      await engine.apply(ev);
      yield row;
    }
  } finally {
    await engine.close();
  }
}

/**
 * The feature names a strategy reads, from its dependency paths: `features.card_1h` → `card_1h`,
 * `features.graph.shared_device_users` → `graph.shared_device_users` (other providers' names are namespaced).
 */
export function featureNamesOf(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) if (p.startsWith('features.') && p.length > 9) out.add(p.slice(9));
  return [...out];
}

function pick(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = values[n] ?? null;
  return out;
}

/** Turns one parsed NDJSON record into a RiskEvent (occurredAt as ISO-8601 or epoch ms), or explains why not. */
export function toRiskEvent(raw: unknown): RiskEvent | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'not a JSON object';
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return 'id must be a non-empty string';
  if (typeof r.type !== 'string' || r.type === '') return 'type must be a non-empty string';
  let t: number;
  if (typeof r.occurredAt === 'number') t = r.occurredAt;
  else if (typeof r.occurredAt === 'string') t = Date.parse(r.occurredAt);
  else return 'occurredAt must be an ISO-8601 string or epoch milliseconds';
  if (!Number.isFinite(t)) return `occurredAt '${String(r.occurredAt)}' is not a valid time`;
  const subject = r.subject ?? {};
  const data = r.data ?? {};
  if (typeof subject !== 'object' || Array.isArray(subject)) return 'subject must be an object';
  if (typeof data !== 'object' || Array.isArray(data)) return 'data must be an object';
  const ev: RiskEvent = { id: r.id, type: r.type, occurredAt: t, subject: subject as RiskEvent['subject'], data: data as Record<string, unknown> };
  if (typeof r.tenantId === 'string') ev.tenantId = r.tenantId;
  return ev;
}

/** Reads an NDJSON event file; throws with the line number of the first bad line. */
export async function readEventsFile(path: string): Promise<RiskEvent[]> {
  const out: RiskEvent[] = [];
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path}:${n}: not valid JSON (${(err as Error).message})`);
    }
    const ev = toRiskEvent(parsed);
    if (typeof ev === 'string') throw new Error(`${path}:${n}: ${ev}`);
    out.push(ev);
  }
  return out;
}
