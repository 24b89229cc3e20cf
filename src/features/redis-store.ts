// Cluster-mode feature state in Redis: one Lua script call per entity per event (atomic, one hash slot each,
// keys `<prefix>{tenant:path:value}:<suffix>`), all of an event's calls pipelined on one connection.
import { Redis, type RedisOptions } from 'ioredis';
import { BATCH_LUA, READ_LUA, WRITE_LUA } from './redis-lua.js';
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
  /**
   * Single Redis only (ignored with `perEntity`): reads and writes issued in the same tick — a pipelined burst of
   * compute/apply calls — go to Redis as one script call of up to this many calls, run in the order issued, with
   * the same results as one call each. Default 256; 1 sends every call on its own.
   */
  batch?: number;
  /** A command not answered within this time fails (and the failure policy applies). Default 200 ms. */
  timeoutMs?: number;
  /** Calls made before the first connection wait this long for it, then fail. Default 1000 ms. */
  startupWaitMs?: number;
  redisOptions?: RedisOptions;
}

type ScriptedRedis = Redis & {
  xzFeatRead(numKeys: number, ...args: (string | number)[]): Promise<unknown[]>;
  xzFeatWrite(numKeys: number, ...args: (string | number)[]): Promise<number>;
  /** Takes one flat array: the key count, the keys, then the calls' headers and arguments as JSON (see BATCH_LUA). */
  xzFeatBatch(args: (string | number)[]): Promise<unknown[]>;
};

/** A read or write waiting for the batch of its tick. */
interface Queued {
  read: boolean;
  keys: string[];
  args: (string | number)[];
  resolve: (raw: unknown) => void;
  reject: (err: unknown) => void;
}

export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly client: ScriptedRedis;
  readonly prefix: string;
  private readonly owned: boolean;
  readonly perEntity: boolean;
  private readonly startupWaitMs: number;
  /** Until the first connection, calls wait for it (up to timeoutMs) instead of failing at start-up. */
  private everReady = false;
  private readonly batchMax: number;
  private queue: Queued[] = [];
  private flushScheduled = false;

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
    client.defineCommand('xzFeatBatch', { lua: BATCH_LUA });
    this.batchMax = this.perEntity ? 1 : Math.max(1, Math.floor(opts.batch ?? 256));
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
    if (!this.perEntity && (plan.groups.length > 1 || this.batchMax > 1)) {
      const { keys, ops } = this.merge(plan.groups, READ_ARITY);
      ops.unshift(t);
      const sent = this.batchMax > 1 ? this.enqueue(true, keys, ops) : this.client.xzFeatRead(keys.length, ...keys, ...ops);
      return sent.then((res) => {
        const raw = res as unknown[];
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
    if (!this.perEntity && (plan.groups.length > 1 || this.batchMax > 1)) {
      // One atomic script for the whole event; idempotency is then kept on the first entity's id set.
      const { keys, ops } = this.merge(plan.groups, WRITE_ARITY);
      if (this.batchMax > 1) await this.enqueue(false, keys, head.concat(ops));
      else await this.client.xzFeatWrite(keys.length, ...keys, ...head, ...ops);
      return;
    }
    await Promise.all(plan.groups.map((g) => this.client.xzFeatWrite(g.keys.length, ...this.keysOf(g), ...head, ...g.ops)));
  }

  /** Queues a call for this tick's batch (sent once the code issuing calls has run: see `flush`). */
  private enqueue(read: boolean, keys: string[], args: (string | number)[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ read, keys, args, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Sends the queued calls, in order, as script calls of up to `batch` calls each (pipelined on the connection). */
  private flush(): void {
    this.flushScheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let i = 0; i < queue.length; i += this.batchMax) this.send(queue.slice(i, i + this.batchMax));
  }

  private send(calls: Queued[]): void {
    // The key count, the keys, then every call's header and arguments as ONE JSON array of strings (see
    // BATCH_LUA): a few hundred protocol arguments per batch instead of thousands.
    const all: (string | number)[] = [0];
    for (let c = 0; c < calls.length; c++) {
      const keys = calls[c].keys;
      for (let k = 0; k < keys.length; k++) all.push(keys[k]);
    }
    all[0] = all.length - 1;
    const args: string[] = [];
    for (let c = 0; c < calls.length; c++) {
      const call = calls[c];
      args.push(call.read ? 'R' : 'W', String(call.keys.length), String(call.args.length));
      // As ioredis would send them, so Lua sees the same text: numbers in their shortest exact form (String),
      // a lone surrogate as U+FFFD (what UTF-8 encoding made of it; cjson would reject its \u escape).
      for (let a = 0; a < call.args.length; a++) {
        const v = call.args[a];
        args.push(typeof v === 'string' ? wellFormed(v) : String(v));
      }
    }
    all.push(JSON.stringify(args));
    this.client.xzFeatBatch(all).then(
      (reads) => {
        let r = 0;
        for (const c of calls) c.resolve(c.read ? reads[r++] : 1);
      },
      (err: unknown) => {
        for (const c of calls) c.reject(err);
      },
    );
  }

  /** Concatenates groups: keys appended, every key index in the ops shifted by its group's offset. */
  private merge(groups: OpGroup[], arity: Record<string, [number, number[]]>): { keys: string[]; ops: (string | number)[] } {
    const keys: string[] = [];
    const ops: (string | number)[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const offset = keys.length;
      const base = this.prefix + '{' + g.tag + '}:';
      for (let k = 0; k < g.keys.length; k++) keys.push(base + g.keys[k]);
      const gops = g.ops;
      let i = 0;
      while (i < gops.length) {
        const spec = arity[gops[i] as string];
        if (!spec) throw new Error(`redis store: unknown op ${String(gops[i])}`);
        const n = spec[0];
        const keyArgs = spec[1];
        for (let j = 0; j < n; j++) {
          const v = gops[i + j];
          ops.push(offset !== 0 && keyArgs.includes(j) ? (v as number) + offset : v);
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

/** ES2024 string methods (Node 20 has them; the project's `lib` is ES2023). */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** `s` with any lone surrogate replaced by U+FFFD. */
function wellFormed(s: string): string {
  const w = s as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
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
