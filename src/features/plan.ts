// What one event reads from or writes to the feature state, grouped by entity. Each group touches only keys
// of one entity (one Redis Cluster hash slot), so a store runs it as one atomic step: a Lua script in Redis,
// a plain function call in memory. Both stores interpret the same op codes, which keeps their values equal.

/** Keys of one entity, `{tenant:path:value}` in Redis. `keys[0]` is always the applied-event-id set. */
export interface OpGroup {
  tag: string;
  /** Position in the plan's `groups`. */
  index: number;
  keys: string[];
  /** Flat op list: op code then its arguments (see the op tables in memory-store.ts and redis-lua.ts). */
  ops: (string | number)[];
  /** Read plans: the op code of each result, so results decode the same way from every store. */
  kinds: string[];
}

export const IDS_KEY = 'ids';

/** Escapes the braces Redis reads as hash-tag delimiters, and the separator used inside window members. */
const UNSAFE = /[{}%\x1f]/;
function safe(s: string): string {
  return UNSAFE.test(s) ? s.replace(/[{}%\x1f]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')) : s;
}

export function entityTag(tenant: string, path: string, value: string): string {
  return `${safe(tenant)}:${path}:${safe(value)}`;
}

// A plan has a few groups of a few keys each (one group per entity an event touches): linear searches over them
// cost less than a Map per plan and per group, which a pipelined burst of plans would keep alive across
// collections.
export class PlanBuilder {
  readonly groups: OpGroup[] = [];
  private shared: Map<string, [number, number]> | undefined;

  group(tag: string): OpGroup {
    const groups = this.groups;
    for (let i = 0; i < groups.length; i++) if (groups[i].tag === tag) return groups[i];
    const g: OpGroup = { tag, index: groups.length, keys: [IDS_KEY], ops: [], kinds: [] };
    groups.push(g);
    return g;
  }

  /** 1-based key index (Lua KEYS numbering) of `suffix` within the group. */
  key(g: OpGroup, suffix: string): number {
    const keys = g.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === suffix) return i + 1;
    keys.push(suffix);
    return keys.length;
  }

  /** Adds a write op `op ki ...args` on key `suffix` of the entity `tag`. */
  write(tag: string, suffix: string, op: string, args: (string | number)[]): void {
    const g = this.group(tag);
    const ops = g.ops;
    ops.push(op, this.key(g, suffix));
    for (let i = 0; i < args.length; i++) ops.push(args[i]);
  }

  /** Adds a read op `kind ki ...args`; returns its [group index, result index]. */
  read(tag: string, suffix: string, kind: string, args: (string | number)[]): [number, number] {
    const g = this.group(tag);
    const ops = g.ops;
    ops.push(kind, this.key(g, suffix));
    for (let i = 0; i < args.length; i++) ops.push(args[i]);
    g.kinds.push(kind);
    return [g.index, g.kinds.length - 1];
  }

  /** Like `read`, but the same `id` within one plan shares one result (e.g. one profile fetch per entity). */
  readOnce(id: string, tag: string, suffix: string, kind: string, args: (string | number)[]): [number, number] {
    const shared = (this.shared ??= new Map());
    let h = shared.get(id);
    if (!h) {
      h = this.read(tag, suffix, kind, args);
      shared.set(id, h);
    }
    return h;
  }
}

/** A read result: a number (or null when empty), a [count, present] pair, or a profile hash. */
export type ReadValue = number | null | [number, number] | Record<string, number>;

export interface ReadPlan {
  t: number;
  groups: OpGroup[];
}

export interface WritePlan {
  eventId: string;
  t: number;
  groups: OpGroup[];
}

/** Limits shared by both stores so that they keep (and drop) exactly the same state. */
export interface StateLimits {
  /** Entries kept per window key; the oldest are dropped beyond it. */
  maxEntriesPerKey: number;
  /** Values remembered per known-set (devices, IPs, payees of one user). */
  maxKnownPerKey: number;
  /** How long (event time) an applied event id is remembered for idempotency. */
  dedupeHorizonMs: number;
  /** Applied ids remembered per entity (Redis; the memory store keeps one list, see MemoryStoreOptions). */
  dedupeMaxIds: number;
  /** Idle time after which a profile or known-set is dropped. */
  profileTtlMs: number;
}

export const DEFAULT_LIMITS: StateLimits = {
  maxEntriesPerKey: 10_000,
  maxKnownPerKey: 1_000,
  dedupeHorizonMs: 7 * 86_400_000,
  dedupeMaxIds: 50_000,
  profileTtlMs: 180 * 86_400_000,
};

/** Where the feature state lives. `read` and `write` take whole plans: one round trip per event. */
export interface StateStore {
  readonly kind: 'memory' | 'redis';
  read(plan: ReadPlan): ReadValue[][] | Promise<ReadValue[][]>;
  write(plan: WritePlan, limits: StateLimits): void | Promise<void>;
  close(): Promise<void>;
}
