// Cluster-mode feature state in Redis: one Lua script call per entity per event (atomic, one hash slot each,
// keys `<prefix>{tenant:path:value}:<suffix>`), all of an event's calls pipelined on one connection.
import { Redis, type RedisOptions } from 'ioredis';
import { READ_LUA, WRITE_LUA } from './redis-lua.js';
import type { OpGroup, ReadPlan, ReadValue, StateLimits, StateStore, WritePlan } from './plan.js';

export interface RedisStoreOptions {
  /** Redis URL (default: env XIEZHI_REDIS_URL, then redis://127.0.0.1:6379). Ignored when `client` is given. */
  url?: string;
  client?: Redis;
  /** Prepended to every key (outside the hash tag), e.g. `xz:` or a per-test prefix. */
  prefix?: string;
  /**
   * Per-entity scripts (one call per entity per event, each in its own hash slot), as Redis Cluster requires.
   * Default false: on a single Redis an event's entities go in ONE script call (same Lua, fewer round trips).
   */
  perEntity?: boolean;
  /** A command not answered within this time fails (and the failure policy applies). Default 200 ms. */
  timeoutMs?: number;
  /** Calls made before the first connection wait this long for it, then fail. Default 1000 ms. */
  startupWaitMs?: number;
  redisOptions?: RedisOptions;
}

type ScriptedRedis = Redis & {
  xzFeatRead(numKeys: number, ...args: (string | number)[]): Promise<unknown[]>;
  xzFeatWrite(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly client: ScriptedRedis;
  readonly prefix: string;
  private readonly owned: boolean;
  readonly perEntity: boolean;
  private readonly startupWaitMs: number;
  /** Until the first connection, calls wait for it (up to timeoutMs) instead of failing at start-up. */
  private everReady = false;

  constructor(opts: RedisStoreOptions = {}) {
    this.prefix = opts.prefix ?? 'xz:';
    this.perEntity = opts.perEntity ?? false;
    this.owned = !opts.client;
    const client =
      opts.client ??
      new Redis(opts.url ?? process.env.XIEZHI_REDIS_URL ?? 'redis://127.0.0.1:6379', {
        // Fail fast instead of queueing while disconnected: the failure policy decides what the caller sees.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: opts.timeoutMs ?? 200,
        enableAutoPipelining: true,
        retryStrategy: (times) => Math.min(50 * times, 1000),
        lazyConnect: false,
        ...opts.redisOptions,
      });
    client.defineCommand('xzFeatRead', { lua: READ_LUA });
    client.defineCommand('xzFeatWrite', { lua: WRITE_LUA });
    this.client = client as ScriptedRedis;
    this.startupWaitMs = opts.startupWaitMs ?? 1000;
    if (client.status === 'ready') this.everReady = true;
    else client.once('ready', () => (this.everReady = true));
    // Errors surface on commands (and so through the failure policy); without a listener ioredis logs them.
    client.on('error', () => {});
  }

  /** Resolves once connected (or rejects after `timeoutMs`). */
  async ready(timeoutMs = 2000): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`redis not ready after ${timeoutMs} ms (status ${this.client.status})`));
      }, timeoutMs);
      const onReady = (): void => {
        cleanup();
        resolve();
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
      };
      this.client.on('ready', onReady);
    });
  }

  private keysOf(g: OpGroup): string[] {
    const base = this.prefix + '{' + g.tag + '}:';
    const out = new Array<string>(g.keys.length);
    for (let i = 0; i < g.keys.length; i++) out[i] = base + g.keys[i];
    return out;
  }

  read(plan: ReadPlan): Promise<ReadValue[][]> {
    if (!this.everReady) return this.ready(this.startupWaitMs).then(() => this.read(plan));
    const t = plan.t;
    if (!this.perEntity && plan.groups.length > 1) {
      const { keys, ops } = this.merge(plan.groups, READ_ARITY);
      return this.client.xzFeatRead(keys.length, ...keys, t, ...ops).then((raw) => {
        const out: ReadValue[][] = [];
        let at = 0;
        for (const g of plan.groups) {
          out.push(decode(g.kinds, raw.slice(at, at + g.kinds.length)));
          at += g.kinds.length;
        }
        return out;
      });
    }
    return Promise.all(
      plan.groups.map((g) =>
        this.client.xzFeatRead(g.keys.length, ...this.keysOf(g), t, ...g.ops).then((raw) => decode(g.kinds, raw)),
      ),
    );
  }

  async write(plan: WritePlan, limits: StateLimits): Promise<void> {
    if (!this.everReady) await this.ready(this.startupWaitMs);
    const head = [plan.eventId, plan.t, limits.dedupeHorizonMs, limits.dedupeMaxIds, limits.maxEntriesPerKey, limits.maxKnownPerKey, limits.profileTtlMs];
    if (plan.groups.length === 0) return;
    if (!this.perEntity && plan.groups.length > 1) {
      // One atomic script for the whole event; idempotency is then kept on the first entity's id set.
      const { keys, ops } = this.merge(plan.groups, WRITE_ARITY);
      await this.client.xzFeatWrite(keys.length, ...keys, ...head, ...ops);
      return;
    }
    await Promise.all(plan.groups.map((g) => this.client.xzFeatWrite(g.keys.length, ...this.keysOf(g), ...head, ...g.ops)));
  }

  /** Concatenates groups: keys appended, every key index in the ops shifted by its group's offset. */
  private merge(groups: OpGroup[], arity: Record<string, [number, number[]]>): { keys: string[]; ops: (string | number)[] } {
    const keys: string[] = [];
    const ops: (string | number)[] = [];
    for (const g of groups) {
      const offset = keys.length;
      for (const k of this.keysOf(g)) keys.push(k);
      let i = 0;
      while (i < g.ops.length) {
        const spec = arity[g.ops[i] as string];
        if (!spec) throw new Error(`redis store: unknown op ${String(g.ops[i])}`);
        const [n, keyArgs] = spec;
        for (let j = 0; j < n; j++) {
          const v = g.ops[i + j];
          ops.push(keyArgs.includes(j) ? (v as number) + offset : v);
        }
        i += n;
      }
    }
    return { keys, ops };
  }

  /** Deletes every key under this store's prefix (tests and benchmarks clean up after themselves). */
  async clear(): Promise<number> {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', this.prefix + '*', 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) n += await this.client.unlink(...keys);
    } while (cursor !== '0');
    return n;
  }

  async close(): Promise<void> {
    if (this.owned) this.client.disconnect();
  }
}

/** Op code → [length including the code, positions holding key indexes]. */
const WRITE_ARITY: Record<string, [number, number[]]> = { W: [4, [1]], T: [4, [1]], K: [5, [1, 2]], M: [3, [1]], F: [4, [1]], L: [4, [1]] };
const READ_ARITY: Record<string, [number, number[]]> = { C: [3, [1]], A: [4, [1]], D: [4, [1]], P: [2, [1]], K: [3, [1]] };

function decode(kinds: string[], raw: unknown[]): ReadValue[] {
  const out: ReadValue[] = new Array(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const r = raw[i];
    switch (kinds[i]) {
      case 'C':
        out[i] = Number(r);
        break;
      case 'A':
        out[i] = r === null || r === undefined ? null : Number(r);
        break;
      case 'D':
      case 'K': {
        const [a, b] = r as [unknown, unknown];
        out[i] = [Number(a), Number(b)];
        break;
      }
      case 'P': {
        const flat = r as string[];
        const rec: Record<string, number> = {};
        for (let j = 0; j < flat.length; j += 2) rec[flat[j]] = Number(flat[j + 1]);
        out[i] = rec;
        break;
      }
      default:
        throw new Error(`redis store: unknown read kind ${kinds[i]}`);
    }
  }
  return out;
}
