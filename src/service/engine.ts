// The service's view of the decision engine: compile a stored JDM graph once per version, validate drafts.
// Kept in one module so the rest of the service never depends on engine internals.
import { compileDecision, validateDecision } from '../decision/index.js';
import type { CompileDecisionOptions, CompiledDecision, DecisionIssue, JdmGraph } from '../decision/index.js';

export function compileStrategy(graph: unknown, options: CompileDecisionOptions): CompiledDecision {
  return compileDecision(graph as JdmGraph, options);
}

/** Issues of a graph; a graph that is not even an object gets one issue on the root. */
export function validateStrategy(graph: unknown, options: CompileDecisionOptions): DecisionIssue[] {
  if (!graph || typeof graph !== 'object' || !Array.isArray((graph as JdmGraph).nodes) || !Array.isArray((graph as JdmGraph).edges)) {
    return [{ nodeId: '', field: 'draft', message: 'a strategy is a JDM graph object with nodes[] and edges[]' }];
  }
  try {
    return validateDecision(graph as JdmGraph, options);
  } catch (err) {
    return [{ nodeId: '', message: err instanceof Error ? err.message : String(err) }];
  }
}

/** Feature names (`features.<name>` paths, prefix dropped) a compiled strategy reads. */
export function featureNames(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (p.startsWith('features.') && p.length > 9) out.add(p.slice(9));
  }
  return [...out];
}
