// The public contract of the decision-graph engine (JDM). The HTTP service codes against exactly these types.

/** One JDM node as stored in a decision file. `content` depends on `type`. */
export interface JdmNode {
  id: string;
  type: string;
  name?: string;
  content?: unknown;
  position?: { x: number; y: number };
  [key: string]: unknown;
}

export interface JdmEdge {
  id: string;
  sourceId: string;
  targetId: string;
  /** Switch-node statement id this edge leaves from (only switchNode uses it). */
  sourceHandle?: string | null;
  type?: string;
  [key: string]: unknown;
}

export interface JdmGraph {
  nodes: JdmNode[];
  edges: JdmEdge[];
  tests?: { input: unknown; output: unknown }[];
  [key: string]: unknown;
}

/** Host-provided name-list lookup for the `list` node. Synchronous and O(1): it sits on the hot path. */
export interface ListLookup {
  lookup(dimension: string, value: string, listIds?: readonly string[]): ListHit[];
}

export interface ListHit {
  listId: string;
  kind: 'black' | 'white' | 'grey';
  category?: string;
  reason?: string;
  riskLevel?: number;
}

/** Host-provided model scoring for the `model` node. Synchronous. */
export interface ModelHost {
  predict(
    modelId: string,
    version: number | undefined,
    features: Record<string, unknown>,
  ): { score: number; reasons?: { feature: string; contribution: number }[] };
}

/** What a node kind compiles to: a synchronous function from the node's input to its output. */
export interface CompiledNode {
  evaluate(input: Record<string, unknown>, ctx: NodeContext): NodeOutput;
  /** Input paths the node reads (dotted from the node's input root). */
  readonly paths: readonly string[];
  /**
   * Called once at compile time, when the graph proves that later nodes and the graph result read only the
   * `live` fields of this node's output: the node may then skip building the others when not tracing.
   * Only the built-in ruleSet, scorecard and decision kinds are asked (see liveness.ts).
   */
  omitUnread?(live: ReadonlySet<string>): void;
}

/** Per-evaluation context handed to every node. */
export interface NodeContext {
  /** Clock for this evaluation, UTC epoch ms. */
  readonly now: number;
  /** True when the caller asked for a trace; nodes may then report `matched`. */
  readonly trace: boolean;
  /** Pass to CompiledExpression.evaluate (carries the clock). */
  readonly env: { readonly now: number };
  /** When the graph reads `$nodes`: the outputs of the nodes run so far, by node name. */
  readonly nodes?: Record<string, unknown>;
}

export interface NodeOutput {
  output: unknown;
  /** Matched rule / row / statement ids, reported in the trace. */
  matched?: string[];
  /** Routing nodes (switch, abSplit): ids of the branches whose edges are followed. Undefined = follow all. */
  handles?: readonly string[];
  /** decisionNode: the sub-decision's trace (only when tracing). */
  children?: Record<string, NodeTrace>;
}

export interface CustomNodeCompileContext {
  nodeId: string;
  lists?: ListLookup;
  models?: ModelHost;
  /** Reports a validation issue for this node (`field` is a path inside content, e.g. `config.rules[2].condition`). */
  issue(field: string | undefined, message: string): void;
}

/** Compiles the `config` of one customNode kind. Report problems through ctx.issue; return undefined when unusable. */
export type CustomNodeCompiler = (config: unknown, ctx: CustomNodeCompileContext) => CompiledNode | undefined;

export interface CompileDecisionOptions {
  /** Resolves decisionNode `content.key` to a sub-graph. */
  loader?: (key: string) => JdmGraph | undefined;
  /** Extra customNode kinds beyond the built-in risk nodes. */
  customNodes?: Record<string, CustomNodeCompiler>;
  /** For the `list` node. */
  lists?: ListLookup;
  /** For the `model` node. */
  models?: ModelHost;
}

export interface EvaluateDecisionOptions {
  /** Clock: epoch ms, Date or ISO string. Defaults to the system clock. */
  now?: number | Date | string;
  /** Collect a per-node trace (inputs, outputs, matched ids, time). Costs nothing when off. */
  trace?: boolean;
}

export interface NodeTrace {
  id: string;
  name: string;
  kind: string;
  input: unknown;
  output: unknown;
  matched?: string[];
  micros: number;
  order: number;
  /** decisionNode: the sub-decision's own trace. */
  children?: Record<string, NodeTrace>;
}

export interface DecisionResult {
  result: unknown;
  trace?: Record<string, NodeTrace>;
  /** Total evaluation time, e.g. "12.3µs" (only with trace). */
  performance?: string;
}

export interface CompiledDecision {
  evaluate(input: unknown, opts?: EvaluateDecisionOptions): DecisionResult;
  /** Union of the input paths read by every expression in the graph. */
  readonly paths: readonly string[];
}

export interface DecisionIssue {
  /** The node the issue is about; '(graph)' for the graph as a whole. */
  nodeId: string;
  /** Where in the node: `content.config.rules[2].condition`, `rules[0].<columnId>`, `edges[3].targetId`, ... */
  field?: string;
  message: string;
  /** The message in Chinese (zh-CN), when a translation exists. */
  messageZh?: string;
}
