// Velocity features on the embedded (memory) store, without op plans: compiled once per engine into a layout —
// the distinct key and value paths, and per feature its window — and run per event against the tenant's state:
// one KeyTable per path (so a path read by several features, as key or as distinct value, is looked up once per
// event) and one KeyedWindows per feature. compute() then apply() of one event reuse the ids compute found.
import type { RiskEvent } from '../core/event.js';
import { compilePath, keyString, type Getter } from './paths.js';
import { KeyTable } from './key-table.js';
import { KeyedWindows, kindOf, type WindowAgg, type WindowKind } from './keyed-windows.js';

export interface VelocitySpec {
  name: string;
  agg: WindowAgg;
  windowMs: number;
  keyPath: string;
  /** distinct: the path of the counted value. */
  fieldPath?: string;
  /** What the event adds to the window (undefined: nothing), exactly as the op path's `W` write. */
  value: (ev: RiskEvent) => string | number | undefined;
}

interface Compiled {
  name: string;
  agg: WindowAgg;
  kind: WindowKind;
  windowMs: number;
  key: number;
  field: number;
  value: (ev: RiskEvent) => string | number | undefined;
}

export class VelocityLayout {
  readonly paths: string[] = [];
  readonly getters: Getter[] = [];
  readonly features: Compiled[] = [];
  /** Feature name → index in `features`. */
  readonly index = new Map<string, number>();

  private path(p: string): number {
    let i = this.paths.indexOf(p);
    if (i < 0) {
      i = this.paths.length;
      this.paths.push(p);
      this.getters.push(compilePath(p));
    }
    return i;
  }

  add(spec: VelocitySpec): void {
    const kind = kindOf(spec.agg);
    if (kind === 'ids' && !spec.fieldPath) throw new Error(`feature ${spec.name}: distinct needs a field`);
    this.index.set(spec.name, this.features.length);
    this.features.push({
      name: spec.name,
      agg: spec.agg,
      kind,
      windowMs: spec.windowMs,
      key: this.path(spec.keyPath),
      field: kind === 'ids' ? this.path(spec.fieldPath!) : -1,
      value: spec.value,
    });
  }
}

/** One tenant's velocity state for one layout. */
export class TenantVelocity {
  readonly tables: KeyTable[];
  readonly windows: KeyedWindows[];
  /** Per path, the windows keyed by it (a key id stays while one of them holds a window for it). */
  private readonly keyedBy: KeyedWindows[][];

  constructor(layout: VelocityLayout) {
    this.tables = layout.paths.map(() => new KeyTable());
    this.windows = layout.features.map((f) => new KeyedWindows(f.kind, f.windowMs, f.kind === 'ids' ? this.tables[f.field] : undefined));
    this.keyedBy = layout.paths.map((_, p) => this.windows.filter((_w, i) => layout.features[i].key === p));
  }

  /** Windows kept. */
  keyCount(): number {
    let n = 0;
    for (const w of this.windows) n += w.live;
    return n;
  }

  /** Drops windows idle since before `maxT`, then the key ids nothing holds any more; returns the windows left. */
  sweep(maxT: number): number {
    let live = 0;
    for (const w of this.windows) live += w.sweep(maxT);
    for (let p = 0; p < this.tables.length; p++) {
      const keyed = this.keyedBy[p];
      this.tables[p].sweep((id) => {
        for (let i = 0; i < keyed.length; i++) if (keyed[i].has(id)) return true;
        return false;
      });
    }
    return live;
  }
}

/** Where a DirectVelocity finds its state: the memory store. */
export interface VelocityHost {
  /** Changes whenever ids may have been recycled (a sweep) or the state was cleared. */
  readonly epoch: number;
  velocity(layout: VelocityLayout, tenant: string): TenantVelocity;
}

/** Limits the direct path needs. */
export interface VelocityLimits {
  maxEntriesPerKey: number;
}

const NO_KEY = -2;

/** Runs a layout's features for one engine: reads as of just before an event, and the event's writes. */
export class DirectVelocity {
  private readonly features: Compiled[];
  private readonly getters: Getter[];
  private state: TenantVelocity | undefined;
  private stateTenant = '';
  private stateHost: VelocityHost | undefined;
  private stateEpoch = -1;
  /** Per path, the last key string seen and its id (-1: none yet); valid while state and epoch stay the same. */
  private readonly keys: (string | undefined)[];
  private readonly ids: Int32Array;
  /** Scratch: the key id of each feature being read. */
  private readonly found: Int32Array;

  constructor(readonly layout: VelocityLayout) {
    this.features = layout.features;
    this.getters = layout.getters;
    this.keys = new Array<string | undefined>(layout.paths.length).fill(undefined);
    this.ids = new Int32Array(layout.paths.length);
    this.found = new Int32Array(layout.features.length);
  }

  private stateOf(host: VelocityHost, tenant: string): TenantVelocity {
    const epoch = host.epoch;
    if (this.state === undefined || tenant !== this.stateTenant || host !== this.stateHost || epoch !== this.stateEpoch) {
      this.state = host.velocity(this.layout, tenant);
      this.stateTenant = tenant;
      this.stateHost = host;
      this.stateEpoch = epoch;
      this.keys.fill(undefined);
    }
    return this.state;
  }

  /**
   * The id of path `p`'s key in `ev`: NO_KEY without one, -1 when it has no state yet (and `create` is false).
   * The key string is taken from the event every time, so a caller reusing and changing an event object is safe.
   */
  private idOf(st: TenantVelocity, ev: RiskEvent, p: number, create: boolean): number {
    const k = keyString(this.getters[p](ev));
    if (k === undefined) return NO_KEY;
    if (this.keys[p] === k) {
      const known = this.ids[p];
      if (known >= 0 || !create) return known;
    }
    const id = create ? st.tables[p].intern(k) : st.tables[p].find(k);
    this.keys[p] = k;
    this.ids[p] = id;
    return id;
  }

  /** Sets `values[name]` of the features at `which` (indexes into the layout), as of just before `ev`. */
  read(host: VelocityHost, tenant: string, ev: RiskEvent, which: readonly number[], values: Record<string, unknown>): void {
    const st = this.stateOf(host, tenant);
    const t = ev.occurredAt;
    const features = this.features;
    const ids = this.found;
    // All key lookups first, then the windows: independent memory loads back to back overlap their cache misses.
    for (let i = 0; i < which.length; i++) ids[i] = this.idOf(st, ev, features[which[i]].key, false);
    for (let i = 0; i < which.length; i++) {
      const f = features[which[i]];
      const id = ids[i];
      values[f.name] = id === NO_KEY ? null : st.windows[which[i]].read(id, t, f.agg);
    }
  }

  /** Adds `ev` to every feature's window it counts in. */
  write(host: VelocityHost, tenant: string, ev: RiskEvent, limits: VelocityLimits): void {
    const st = this.stateOf(host, tenant);
    const t = ev.occurredAt;
    const features = this.features;
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      const v = f.value(ev);
      if (v === undefined) continue;
      const id = this.idOf(st, ev, f.key, true);
      if (id === NO_KEY) continue;
      const x = f.kind === 'numbers' ? (v as number) : f.kind === 'ids' ? this.idOf(st, ev, f.field, true) : 0;
      st.windows[i].add(id, t, x, limits.maxEntriesPerKey);
    }
  }
}
