// Feature-engine throughput: 1M synthetic events (20% of traffic on 1% of keys) through three features —
// payments per card in 1 h, distinct users per device in 24 h, amount per user in 7 d — on the memory store,
// on Redis (pipelined, plus single-event latency), and a naive baseline (per-key arrays filtered on each read).
//   npm run bench -- features [--json] [--quick] [--events N] [--redis-events N] [--no-redis]
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import type { RiskEvent } from '../../src/core/event.js';
import { createFeatureEngine, MemoryStore, RedisStore } from '../../src/features/index.js';
import { seededRandom } from '../../src/core/random.js';

const DEFS = [
  { name: 'card_payments_1h', kind: 'velocity', agg: 'count', key: 'subject.bankCard', window: '1h', eventTypes: ['payment'] },
  { name: 'device_users_24h', kind: 'velocity', agg: 'distinct', field: 'subject.userId', key: 'subject.deviceId', window: '24h' },
  { name: 'user_amount_7d', kind: 'velocity', agg: 'sum', field: 'data.amount', key: 'subject.userId', window: '7d' },
];
const NAMES = DEFS.map((d) => d.name);

const rng = seededRandom;

/** `n` events over one day; each key dimension has n/10 keys and 1% of them get 20% of the traffic. */
export function syntheticEvents(n: number, seed = 1): RiskEvent[] {
  const r = rng(seed);
  const keys = Math.max(100, Math.floor(n / 10));
  const hot = Math.max(1, Math.floor(keys / 100));
  const pick = (): number => (r() < 0.2 ? Math.floor(r() * hot) : hot + Math.floor(r() * (keys - hot)));
  const t0 = Date.UTC(2026, 0, 1);
  const step = 86_400_000 / n;
  const out: RiskEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      id: 'e' + i,
      type: r() < 0.8 ? 'payment' : 'login',
      occurredAt: t0 + Math.floor(i * step),
      subject: { userId: 'u' + pick(), deviceId: 'd' + pick(), bankCard: 'c' + pick() },
      data: { amount: 1 + Math.floor(r() * 100_000) },
    };
  }
  return out;
}

/** The baseline most first versions ship: every event appended to per-key arrays, each read filters them. */
class Naive {
  private cards = new Map<string, number[]>();
  private devices = new Map<string, { t: number; u: string }[]>();
  private users = new Map<string, { t: number; a: number }[]>();

  compute(e: RiskEvent): Record<string, unknown> {
    const t = e.occurredAt;
    const c = this.cards.get(e.subject.bankCard!) ?? [];
    const d = this.devices.get(e.subject.deviceId!) ?? [];
    const u = this.users.get(e.subject.userId!) ?? [];
    return {
      card_payments_1h: c.filter((x) => x > t - 3_600_000 && x < t).length,
      device_users_24h: new Set(d.filter((x) => x.t > t - 86_400_000 && x.t < t).map((x) => x.u)).size,
      user_amount_7d: u.filter((x) => x.t > t - 7 * 86_400_000 && x.t < t).reduce((s, x) => s + x.a, 0),
    };
  }

  apply(e: RiskEvent): void {
    const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
      const a = m.get(k);
      if (a) a.push(v);
      else m.set(k, [v]);
    };
    if (e.type === 'payment') push(this.cards, e.subject.bankCard!, e.occurredAt);
    push(this.devices, e.subject.deviceId!, { t: e.occurredAt, u: e.subject.userId! });
    push(this.users, e.subject.userId!, { t: e.occurredAt, a: e.data.amount as number });
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU seconds of this process since `from`: on a shared machine, throughput per CPU second is the stable figure. */
function cpuSecs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

interface Sums {
  cards: number;
  users: number;
  amount: number;
}

function mismatch(a: Sums, b: Sums): string | undefined {
  for (const k of ['cards', 'users', 'amount'] as const) if (a[k] !== b[k]) return `${k}: ${a[k]} vs ${b[k]}`;
  return undefined;
}

/** A full collection now, when the runtime lets us ask for one (to measure retained state, not garbage). */
function collect(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
  } catch {
    // No collection available: the state figure then includes some garbage.
  }
}

/** The memory store through the synchronous embedded API (computeSync/applySync): what the decision service runs. */
function benchMemory(events: RiskEvent[]): { eventsPerSec: number; eventsPerCpuSec: number; peakMiB: number; stateMiB: number; sums: Sums } {
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const engine = createFeatureEngine({ definitions: DEFS, store: new MemoryStore() });
  const sums: Sums = { cards: 0, users: 0, amount: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const v = engine.computeSync(e, NAMES).values;
    sums.cards += v.card_payments_1h as number;
    sums.users += v.device_users_24h as number;
    sums.amount += v.user_amount_7d as number;
    engine.applySync(e);
    if ((i & 65535) === 65535) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSecs(c0);
  peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  collect();
  const state = process.memoryUsage().heapUsed - base;
  void engine.close();
  return { eventsPerSec: Math.round(events.length / secs), eventsPerCpuSec: Math.round(events.length / cpu), peakMiB: mib(peak), stateMiB: mib(state), sums };
}

/** The same store through the promise API (compute/apply awaited one event at a time), for comparison. */
async function benchMemoryAsync(events: RiskEvent[]): Promise<{ eventsPerSec: number; eventsPerCpuSec: number; sums: Sums }> {
  const engine = createFeatureEngine({ definitions: DEFS, store: new MemoryStore() });
  const sums: Sums = { cards: 0, users: 0, amount: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const e of events) {
    const v = (await engine.compute(e, NAMES)).values;
    sums.cards += v.card_payments_1h as number;
    sums.users += v.device_users_24h as number;
    sums.amount += v.user_amount_7d as number;
    await engine.apply(e);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSecs(c0);
  await engine.close();
  return { eventsPerSec: Math.round(events.length / secs), eventsPerCpuSec: Math.round(events.length / cpu), sums };
}

function benchNaive(events: RiskEvent[]): { eventsPerSec: number; eventsPerCpuSec: number; sums: Sums } {
  const naive = new Naive();
  const sums: Sums = { cards: 0, users: 0, amount: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const e of events) {
    const v = naive.compute(e);
    sums.cards += v.card_payments_1h as number;
    sums.users += v.device_users_24h as number;
    sums.amount += v.user_amount_7d as number;
    naive.apply(e);
  }
  const cpu = cpuSecs(c0);
  return { eventsPerSec: Math.round(events.length / ((performance.now() - t0) / 1000)), eventsPerCpuSec: Math.round(events.length / cpu), sums };
}

/**
 * Context, not a contender: the bare memory traffic of this workload — one Set insert and three Map lookups with
 * an array append per event, no windows, no values — shows what the machine allows at all under its current load.
 */
function bareLoop(events: RiskEvent[]): { eventsPerCpuSec: number } {
  const ids = new Set<string>();
  const maps = [new Map<string, number[]>(), new Map<string, number[]>(), new Map<string, number[]>()];
  let check = 0;
  const c0 = process.cpuUsage();
  for (const e of events) {
    ids.add(e.id);
    const keys = [e.subject.bankCard!, e.subject.deviceId!, e.subject.userId!];
    for (let j = 0; j < 3; j++) {
      const a = maps[j].get(keys[j]);
      if (a) {
        check += a.length;
        a.push(e.occurredAt);
      } else maps[j].set(keys[j], [e.occurredAt]);
    }
  }
  const cpu = cpuSecs(c0);
  if (check < 0) throw new Error('unreachable');
  return { eventsPerCpuSec: Math.round(events.length / cpu) };
}

/** The machine's ceiling for context: pipelined calls of a Lua script that does nothing. */
async function redisNoopCeiling(store: RedisStore, n: number): Promise<number> {
  const c = store.client as unknown as { xzNoop(numKeys: number): Promise<unknown> };
  store.client.defineCommand('xzNoop', { lua: 'return 1' });
  await c.xzNoop(0);
  const t0 = performance.now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) all.push(c.xzNoop(0));
  await Promise.all(all);
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/** Events issued back to back before awaiting them all (compute + apply each): the pipeline depth measured. */
const REDIS_PIPELINE_EVENTS = 512;
/** Single events sent before the latency percentiles start recording. */
const LATENCY_WARMUP = 500;
/** Calls per batch script (RedisStore `batch`): a pipelined burst goes out as bursts of this many calls. */
const REDIS_SCRIPT_CALLS = 256;

async function benchRedis(events: RiskEvent[], latencyEvents: number): Promise<{ eventsPerSec: number; cpuUsPerEvent: number; p50Ms: number; p99Ms: number; checksum: number; noopScriptsPerSec: number } | { error: string }> {
  const store = new RedisStore({ prefix: `xzbench:${process.pid}:`, timeoutMs: 5000, batch: REDIS_SCRIPT_CALLS });
  try {
    await store.ready(2000);
  } catch (err) {
    await store.close();
    return { error: (err as Error).message };
  }
  const engine = createFeatureEngine({ definitions: DEFS, store, failPolicy: 'closed' });
  try {
    const noopScriptsPerSec = await redisNoopCeiling(store, 20_000);
    // Pipelined: a batch's reads and writes go out back to back on one connection; Redis runs them in order,
    // so each event still sees exactly the events before it.
    let checksum = 0;
    const batch = REDIS_PIPELINE_EVENTS;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += batch) {
      const pending: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(i + batch, events.length); j++) {
        pending.push(engine.compute(events[j], NAMES).then((r) => (checksum += r.values.card_payments_1h as number)));
        pending.push(engine.apply(events[j]));
      }
      await Promise.all(pending);
    }
    const eventsPerSec = Math.round(events.length / ((performance.now() - t0) / 1000));
    const cpuUsPerEvent = Math.round((cpuSecs(c0) / events.length) * 1e7) / 10;
    // Single event, one at a time: compute then apply, awaited. The pipelined run's garbage is collected first and
    // the first LATENCY_WARMUP events are not recorded, so the percentiles describe the steady state, not the
    // collection of the previous phase or the first calls on a fresh path.
    const lat: number[] = [];
    const tail = syntheticEvents(latencyEvents + LATENCY_WARMUP, 2).map((e, i) => ({ ...e, id: 'lat' + i, occurredAt: events[events.length - 1].occurredAt + 1 + i }));
    collect();
    for (let i = 0; i < tail.length; i++) {
      const e = tail[i];
      const s = performance.now();
      await engine.compute(e, NAMES);
      await engine.apply(e);
      if (i >= LATENCY_WARMUP) lat.push(performance.now() - s);
    }
    lat.sort((a, b) => a - b);
    const r3 = (x: number): number => Math.round(x * 1000) / 1000;
    return { eventsPerSec, cpuUsPerEvent, p50Ms: r3(percentile(lat, 50)), p99Ms: r3(percentile(lat, 99)), checksum, noopScriptsPerSec };
  } finally {
    await store.clear();
    await engine.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, events: { type: 'string' }, 'redis-events': { type: 'string' }, 'no-redis': { type: 'boolean' } },
    strict: true,
  });
  const n = Number(values.events ?? (values.quick ? 50_000 : 1_000_000));
  const nRedis = Number(values['redis-events'] ?? (values.quick ? 10_000 : 200_000));
  const nAsync = Math.min(n, values.quick ? 50_000 : 200_000);
  const log = values.json ? () => {} : (s: string) => console.log(s);
  log(`generating ${n.toLocaleString('en')} events (20% of traffic on 1% of keys)…`);
  const events = syntheticEvents(n);
  // Warm the JIT on a separate stream so no contender pays for compilation in its timed run.
  const warm = syntheticEvents(20_000, 99);
  benchMemory(warm);
  await benchMemoryAsync(warm);
  benchNaive(warm);
  bareLoop(warm);
  log('memory store (computeSync/applySync)…');
  const mem = benchMemory(events);
  log(`memory store through the promise API (${nAsync.toLocaleString('en')} events)…`);
  const memAsync = await benchMemoryAsync(events.slice(0, nAsync));
  log('naive baseline…');
  const naive = benchNaive(events);
  const bare = bareLoop(events);
  const differs = mismatch(naive.sums, mem.sums);
  if (differs) throw new Error(`naive baseline and engine disagree (${differs})`);
  const peakRssMiB = mib(process.resourceUsage().maxRSS * 1024);
  log(values['no-redis'] ? 'redis store skipped (--no-redis)' : `redis store (${nRedis.toLocaleString('en')} events)…`);
  const redis = values['no-redis'] ? { error: 'skipped (--no-redis)' } : await benchRedis(events.slice(0, nRedis), values.quick ? 1000 : 5000);
  const result = {
    events: n,
    memoryEventsPerSec: mem.eventsPerSec,
    memoryEventsPerCpuSec: mem.eventsPerCpuSec,
    memoryPeakMiB: mem.peakMiB,
    memoryStateMiB: mem.stateMiB,
    peakRssMiB,
    memoryAsyncEvents: nAsync,
    memoryAsyncEventsPerSec: memAsync.eventsPerSec,
    memoryAsyncEventsPerCpuSec: memAsync.eventsPerCpuSec,
    naiveEventsPerSec: naive.eventsPerSec,
    naiveEventsPerCpuSec: naive.eventsPerCpuSec,
    memoryVsNaive: Math.round((mem.eventsPerSec / naive.eventsPerSec) * 100) / 100,
    memoryVsNaivePerCpuSec: Math.round((mem.eventsPerCpuSec / naive.eventsPerCpuSec) * 100) / 100,
    bareLoopEventsPerCpuSec: bare.eventsPerCpuSec,
    redisEvents: nRedis,
    redisEventsPerSec: 'error' in redis ? null : redis.eventsPerSec,
    redisClientCpuUsPerEvent: 'error' in redis ? null : redis.cpuUsPerEvent,
    redisPipelineEvents: REDIS_PIPELINE_EVENTS,
    redisLatencyWarmup: LATENCY_WARMUP,
    redisScriptCalls: REDIS_SCRIPT_CALLS,
    redisP50Ms: 'error' in redis ? null : redis.p50Ms,
    redisP99Ms: 'error' in redis ? null : redis.p99Ms,
    redisNoopScriptsPerSec: 'error' in redis ? null : redis.noopScriptsPerSec,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    cpus: os.cpus().length,
    ...('error' in redis ? { redisError: redis.error } : {}),
    targets: { memoryEventsPerSec: 1_000_000, redisEventsPerSec: 20_000, redisP99Ms: 1 },
  };
  if ('checksum' in redis && redis.checksum !== checksumOf(events.slice(0, nRedis))) throw new Error('redis values differ from the memory store');
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`
features benchmark — ${n.toLocaleString('en')} events, 3 features (card payments 1h, device distinct users 24h, user amount 7d)
  memory store     ${result.memoryEventsPerSec.toLocaleString('en')} events/s wall, ${result.memoryEventsPerCpuSec.toLocaleString('en')} per CPU-second (computeSync/applySync)   (target ≥ 1,000,000/s)
                   state ${result.memoryStateMiB} MiB after GC, peak heap growth ${result.memoryPeakMiB} MiB (garbage included), process peak RSS ${result.peakRssMiB} MiB (input events included)
  memory, promises ${result.memoryAsyncEventsPerSec.toLocaleString('en')} events/s wall, ${result.memoryAsyncEventsPerCpuSec.toLocaleString('en')} per CPU-second (compute/apply awaited, ${nAsync.toLocaleString('en')} events)
  naive baseline   ${result.naiveEventsPerSec.toLocaleString('en')} events/s wall, ${result.naiveEventsPerCpuSec.toLocaleString('en')} per CPU-second   engine is ${result.memoryVsNaive}× wall, ${result.memoryVsNaivePerCpuSec}× per CPU-second
  bare loop        ${result.bareLoopEventsPerCpuSec.toLocaleString('en')} per CPU-second (context: Set insert + 3 Map lookups + appends, no feature logic)
  redis pipelined  ${result.redisEventsPerSec?.toLocaleString('en') ?? 'n/a'} events/s on ${nRedis.toLocaleString('en')} events   (target ≥ 20,000/s)
                   ${REDIS_PIPELINE_EVENTS} events in flight, calls sent as batch scripts of ${REDIS_SCRIPT_CALLS}; client ${result.redisClientCpuUsPerEvent ?? 'n/a'} µs CPU per event
  redis 1 event    p50 ${result.redisP50Ms ?? 'n/a'} ms   p99 ${result.redisP99Ms ?? 'n/a'} ms   (target p99 < 1 ms; compute then apply, awaited; first ${LATENCY_WARMUP} not recorded)
  context          empty Lua script, pipelined: ${result.redisNoopScriptsPerSec?.toLocaleString('en') ?? 'n/a'} calls/s (an event is 2 calls: compute, apply, batched); load ${result.loadAverage1m} on ${result.cpus} CPUs${'error' in redis ? `\n  redis error: ${redis.error}` : ''}`);
}

function checksumOf(events: RiskEvent[]): number {
  const naive = new Naive();
  let s = 0;
  for (const e of events) {
    s += naive.compute(e).card_payments_1h as number;
    naive.apply(e);
  }
  return s;
}
