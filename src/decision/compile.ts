// The public entry points: compile once, evaluate many times (synchronously).
import { DecisionValidationError } from './errors.js';
import { buildProgram } from './graph.js';
import { runProgram } from './runtime.js';
import type {
  CompileDecisionOptions,
  CompiledDecision,
  DecisionIssue,
  DecisionResult,
  EvaluateDecisionOptions,
  JdmGraph,
  NodeContext,
  NodeTrace,
} from './types.js';

/** Epoch ms from the `now` option (number, Date or ISO string); the system clock when absent. */
export function resolveNow(now: number | Date | string | undefined): number {
  if (now === undefined) return Date.now();
  const ms = typeof now === 'number' ? now : now instanceof Date ? now.getTime() : Date.parse(now);
  if (!Number.isFinite(ms)) throw new TypeError(`invalid 'now': ${String(now)} (expected epoch ms, a Date or an ISO-8601 string)`);
  return ms;
}

/**
 * The per-evaluation context. The system clock is read lazily (only when a date function or a node asks for
 * `now`), so graphs that never look at the time do not pay for Date.now(). It is also the expression env.
 */
class EvalContext implements NodeContext {
  readonly trace: boolean;
  nodes?: Record<string, unknown>;
  /** Pass-through hand-over between nodes (see nodes/transform.ts, Ownership). */
  inputOwned = false;
  outputFresh = false;
  private fixed: number | undefined;
  constructor(now: number | undefined, trace: boolean) {
    this.fixed = now;
    this.trace = trace;
  }
  get now(): number {
    return (this.fixed ??= Date.now());
  }
  get env(): { readonly now: number } {
    return this;
  }
}

/** Validates and compiles a JDM graph (object or JSON text). Throws DecisionValidationError listing every issue. */
export function compileDecision(graph: JdmGraph | string, opts: CompileDecisionOptions = {}): CompiledDecision {
  const { issues, program } = buildProgram(graph, opts);
  if (!program) throw new DecisionValidationError(issues);
  const paths = Object.freeze([...program.paths]);
  return {
    paths,
    evaluate(input: unknown, evalOpts?: EvaluateDecisionOptions): DecisionResult {
      const now = evalOpts?.now === undefined ? undefined : resolveNow(evalOpts.now);
      if (evalOpts?.trace !== true) return { result: runProgram(program, input, new EvalContext(now, false), undefined) };
      const ctx = new EvalContext(now, true);
      const trace: Record<string, NodeTrace> = {};
      const t0 = performance.now();
      const result = runProgram(program, input, ctx, trace);
      return { result, trace, performance: formatMicros((performance.now() - t0) * 1000) };
    },
  };
}

/** Compiles and evaluates in one call (compile once with compileDecision on hot paths). */
export function evaluateDecision(graph: JdmGraph | string, input: unknown, opts: CompileDecisionOptions & EvaluateDecisionOptions = {}): DecisionResult {
  return compileDecision(graph, opts).evaluate(input, opts);
}

/** Every problem in the graph, each naming the node id and field; empty when the graph compiles. */
export function validateDecision(graph: JdmGraph | string, opts: CompileDecisionOptions = {}): DecisionIssue[] {
  return buildProgram(graph, opts).issues;
}

function formatMicros(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)}ms` : `${us.toFixed(1)}µs`;
}
