// Which compiled strategy runs for (tenant, event type): bindings are read from the store and re-checked
// every `bindingTtlMs` (so other instances' publishes are picked up); compiled versions are immutable and
// cached by (tenant, strategy, version). A publish in this process invalidates the tenant at once.
import type { CompileDecisionOptions, CompiledDecision, ListLookup, ModelHost } from '../decision/index.js';
import type { TenantLists } from './tenant-lists.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { compileStrategy, featureNames } from './engine.js';

export interface ActiveVersion {
  strategyId: string;
  version: number;
  compiled: CompiledDecision;
  /** `features.*` names the version reads. */
  features: string[];
}

export interface ActiveStrategy {
  main?: ActiveVersion;
  shadow?: ActiveVersion;
  /** Union of main and shadow feature names. */
  features: string[];
}

interface Entry {
  checkedAt: number;
  key: string;
  value: ActiveStrategy;
}

export interface StrategyRuntimeOptions {
  store: Store;
  clock: Clock;
  lists: TenantLists;
  /** The `model` node's host: one for every tenant, or per tenant (the service's tenant model registry). */
  models?: ModelHost | ((tenantId: string) => Promise<ModelHost>);
  bindingTtlMs?: number;
}

export class StrategyRuntime {
  private readonly bindings = new Map<string, Entry>();
  private readonly versions = new Map<string, Promise<ActiveVersion>>();
  /**
   * One stable lookup per tenant handed to every compiled version; it delegates to the tenant's current
   * index, so a reloaded index is seen by strategies compiled before the reload.
   */
  private readonly listProxies = new Map<string, { target: ListLookup; proxy: ListLookup }>();
  private readonly ttl: number;

  constructor(private readonly opts: StrategyRuntimeOptions) {
    this.ttl = opts.bindingTtlMs ?? 5000;
  }

  /** The binding resolved within the TTL, without a promise (the hot path's usual case); undefined: call forEvent. */
  cached(tenantId: string, eventType: string): ActiveStrategy | undefined {
    const hit = this.bindings.get(tenantId + '\0' + eventType);
    return hit && this.opts.clock() - hit.checkedAt < this.ttl ? hit.value : undefined;
  }

  /** The strategy for an event type; empty when nothing is bound. */
  async forEvent(tenantId: string, eventType: string): Promise<ActiveStrategy> {
    const k = tenantId + '\0' + eventType;
    const now = this.opts.clock();
    const hit = this.bindings.get(k);
    if (hit && now - hit.checkedAt < this.ttl) return hit.value;
    const b = await this.opts.store.strategies.binding(tenantId, eventType);
    const key = b ? `${b.strategyId}@${b.version}/${b.shadow ? `${b.shadow.strategyId}@${b.shadow.version}` : ''}` : '';
    if (hit && hit.key === key) {
      hit.checkedAt = now;
      return hit.value;
    }
    let value: ActiveStrategy = { features: [] };
    if (b) {
      const main = await this.version(tenantId, b.strategyId, b.version);
      const shadow = b.shadow ? await this.version(tenantId, b.shadow.strategyId, b.shadow.version).catch(() => undefined) : undefined;
      value = { main, shadow, features: [...new Set([...main.features, ...(shadow?.features ?? [])])] };
    }
    this.bindings.set(k, { checkedAt: now, key, value });
    return value;
  }

  /** A published version, compiled once. */
  version(tenantId: string, strategyId: string, version: number): Promise<ActiveVersion> {
    const k = `${tenantId}\0${strategyId}\0${version}`;
    let p = this.versions.get(k);
    if (!p) {
      p = (async () => {
        const v = await this.opts.store.strategies.getVersion(tenantId, strategyId, version);
        if (!v) throw new Error(`strategy ${strategyId} version ${version} not found`);
        const compiled = compileStrategy(v.content, await this.compileOptions(tenantId));
        return { strategyId, version, compiled, features: featureNames(compiled.paths) };
      })();
      this.versions.set(k, p);
      p.catch(() => this.versions.delete(k));
    }
    return p;
  }

  /** Engine options for a tenant: its (loaded, live) name-list index and the model host. */
  async compileOptions(tenantId: string): Promise<CompileDecisionOptions> {
    const m = this.opts.models;
    return { lists: await this.listsFor(tenantId), models: typeof m === 'function' ? await m(tenantId) : m };
  }

  private async listsFor(tenantId: string): Promise<ListLookup> {
    const index = await this.opts.lists.ready(tenantId);
    let p = this.listProxies.get(tenantId);
    if (!p) {
      const holder = { target: index } as { target: ListLookup; proxy: ListLookup };
      holder.proxy = { lookup: (dimension, value, listIds) => holder.target.lookup(dimension, value, listIds) };
      this.listProxies.set(tenantId, (p = holder));
    }
    return p.proxy;
  }

  /** Reloads every loaded tenant's name lists from the store (cluster mode, on a timer). */
  async reloadLists(): Promise<void> {
    if (!this.opts.lists.reload) return;
    for (const [tenantId, p] of this.listProxies) p.target = await this.opts.lists.reload(tenantId);
  }

  /** Forget the tenant's bindings (after publish, rollback, shadow or unbind in this process). */
  invalidate(tenantId: string): void {
    for (const k of this.bindings.keys()) if (k.startsWith(tenantId + '\0')) this.bindings.delete(k);
  }
}
