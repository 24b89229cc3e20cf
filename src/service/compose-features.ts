// Several feature providers behind the one FeatureProvider the decider calls. Each namespaced provider owns the
// names under its prefix (`statement.`, `graph.`); the base provider (the velocity engine) gets the rest.
// Namespaced values are nested (`{ statement: { incomeMonthlyAvg } }`) because strategies read them as
// `features.statement.incomeMonthlyAvg`, a member path, not a flat key with a dot.
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider, FeatureResult } from '../core/feature-provider.js';

export interface NamespacedProvider {
  /** Namespace without the dot, e.g. `statement` for `features.statement.*`. */
  namespace: string;
  provider: FeatureProvider;
  /** false: the provider's apply() does nothing (statement reports arrive by upload), so it is not called. */
  applies?: boolean;
}

interface Split {
  /** Names left for the base provider (the caller's own array when nothing was claimed, so its plan cache hits). */
  base: readonly string[];
  /** Per namespaced provider, the full names (`statement.x`) it is asked for; empty when none. */
  owned: string[][];
}

export interface ComposedFeatureProvider extends FeatureProvider {
  readonly base: FeatureProvider;
  readonly namespaced: readonly NamespacedProvider[];
  /** The base provider's definitions (GET /v1/features lists the feature engine's own). */
  readonly definitions?: unknown;
}

/** Composes `base` with namespaced providers; with none, `base` itself is returned (no added cost). */
export function composeFeatureProviders(base: FeatureProvider, namespaced: readonly NamespacedProvider[]): FeatureProvider {
  if (namespaced.length === 0) return base;
  const prefixes = namespaced.map((n) => n.namespace + '.');
  const appliers = namespaced.filter((n) => n.applies !== false).map((n) => n.provider);
  // The runtime hands the same names array for every event of one strategy version: split it once.
  const splits = new WeakMap<readonly string[], Split>();
  const splitOf = (names: readonly string[]): Split => {
    let s = splits.get(names);
    if (s) return s;
    const owned: string[][] = namespaced.map(() => []);
    const rest: string[] = [];
    for (const n of names) {
      const i = prefixes.findIndex((p) => n.startsWith(p));
      if (i >= 0) owned[i].push(n);
      else rest.push(n);
    }
    s = { base: rest.length === names.length ? names : rest, owned };
    splits.set(names, s);
    return s;
  };

  const composed: ComposedFeatureProvider = {
    base,
    namespaced,
    get definitions() {
      return (base as { definitions?: unknown }).definitions;
    },
    async compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult> {
      const split = splitOf(names);
      let anyOwned = false;
      for (const o of split.owned) if (o.length > 0) anyOwned = true;
      if (!anyOwned) return base.compute(event, names);
      const jobs: Promise<FeatureResult>[] = [split.base.length > 0 ? base.compute(event, split.base) : Promise.resolve({ values: {} })];
      for (let i = 0; i < namespaced.length; i++) {
        const want = split.owned[i];
        // One failing provider degrades its own names only; the others still answer.
        jobs.push(
          want.length === 0
            ? Promise.resolve({ values: {} })
            : namespaced[i].provider.compute(event, want).catch((err: unknown) => ({
                values: {},
                degraded: `${namespaced[i].namespace} features unavailable: ${err instanceof Error ? err.message : String(err)}`,
              })),
        );
      }
      const results = await Promise.all(jobs);
      const values: Record<string, unknown> = { ...results[0].values };
      const degraded: string[] = results[0].degraded ? [results[0].degraded] : [];
      for (let i = 0; i < namespaced.length; i++) {
        const want = split.owned[i];
        if (want.length === 0) continue;
        const r = results[i + 1];
        if (r.degraded) degraded.push(r.degraded);
        const ns: Record<string, unknown> = {};
        const cut = prefixes[i].length;
        for (const n of want) ns[n.slice(cut)] = r.values[n] ?? null;
        values[namespaced[i].namespace] = ns;
      }
      return degraded.length > 0 ? { values, degraded: degraded.join('; ') } : { values };
    },
    async apply(event: RiskEvent): Promise<void> {
      // Every provider folds every event in; a failure of one is reported after the others have applied.
      let failed: unknown;
      try {
        await base.apply(event);
      } catch (err) {
        failed = err;
      }
      for (const p of appliers) {
        try {
          await p.apply(event);
        } catch (err) {
          failed ??= err;
        }
      }
      if (failed !== undefined) throw failed;
    },
    async close(): Promise<void> {
      await Promise.allSettled([base.close(), ...namespaced.map((n) => n.provider.close())]);
    },
  };
  return composed;
}
