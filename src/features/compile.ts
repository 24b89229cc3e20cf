// Turns validated definitions into the code that plans reads (compute) and writes (apply) for one event.
// Velocity features, profiles and signals are all built from the same few state primitives, so a signal and
// a velocity feature over the same data see the same state in both stores.
import type { RiskEvent } from '../core/event.js';
import type { CompiledExpression } from '../expression/types.js';
import { parseWindow } from './duration.js';
import { haversineKm, ipLocator } from './geo.js';
import { validLat, validLon } from './definitions.js';
import { compilePath, keyString, numberOf, type Getter } from './paths.js';
import { entityTag, type PlanBuilder, type ReadValue } from './plan.js';
import type { VelocitySpec } from './velocity.js';
import type { FeatureDefinition, ProfileDefinition, SignalDefinition, VelocityDefinition } from './types.js';

/** Reads results of the plan and returns the feature value. */
export type Derive = (results: ReadValue[][]) => unknown;
/** Registers the reads a feature needs for `event`; returns how to turn the results into its value. */
export type Reader = (event: RiskEvent, tenant: string, pb: PlanBuilder) => Derive;
/** Registers the state changes an event causes. */
export type Writer = (event: RiskEvent, tenant: string, pb: PlanBuilder) => void;

export type ExpressionCompiler = (source: string) => CompiledExpression;

export interface CompiledFeatures {
  readers: Map<string, Reader>;
  /** Deduplicated: two features needing the same profile or known-set share one writer. */
  writers: Writer[];
  /** Velocity features also have a direct memory-store form (velocity.ts), with identical values (KeyedWindows keeps WindowLog's rules). */
  velocity: VelocitySpec[];
  /** `writers` minus those of the velocity features: what the memory store still runs through op plans. */
  planOnlyWriters: Writer[];
}

const NULL: Derive = () => null;
const PROFILE = 'p';
const HOUR_MS = 3_600_000;

export function utcHour(t: number): number {
  return ((Math.floor(t / HOUR_MS) % 24) + 24) % 24;
}

type Profile = Record<string, number>;

function typeFilter(types: readonly string[] | undefined): ((type: string) => boolean) | undefined {
  if (!types) return undefined;
  const set = new Set(types);
  return (t) => set.has(t);
}

/** State primitives shared by every kind of feature; writers are keyed by what they write, to share them. */
class Builder {
  readonly writers = new Map<string, Writer>();

  /** Per-entity profile touch: first/last seen, events by type, hour-of-day histogram. */
  touch(entity: string): void {
    const get = compilePath(entity);
    this.writers.set(`T|${entity}`, (ev, tenant, pb) => {
      const k = keyString(get(ev));
      if (k !== undefined) pb.write(entityTag(tenant, entity, k), PROFILE, 'T', [ev.type, utcHour(ev.occurredAt)]);
    });
  }

  /** Known-set of `field` values per entity (devices, IPs, payees...). A new value marks `nd:<field>`. */
  known(entity: string, field: string, types?: readonly string[]): void {
    const get = compilePath(entity);
    const getField = compilePath(field);
    const ok = typeFilter(types);
    this.writers.set(`K|${entity}|${field}|${types?.join(',') ?? ''}`, (ev, tenant, pb) => {
      if (ok && !ok(ev.type)) return;
      const k = keyString(get(ev));
      const v = keyString(getField(ev));
      if (k === undefined || v === undefined) return;
      const tag = entityTag(tenant, entity, k);
      const g = pb.group(tag);
      pb.write(tag, `k:${field}:${types?.join(',') ?? ''}`, 'K', [pb.key(g, PROFILE), `nd:${field}`, v]);
    });
  }

  knownRead(pb: PlanBuilder, tenant: string, entity: string, entityKey: string, field: string, types: readonly string[] | undefined, probe: string): [number, number] {
    const suffix = `k:${field}:${types?.join(',') ?? ''}`;
    const tag = entityTag(tenant, entity, entityKey);
    return pb.readOnce(`K|${tag}|${suffix}|${probe}`, tag, suffix, 'K', [probe]);
  }

  profileRead(pb: PlanBuilder, tenant: string, entity: string, entityKey: string): [number, number] {
    const tag = entityTag(tenant, entity, entityKey);
    return pb.readOnce(`P|${tag}`, tag, PROFILE, 'P', []);
  }

  welford(entity: string, field: string, types: readonly string[] | undefined): string {
    const prefix = `f:${field}:${types?.join(',') ?? ''}`;
    const get = compilePath(entity);
    const getX = compilePath(field);
    const ok = typeFilter(types);
    this.writers.set(`F|${entity}|${prefix}`, (ev, tenant, pb) => {
      if (ok && !ok(ev.type)) return;
      const k = keyString(get(ev));
      const x = numberOf(getX(ev));
      if (k !== undefined && x !== undefined) pb.write(entityTag(tenant, entity, k), PROFILE, 'F', [prefix, x]);
    });
    return prefix;
  }

  mark(id: string, entity: string, field: string, when: (ev: RiskEvent) => boolean): void {
    const get = compilePath(entity);
    this.writers.set(`M|${entity}|${field}|${id}`, (ev, tenant, pb) => {
      if (!when(ev)) return;
      const k = keyString(get(ev));
      if (k !== undefined) pb.write(entityTag(tenant, entity, k), PROFILE, 'M', [field]);
    });
  }

  /** A sliding window under `slot` keyed by `keyPath`; `value` returns what to store or undefined to skip. */
  window(slot: string, keyPath: string, windowMs: number, value: (ev: RiskEvent) => string | number | undefined): void {
    const get = compilePath(keyPath);
    this.writers.set(`W|${slot}`, (ev, tenant, pb) => {
      const k = keyString(get(ev));
      if (k === undefined) return;
      const v = value(ev);
      if (v !== undefined) pb.write(entityTag(tenant, keyPath, k), slot, 'W', [windowMs, v]);
    });
  }

  windowRead(pb: PlanBuilder, tenant: string, keyPath: string, key: string, slot: string, kind: string, args: (string | number)[]): [number, number] {
    return pb.read(entityTag(tenant, keyPath, key), slot, kind, args);
  }
}

function at<T extends ReadValue>(r: ReadValue[][], h: [number, number]): T {
  return r[h[0]][h[1]] as T;
}

function windowMsOf(spec: SignalDefinition['window'], fallback: string): number {
  const w = parseWindow(spec ?? fallback);
  if (typeof w === 'string') throw new Error(w);
  return w;
}

export function compileDefinitions(defs: readonly FeatureDefinition[], compileExpression?: ExpressionCompiler): CompiledFeatures {
  const b = new Builder();
  const readers = new Map<string, Reader>();
  const direct: VelocitySpec[] = [];
  const directIds = new Set<string>();
  for (const d of defs) {
    if (d.kind === 'velocity') {
      const v = velocity(b, d, compileExpression);
      readers.set(d.name, v.reader);
      direct.push(v.spec);
      directIds.add(v.writerId);
    } else if (d.kind === 'profile') readers.set(d.name, profile(b, d));
    else readers.set(d.name, signal(b, d));
  }
  const planOnlyWriters = [...b.writers].filter(([id]) => !directIds.has(id)).map(([, w]) => w);
  return { readers, writers: [...b.writers.values()], velocity: direct, planOnlyWriters };
}

interface CompiledVelocity {
  reader: Reader;
  spec: VelocitySpec;
  writerId: string;
}

function velocity(b: Builder, d: VelocityDefinition, compileExpression: ExpressionCompiler | undefined): CompiledVelocity {
  const windowMs = windowMsOf(d.window, '1h');
  const slot = `w:${d.name}`;
  const getKey = compilePath(d.key);
  const getField = d.field ? compilePath(d.field) : undefined;
  const ok = typeFilter(d.eventTypes);
  let filter: CompiledExpression | undefined;
  if (d.filter) {
    if (!compileExpression) throw new Error(`feature ${d.name}: a filter needs the expression compiler (src/expression), which is not available`);
    try {
      filter = compileExpression(d.filter);
    } catch (err) {
      throw new Error(`feature ${d.name}: filter '${d.filter}' does not compile: ${(err as Error).message}`);
    }
  }
  const agg = d.agg;
  const value = (ev: RiskEvent): string | number | undefined => {
    if (ok && !ok(ev.type)) return undefined;
    let v: string | number | undefined = 1;
    if (agg === 'distinct') v = keyString(getField!(ev));
    else if (agg !== 'count' && agg !== 'first_seen' && agg !== 'last_seen') v = numberOf(getField!(ev));
    else if (getField && getField(ev) === undefined) v = undefined;
    if (v === undefined) return undefined;
    if (filter && !filter.evaluate(ev, undefined, { now: ev.occurredAt })) return undefined;
    return v;
  };
  b.window(slot, d.key, windowMs, value);
  const reader: Reader = (ev, tenant, pb) => {
    const k = keyString(getKey(ev));
    if (k === undefined) return NULL;
    if (agg === 'count') {
      const h = b.windowRead(pb, tenant, d.key, k, slot, 'C', [windowMs]);
      return (r) => at<number>(r, h);
    }
    if (agg === 'distinct') {
      const h = b.windowRead(pb, tenant, d.key, k, slot, 'D', [windowMs, '']);
      return (r) => at<[number, number]>(r, h)[0];
    }
    const h = b.windowRead(pb, tenant, d.key, k, slot, 'A', [windowMs, agg]);
    return (r) => at<number | null>(r, h);
  };
  const spec: VelocitySpec = { name: d.name, agg, windowMs, keyPath: d.key, fieldPath: d.field, value };
  return { reader, spec, writerId: `W|${slot}` };
}

function profile(b: Builder, d: ProfileDefinition): Reader {
  const getEntity = compilePath(d.entity);
  b.touch(d.entity);
  const attr = d.attribute;
  if (attr === 'known_count' || attr === 'is_known') {
    const field = d.field!;
    const getField = compilePath(field);
    b.known(d.entity, field);
    return (ev, tenant, pb) => {
      const k = keyString(getEntity(ev));
      if (k === undefined) return NULL;
      const probe = attr === 'is_known' ? keyString(getField(ev)) : '';
      if (probe === undefined) return NULL;
      const h = b.knownRead(pb, tenant, d.entity, k, field, undefined, probe);
      return attr === 'is_known' ? (r) => at<[number, number]>(r, h)[0] >= 0 : (r) => at<[number, number]>(r, h)[1];
    };
  }
  const prefix = attr === 'mean' || attr === 'stddev' ? b.welford(d.entity, d.field!, d.eventTypes) : '';
  return (ev, tenant, pb) => {
    const k = keyString(getEntity(ev));
    if (k === undefined) return NULL;
    const h = b.profileRead(pb, tenant, d.entity, k);
    const t = ev.occurredAt;
    const type = d.eventType ?? ev.type;
    return (r) => {
      const p = at<Profile>(r, h);
      switch (attr) {
        case 'first_seen':
          return p.first ?? null;
        case 'last_seen':
          return p.last ?? null;
        case 'event_count':
          return p.n ?? 0;
        case 'type_count':
          return p['n:' + type] ?? 0;
        case 'hour_share':
          return p.n ? (p['h' + utcHour(t)] ?? 0) / p.n : null;
        case 'mean':
          return p[prefix + ':n'] ? p[prefix + ':mean'] : null;
        default: {
          const n = p[prefix + ':n'] ?? 0;
          return n >= 2 ? Math.sqrt(p[prefix + ':m2'] / (n - 1)) : null;
        }
      }
    };
  };
}

function signal(b: Builder, d: SignalDefinition): Reader {
  const user = d.user ?? 'subject.userId';
  const device = d.device ?? 'subject.deviceId';
  const amountPath = d.amount ?? 'data.amount';
  const getUser = compilePath(user);
  const getDevice = compilePath(device);
  const getAmount = compilePath(amountPath);
  const threshold = d.threshold;
  switch (d.signal) {
    case 'new_device': {
      b.known(user, device);
      return (ev, tenant, pb) => {
        const u = keyString(getUser(ev));
        const dv = keyString(getDevice(ev));
        if (u === undefined || dv === undefined) return NULL;
        const h = b.knownRead(pb, tenant, user, u, device, undefined, dv);
        return (r) => at<[number, number]>(r, h)[0] < 0;
      };
    }
    case 'user_many_devices':
    case 'device_many_users': {
      const [keyPath, valuePath] = d.signal === 'user_many_devices' ? [user, device] : [device, user];
      return distinctSignal(b, d, keyPath, valuePath, undefined, '24h', threshold ?? 3);
    }
    case 'many_new_accounts': {
      const types = d.eventTypes ?? ['register'];
      return distinctSignal(b, d, d.key ?? device, user, types, '24h', threshold ?? 3);
    }
    case 'card_testing': {
      const keyPath = d.key ?? 'subject.bankCard';
      const getKey = compilePath(keyPath);
      const windowMs = windowMsOf(d.window, '10m');
      const small = d.smallAmount ?? 10;
      const ok = typeFilter(d.eventTypes ?? ['payment'])!;
      const isSmall = (ev: RiskEvent): boolean => {
        const a = numberOf(getAmount(ev));
        return ok(ev.type) && a !== undefined && a <= small;
      };
      const slot = `s:${d.name}`;
      b.window(slot, keyPath, windowMs, (ev) => (isSmall(ev) ? 1 : undefined));
      const min = threshold ?? 5;
      return (ev, tenant, pb) => {
        const k = keyString(getKey(ev));
        if (k === undefined) return NULL;
        const h = b.windowRead(pb, tenant, keyPath, k, slot, 'C', [windowMs]);
        const self = isSmall(ev) ? 1 : 0;
        return (r) => at<number>(r, h) + self >= min;
      };
    }
    case 'amount_zscore': {
      const types = d.eventTypes ?? ['payment', 'transfer'];
      const prefix = b.welford(user, amountPath, types);
      const minHistory = d.minHistory ?? 5;
      return (ev, tenant, pb) => {
        const u = keyString(getUser(ev));
        const x = numberOf(getAmount(ev));
        if (u === undefined || x === undefined) return NULL;
        const h = b.profileRead(pb, tenant, user, u);
        return (r) => {
          const p = at<Profile>(r, h);
          const n = p[prefix + ':n'] ?? 0;
          if (n < minHistory || n < 2) return null;
          const sd = Math.sqrt(p[prefix + ':m2'] / (n - 1));
          return sd > 0 ? (x - p[prefix + ':mean']) / sd : null;
        };
      };
    }
    case 'new_payee_large': {
      const payee = d.payee ?? 'data.payeeId';
      const getPayee = compilePath(payee);
      const types = d.eventTypes ?? ['payment', 'transfer'];
      const ok = typeFilter(types)!;
      b.known(user, payee, types);
      return (ev, tenant, pb) => {
        const u = keyString(getUser(ev));
        const p = keyString(getPayee(ev));
        const a = numberOf(getAmount(ev));
        if (u === undefined || p === undefined || a === undefined || !ok(ev.type)) return NULL;
        const h = b.knownRead(pb, tenant, user, u, payee, types, p);
        return (r) => at<[number, number]>(r, h)[0] < 0 && a >= threshold!;
      };
    }
    case 'ato_chain':
      return atoChain(b, d, user, device, getUser, getDevice, getAmount);
    case 'impossible_travel':
      return impossibleTravel(b, d, user, getUser);
    case 'night_ratio': {
      b.touch(user);
      const offset = d.utcOffsetHours ?? 8;
      const start = d.nightStartHour ?? 0;
      const end = d.nightEndHour ?? 6;
      // Local night hours mapped onto the UTC hour histogram the profile keeps (start > end wraps midnight).
      const nightUtcHours: number[] = [];
      for (let h = 0; h < 24; h++) {
        if (start <= end ? h >= start && h < end : h >= start || h < end) nightUtcHours.push((((h - offset) % 24) + 24) % 24);
      }
      const minHistory = d.minHistory ?? 1;
      return (ev, tenant, pb) => {
        const u = keyString(getUser(ev));
        if (u === undefined) return NULL;
        const h = b.profileRead(pb, tenant, user, u);
        return (r) => {
          const p = at<Profile>(r, h);
          const n = p.n ?? 0;
          if (n < minHistory || n === 0) return null;
          let night = 0;
          for (const uh of nightUtcHours) night += p['h' + uh] ?? 0;
          return night / n;
        };
      };
    }
  }
}

/** Distinct `valuePath` per `keyPath` in a window, counting the current event's value; flags at >= threshold. */
function distinctSignal(b: Builder, d: SignalDefinition, keyPath: string, valuePath: string, types: readonly string[] | undefined, defWindow: string, threshold: number): Reader {
  const windowMs = windowMsOf(d.window, defWindow);
  const getKey = compilePath(keyPath);
  const getValue = compilePath(valuePath);
  const ok = typeFilter(types);
  const slot = `s:${d.name}`;
  b.window(slot, keyPath, windowMs, (ev) => (ok && !ok(ev.type) ? undefined : keyString(getValue(ev))));
  return (ev, tenant, pb) => {
    const k = keyString(getKey(ev));
    if (k === undefined) return NULL;
    const v = ok && !ok(ev.type) ? undefined : keyString(getValue(ev));
    const h = b.windowRead(pb, tenant, keyPath, k, slot, 'D', [windowMs, v ?? '']);
    return (r) => {
      const [n, has] = at<[number, number]>(r, h);
      return n + (v !== undefined && has === 0 ? 1 : 0) >= threshold;
    };
  };
}

function atoChain(b: Builder, d: SignalDefinition, user: string, device: string, getUser: Getter, getDevice: Getter, getAmount: Getter): Reader {
  const windowMs = windowMsOf(d.window, '1h');
  const changeTypes = typeFilter(d.changeTypes ?? ['profile_change'])!;
  const getChange = compilePath(d.changeField ?? 'data.field');
  const changeValues = new Set(d.changeValues ?? ['password', 'phone']);
  const transferTypes = typeFilter(d.eventTypes ?? ['transfer'])!;
  const mark = `chg:${d.name}`;
  b.mark(d.name, user, mark, (ev) => {
    if (!changeTypes(ev.type)) return false;
    const f = getChange(ev);
    return Array.isArray(f) ? f.some((x) => changeValues.has(String(x))) : changeValues.has(String(f));
  });
  b.known(user, device);
  const ndField = `nd:${device}`;
  return (ev, tenant, pb) => {
    const u = keyString(getUser(ev));
    const a = numberOf(getAmount(ev));
    if (u === undefined) return NULL;
    if (!transferTypes(ev.type) || a === undefined || a < d.threshold!) return () => false;
    const dv = keyString(getDevice(ev));
    const hp = b.profileRead(pb, tenant, user, u);
    const hk = dv === undefined ? undefined : b.knownRead(pb, tenant, user, u, device, undefined, dv);
    const t = ev.occurredAt;
    return (r) => {
      const p = at<Profile>(r, hp);
      const chg = p[mark];
      if (chg === undefined || chg <= t - windowMs || chg >= t) return false;
      const nd = p[ndField];
      if (nd !== undefined && nd >= chg && nd < t) return true;
      if (!hk) return false;
      const [first, size] = at<[number, number]>(r, hk);
      return first < 0 && size > 0;
    };
  };
}

function impossibleTravel(b: Builder, d: SignalDefinition, user: string, getUser: Getter): Reader {
  const getLat = compilePath(d.lat ?? 'data.lat');
  const getLon = compilePath(d.lon ?? 'data.lon');
  const getIp = compilePath(d.ip ?? 'subject.ip');
  const locate = d.ipLocations ? ipLocator(d.ipLocations) : undefined;
  const ok = typeFilter(d.eventTypes ?? ['login'])!;
  const maxKmh = d.maxKmh ?? 900;
  const minKm = d.minKm ?? 100;
  const where = (ev: RiskEvent): [number, number] | undefined => {
    const lat = numberOf(getLat(ev));
    const lon = numberOf(getLon(ev));
    if (validLat(lat) && validLon(lon)) return [lat, lon];
    const ip = keyString(getIp(ev));
    const loc = ip !== undefined && locate ? locate(ip) : undefined;
    return loc ? [loc.lat, loc.lon] : undefined;
  };
  const getEntity = compilePath(user);
  b.writers.set(`L|${user}|${d.name}`, (ev, tenant, pb) => {
    if (!ok(ev.type)) return;
    const k = keyString(getEntity(ev));
    const loc = where(ev);
    if (k !== undefined && loc) pb.write(entityTag(tenant, user, k), `l:${d.name}`, 'L', loc);
  });
  return (ev, tenant, pb) => {
    const u = keyString(getUser(ev));
    const loc = u === undefined || !ok(ev.type) ? undefined : where(ev);
    if (u === undefined || !loc) return NULL;
    const tag = entityTag(tenant, user, u);
    const h = pb.readOnce(`P|${tag}|l:${d.name}`, tag, `l:${d.name}`, 'P', []);
    const t = ev.occurredAt;
    return (r) => {
      const p = at<Profile>(r, h);
      if (p['loc:t'] === undefined) return false;
      const km = haversineKm(p['loc:lat'], p['loc:lon'], loc[0], loc[1]);
      if (km < minKm) return false;
      const hours = (t - p['loc:t']) / HOUR_MS;
      return hours <= 0 || km / hours > maxKmh;
    };
  };
}
