// Shared by the feature tests: the same suite runs against the memory store and the real Redis.
import { Redis } from 'ioredis';
import type { RiskEvent } from '../../src/core/event.js';
import type { FeatureProvider } from '../../src/core/feature-provider.js';
import { MemoryStore, RedisStore, type StateStore } from '../../src/features/index.js';
import { seededRandom } from '../../src/core/random.js';

export const REDIS_URL = process.env.XIEZHI_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

let probe: Promise<boolean> | undefined;

/** True when Redis answers PING. */
export function redisUp(): Promise<boolean> {
  probe ??= (async () => {
    const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
    r.on('error', () => {});
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  })();
  return probe;
}

/**
 * Why Redis tests are skipped (false when they run). With CI=true a missing Redis is an error, not a skip:
 * the suite must really have compared both stores there.
 */
export async function redisSkip(): Promise<string | false> {
  if (await redisUp()) return false;
  if (process.env.CI === 'true') throw new Error(`Redis is required when CI=true but ${REDIS_URL} does not answer`);
  return `Redis not reachable at ${REDIS_URL}: Redis store tests skipped (they fail when CI=true)`;
}

let seq = 0;
export function uniquePrefix(): string {
  return `xztest:${process.pid}:${Date.now().toString(36)}:${seq++}:`;
}

/** `redis` sends one script call per event; `redis-per-entity` one per entity (the Redis Cluster layout). */
export type StoreKind = 'memory' | 'redis' | 'redis-per-entity';
export const KINDS: StoreKind[] = ['memory', 'redis', 'redis-per-entity'];

/** A fresh store of this kind; `done()` removes its Redis keys and closes it. */
export async function makeStore(kind: StoreKind): Promise<{ store: StateStore; done: () => Promise<void> }> {
  if (kind === 'memory') {
    const store = new MemoryStore();
    return { store, done: () => store.close() };
  }
  const store = new RedisStore({ url: REDIS_URL, prefix: uniquePrefix(), timeoutMs: 1000, perEntity: kind === 'redis-per-entity' });
  await store.ready();
  return {
    store,
    done: async () => {
      await store.clear();
      await store.close();
    },
  };
}

export function ev(id: string, type: string, at: number, subject: RiskEvent['subject'], data: Record<string, unknown> = {}, tenantId?: string): RiskEvent {
  const e: RiskEvent = { id, type, occurredAt: at, subject, data };
  if (tenantId) e.tenantId = tenantId;
  return e;
}

export const rng = seededRandom;

/** A mixed stream over few users/devices/cards/IPs so windows, profiles and signals all fire. */
export function syntheticStream(n: number, seed = 7): RiskEvent[] {
  const r = rng(seed);
  const types = ['login', 'payment', 'payment', 'transfer', 'register', 'profile_change'];
  const out: RiskEvent[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    // One event in ten shares the previous one's millisecond: those must not see each other.
    t += r() < 0.1 ? 0 : r() < 0.5 ? Math.floor(r() * 2 * MIN) : Math.floor(r() * 40 * MIN);
    const type = types[Math.floor(r() * types.length)];
    const u = 'u' + Math.floor(r() * 6);
    const data: Record<string, unknown> = {
      amount: r() < 0.3 ? 1 + Math.floor(r() * 9) : r() < 0.7 ? Math.floor(r() * 50) * 2 + 1 : Math.floor(r() * 5000) + 0.5,
      payeeId: 'p' + Math.floor(r() * 8),
      lat: 30 + r() * 10,
      lon: 110 + r() * 10,
    };
    if (type === 'profile_change') data.field = r() < 0.5 ? 'password' : 'phone';
    if (i % 50 === 25) {
      // A card-testing burst: small payments a minute apart on one card.
      for (let j = 0; j < 4; j++) out.push(ev(`s${i}b${j}`, 'payment', (t += MIN), { userId: u, deviceId: 'd9', bankCard: 'c0' }, { amount: 1 + j }));
    }
    out.push(ev(`s${i}`, type, t, { userId: u, deviceId: 'd' + Math.floor(r() * 5), bankCard: 'c' + Math.floor(r() * 3), ip: '10.0.0.' + Math.floor(r() * 4) }, data));
  }
  return out;
}

/** Computes every event's features (as of before it), then applies it; returns the vectors in order. */
export async function vectorsOf(engine: { compute: FeatureProvider['compute']; apply: FeatureProvider['apply'] }, events: RiskEvent[], names: readonly string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    const r = await engine.compute(e, names);
    if (r.degraded) throw new Error(`unexpected degraded result: ${r.degraded}`);
    out.push(r.values);
    await engine.apply(e);
  }
  return out;
}
