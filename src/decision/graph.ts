// Loads and validates a JDM graph and compiles every node into a closure. Produces either a runnable
// program or the list of issues (each naming the node id and the field).
import { NodeFailure } from './errors.js';
import { expressionMessagesZh, issueMessageZh } from './zh.js';
import type { IssueSink } from './expr.js';
import { compileExpressionNode } from './nodes/expression.js';
import { compileSwitch } from './nodes/switch.js';
import { compileTable } from './nodes/table.js';
import { readTransform, transformPaths, withTransform, type CoreRun, type TransformAttributes } from './nodes/transform.js';
import { branchIds } from './risk/ab-split.js';
import { builtinRiskNodes } from './risk/index.js';
import type { GraphProgram, ProgramEdge, ProgramNode } from './program.js';
import type { CompileDecisionOptions, CompiledNode, CustomNodeCompiler, DecisionIssue, JdmGraph, NodeTrace } from './types.js';
import { isPlainObject, type Obj } from './values.js';
import { keysWritten, liveFields, type NodeReads } from './liveness.js';

export const GRAPH_ISSUE = '(graph)';
/** Sub-decisions may nest this deep (a → b → c ...); deeper is almost certainly a loader loop. */
export const MAX_DECISION_DEPTH = 8;

/** Parses a decision file's text or accepts an object; issues for anything that is not a graph. */
export function loadGraph(graph: JdmGraph | string | unknown, issues: DecisionIssue[]): JdmGraph | undefined {
  let g: unknown = graph;
  if (typeof graph === 'string') {
    try {
      g = JSON.parse(graph);
    } catch (err) {
      issues.push({ nodeId: GRAPH_ISSUE, message: `not valid JSON: ${(err as Error).message}` });
      return undefined;
    }
  }
  if (!isPlainObject(g)) {
    issues.push({ nodeId: GRAPH_ISSUE, message: 'a decision graph must be an object with `nodes` and `edges`' });
    return undefined;
  }
  if (!Array.isArray(g.nodes)) issues.push({ nodeId: GRAPH_ISSUE, field: 'nodes', message: '`nodes` must be an array' });
  if (!Array.isArray(g.edges)) issues.push({ nodeId: GRAPH_ISSUE, field: 'edges', message: '`edges` must be an array' });
  if (!Array.isArray(g.nodes) || !Array.isArray(g.edges)) return undefined;
  return g as unknown as JdmGraph;
}

interface BuildState {
  opts: CompileDecisionOptions;
  /** Loader keys being compiled, outermost first (sub-decision cycle guard). */
  stack: string[];
}

export function buildProgram(raw: JdmGraph | string | unknown, opts: CompileDecisionOptions, stack: string[] = []): { issues: DecisionIssue[]; program?: GraphProgram } {
  if (stack.length > 0) return buildGraph(raw, opts, stack);
  try {
    const built = buildGraph(raw, opts, stack);
    for (const issue of built.issues) {
      const zh = issueMessageZh(issue.message);
      if (zh) issue.messageZh = zh;
    }
    return built;
  } finally {
    expressionMessagesZh.clear();
  }
}

function buildGraph(raw: JdmGraph | string | unknown, opts: CompileDecisionOptions, stack: string[]): { issues: DecisionIssue[]; program?: GraphProgram } {
  const issues: DecisionIssue[] = [];
  const graph = loadGraph(raw, issues);
  if (!graph) return { issues };
  const state: BuildState = { opts, stack };

  // Nodes: ids, kinds, content.
  const index = new Map<string, number>();
  const nodes: ProgramNode[] = [];
  const paths = new Set<string>();
  const reads: NodeReads[] = [];
  const omitters: (CompiledNode['omitUnread'] | undefined)[] = [];
  graph.nodes.forEach((rawNode: unknown, i) => {
    if (!isPlainObject(rawNode)) {
      issues.push({ nodeId: GRAPH_ISSUE, field: `nodes[${i}]`, message: 'node must be an object' });
      return;
    }
    const id = typeof rawNode.id === 'string' && rawNode.id ? rawNode.id : '';
    if (!id) {
      issues.push({ nodeId: GRAPH_ISSUE, field: `nodes[${i}].id`, message: 'node needs a non-empty string id' });
      return;
    }
    if (index.has(id)) {
      issues.push({ nodeId: id, field: 'id', message: `duplicate node id '${id}'` });
      return;
    }
    const name = typeof rawNode.name === 'string' && rawNode.name ? rawNode.name : id;
    const type = typeof rawNode.type === 'string' ? rawNode.type : '';
    const issue: IssueSink = (field, message) => issues.push(field === undefined ? { nodeId: id, message } : { nodeId: id, field, message });
    const compiled = compileNode(type, rawNode.content, issue, state, id);
    compiled?.paths.forEach((p) => paths.add(p));
    reads.push({ paths: compiled?.paths, transform: compiled?.transform, readsRoot: JSON.stringify(rawNode.content ?? null).includes('$root'), knownKind: compiled?.omitUnread !== undefined, writes: keysWritten(type, rawNode.content) });
    omitters.push(compiled?.omitUnread);
    index.set(id, nodes.length);
    nodes.push({
      index: nodes.length,
      id,
      name,
      type,
      kind: compiled?.kind ?? type,
      run: compiled?.run ?? identity,
      sub: compiled?.sub,
      inEdges: [],
      outEdges: [],
      statementIds: compiled?.statementIds,
      routes: compiled?.routes ?? false,
      soleInput: -1,
      soleSource: -1,
    });
  });

  // Edges: both ends must exist; switch handles must name a statement.
  const edges: ProgramEdge[] = [];
  graph.edges.forEach((rawEdge: unknown, i) => {
    if (!isPlainObject(rawEdge)) {
      issues.push({ nodeId: GRAPH_ISSUE, field: `edges[${i}]`, message: 'edge must be an object' });
      return;
    }
    const edgeId = typeof rawEdge.id === 'string' ? rawEdge.id : `#${i}`;
    const s = typeof rawEdge.sourceId === 'string' ? index.get(rawEdge.sourceId) : undefined;
    const t = typeof rawEdge.targetId === 'string' ? index.get(rawEdge.targetId) : undefined;
    if (s === undefined || t === undefined) {
      const missing = s === undefined ? 'sourceId' : 'targetId';
      const known = s !== undefined ? nodes[s]!.id : t !== undefined ? nodes[t]!.id : GRAPH_ISSUE;
      issues.push({ nodeId: known, field: `edges[${i}].${missing}`, message: `edge '${edgeId}' is dangling: ${missing} ${JSON.stringify(rawEdge[missing] ?? null)} names no node` });
      return;
    }
    const handle = typeof rawEdge.sourceHandle === 'string' && rawEdge.sourceHandle ? rawEdge.sourceHandle : undefined;
    const src = nodes[s]!;
    if (src.statementIds && handle !== undefined && !src.statementIds.includes(handle)) {
      issues.push({ nodeId: src.id, field: `edges[${i}].sourceHandle`, message: `edge '${edgeId}' leaves from '${handle}', which is not a branch of this node (${src.statementIds.join(', ') || 'none'})` });
    }
    const e: ProgramEdge = { index: edges.length, id: edgeId, source: s, target: t, handle };
    edges.push(e);
    src.outEdges.push(e.index);
    nodes[t]!.inEdges.push(e.index);
  });

  // Exactly one input node; output nodes must be fed.
  const inputs = nodes.filter((n) => n.type === 'inputNode');
  if (inputs.length === 0) issues.push({ nodeId: GRAPH_ISSUE, field: 'nodes', message: 'missing input node: a graph needs exactly one inputNode' });
  for (const extra of inputs.slice(1)) issues.push({ nodeId: extra.id, field: 'type', message: `more than one input node (first is '${inputs[0]!.id}')` });
  for (const n of nodes) {
    if (n.type === 'outputNode' && n.inEdges.length === 0) issues.push({ nodeId: n.id, message: 'output node has no incoming edge: nothing reaches it' });
    if (n.type === 'inputNode' && n.inEdges.length > 0) issues.push({ nodeId: n.id, message: 'input node cannot have incoming edges' });
  }

  // Topological order (Kahn, stable by node order); whatever remains sits on a cycle.
  const order = topologicalOrder(nodes, edges);
  if (order.length < nodes.length) {
    const onCycle = nodes.filter((n) => !order.includes(n.index));
    const cycle = describeCycle(onCycle, nodes, edges);
    issues.push({ nodeId: cycle[0] ?? onCycle[0]!.id, message: `cycle detected: ${cycle.map((id) => `'${id}'`).join(' → ')}` });
  } else if (inputs.length === 1) {
    const reach = reachable(inputs[0]!.index, nodes, edges);
    for (const n of nodes) if (!reach[n.index]) issues.push({ nodeId: n.id, message: 'node is not reachable from the input node' });
  }

  if (issues.length > 0) return { issues };
  const outputs = nodes.filter((n) => n.type === 'outputNode').map((n) => n.index);
  for (const n of nodes) {
    const src = n.inEdges.length === 1 ? nodes[edges[n.inEdges[0]!]!.source]! : undefined;
    n.soleSource = src ? src.index : -1;
    // This node alone receives its source's output (so may take over a fresh pass-through object).
    n.soleInput = src !== undefined && src.type !== 'outputNode' && src.type !== 'inputNode' && src.outEdges.length === 1 ? src.index : -1;
  }
  const program: GraphProgram = {
    nodes,
    edges,
    order,
    inputIndex: inputs[0]!.index,
    outputIndices: outputs,
    leafIndices: nodes.filter((n) => n.outEdges.length === 0).map((n) => n.index),
    routing: nodes.some((n) => n.routes),
    usesNodes: JSON.stringify(graph.nodes).includes('$nodes'),
    paths: [...paths].filter((p) => p !== '$nodes' && !p.startsWith('$nodes.')).sort(),
  };
  // Output liveness: risk nodes skip result fields no later node (nor the result) can read. `$nodes` exposes
  // every node's output, so graphs reading it keep everything.
  if (!program.usesNodes) {
    for (const n of nodes) {
      const omit = omitters[n.index];
      const t = reads[n.index]!.transform;
      if (!omit || !t || !t.passThrough || t.outputPath?.length !== 1 || t.inputField || t.loop) continue;
      const live = liveFields(n.index, t.outputPath[0]!, nodes, edges, reads);
      if (live) omit(live);
    }
  }
  // Merge precedence: ZEN folds incoming data newest edge first, so the first edge listed wins.
  for (const n of nodes) n.inEdges.reverse();
  return { issues, program };
}

const identity: CoreRun = (input) => ({ output: input });

interface NodeCompilation {
  run: CoreRun;
  paths: readonly string[];
  kind?: string;
  statementIds?: string[];
  routes?: boolean;
  sub?: GraphProgram;
  transform?: TransformAttributes;
  /** Set for built-in risk kinds that can leave out unread result fields. */
  omitUnread?: CompiledNode['omitUnread'];
}

function compileNode(type: string, content: unknown, issue: IssueSink, state: BuildState, nodeId: string): NodeCompilation | undefined {
  if (type === 'inputNode' || type === 'outputNode') return { run: identity, paths: [] };
  if (type === 'functionNode') {
    issue('type', 'functionNode (arbitrary JavaScript) is not supported: express the logic with expression, table or switch nodes, or a registered customNode kind');
    return undefined;
  }
  const known = ['decisionTableNode', 'expressionNode', 'switchNode', 'decisionNode', 'customNode'];
  if (!known.includes(type)) {
    issue('type', `unknown node type ${JSON.stringify(type)} (expected one of inputNode, outputNode, ${known.join(', ')})`);
    return undefined;
  }
  if (!isPlainObject(content)) {
    issue('content', `${type} needs a content object`);
    return undefined;
  }
  switch (type) {
    case 'decisionTableNode': {
      const t = readTransform(content, issue);
      const table = compileTable(content, issue);
      return table && { run: withTransform(t, table.run, table.keepsNoInput), paths: transformPaths(t, table.paths), transform: t };
    }
    case 'expressionNode': {
      const t = readTransform(content, issue);
      const e = compileExpressionNode(content, issue);
      return e && { run: withTransform(t, e.run), paths: transformPaths(t, e.paths), transform: t };
    }
    case 'switchNode': {
      const s = compileSwitch(content, issue);
      return s && { run: s.run, paths: s.paths, statementIds: s.statementIds, routes: true };
    }
    case 'decisionNode':
      return compileDecisionNode(content, issue, state);
    default:
      return compileCustomNode(content, issue, state, nodeId);
  }
}

function compileDecisionNode(content: Obj, issue: IssueSink, state: BuildState): NodeCompilation | undefined {
  const key = typeof content.key === 'string' ? content.key.trim() : '';
  if (!key) {
    issue('key', 'decisionNode needs the key of the sub-decision to run');
    return undefined;
  }
  const loader = state.opts.loader;
  if (!loader) {
    issue('key', `sub-decision '${key}' cannot be resolved: no loader was given to compileDecision`);
    return undefined;
  }
  if (state.stack.includes(key)) {
    issue('key', `sub-decision cycle: ${[...state.stack, key].join(' → ')}`);
    return undefined;
  }
  if (state.stack.length >= MAX_DECISION_DEPTH) {
    issue('key', `sub-decisions nest deeper than ${MAX_DECISION_DEPTH} levels`);
    return undefined;
  }
  let graph: JdmGraph | undefined;
  try {
    graph = loader(key);
  } catch (err) {
    issue('key', `loader failed for '${key}': ${(err as Error).message}`);
    return undefined;
  }
  if (graph === undefined) {
    issue('key', `sub-decision '${key}' not found by the loader`);
    return undefined;
  }
  const t = readTransform(content, issue);
  const built = buildProgram(graph, state.opts, [...state.stack, key]);
  if (!built.program) {
    for (const i of built.issues) issue('key', `sub-decision '${key}': ${i.nodeId}${i.field ? ` ${i.field}` : ''}: ${i.message}`);
    return undefined;
  }
  const sub = built.program;
  const core: CoreRun = (input, ctx) => {
    if (!ctx.trace) return { output: runProgramRef.run(sub, input, ctx, undefined) };
    const children: Record<string, NodeTrace> = {};
    const output = runProgramRef.run(sub, input, ctx, children);
    return { output, children };
  };
  return { run: withTransform(t, core), paths: transformPaths(t, sub.paths), sub };
}

/** Set by runtime.ts (breaks the import cycle between building and running sub-decisions). */
export const runProgramRef: { run: (p: GraphProgram, input: unknown, ctx: import('./types.js').NodeContext, trace: Record<string, NodeTrace> | undefined) => unknown } = {
  run: () => {
    throw new NodeFailure('decision runtime not loaded');
  },
};

function compileCustomNode(content: Obj, issue: IssueSink, state: BuildState, nodeId: string): NodeCompilation | undefined {
  const kind = typeof content.kind === 'string' ? content.kind : '';
  if (!kind) {
    issue('content.kind', 'customNode needs content.kind');
    return undefined;
  }
  const compiler: CustomNodeCompiler | undefined = state.opts.customNodes?.[kind] ?? builtinRiskNodes[kind];
  if (!compiler) {
    const known = [...Object.keys(builtinRiskNodes), ...Object.keys(state.opts.customNodes ?? {})];
    issue('content.kind', `unknown customNode kind '${kind}' (known: ${known.join(', ')})`);
    return undefined;
  }
  const builtinAb = kind === 'abSplit' && !state.opts.customNodes?.[kind];
  // abSplit routes: by default it keeps its input and records the branch under `abSplit`.
  const defaults = builtinAb ? { passThrough: true, outputPath: 'abSplit' } : {};
  const t = readTransform(content, issue, defaults);
  let compiled: CompiledNode | undefined;
  let failed = false;
  try {
    compiled = compiler(content.config, {
      nodeId,
      lists: state.opts.lists,
      models: state.opts.models,
      issue: (field, message) => {
        failed = true;
        issue(field ? `content.config.${field}` : 'content.config', message);
      },
    });
  } catch (err) {
    issue('content.config', `customNode '${kind}' failed to compile: ${(err as Error).message}`);
    return undefined;
  }
  if (!compiled || failed) {
    if (!failed) issue('content.config', `customNode '${kind}' rejected its config`);
    return undefined;
  }
  const node = compiled;
  const core: CoreRun = (input, ctx) => node.evaluate(input as Record<string, unknown>, ctx);
  // Built-in kinds whose output is built fresh and never holds the node input object.
  const keepsNoInput = !state.opts.customNodes?.[kind] && FRESH_OUTPUT_KINDS.has(kind);
  return {
    run: withTransform(t, core, keepsNoInput),
    paths: transformPaths(t, node.paths),
    transform: t,
    // Only built-in kinds: their output is built from what they read, so their own reads are all they pass on.
    omitUnread: keepsNoInput ? node.omitUnread : undefined,
    kind, routes: builtinAb, statementIds: builtinAb ? branchIds(content.config) : undefined };
}

const FRESH_OUTPUT_KINDS = new Set(['ruleSet', 'scorecard', 'decision']);

function topologicalOrder(nodes: ProgramNode[], edges: ProgramEdge[]): number[] {
  const indegree = nodes.map((n) => n.inEdges.length);
  const ready: number[] = [];
  for (const n of nodes) if (indegree[n.index] === 0) ready.push(n.index);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(i);
    for (const e of nodes[i]!.outEdges) {
      const t = edges[e]!.target;
      if (--indegree[t]! === 0) ready.push(t);
    }
  }
  return order;
}

/** One concrete cycle among the nodes Kahn's algorithm could not order, as node ids. */
function describeCycle(onCycle: ProgramNode[], nodes: ProgramNode[], edges: ProgramEdge[]): string[] {
  const left = new Set(onCycle.map((n) => n.index));
  let cur = onCycle[0]!.index;
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    const next = nodes[cur]!.outEdges.map((e) => edges[e]!.target).find((t) => left.has(t));
    if (next === undefined) break;
    cur = next;
  }
  const start = seen.get(cur) ?? 0;
  const loop = path.slice(start).map((i) => nodes[i]!.id);
  return [...loop, loop[0]!];
}

function reachable(from: number, nodes: ProgramNode[], edges: ProgramEdge[]): boolean[] {
  const seen = nodes.map(() => false);
  const stack = [from];
  seen[from] = true;
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (const e of nodes[i]!.outEdges) {
      const t = edges[e]!.target;
      if (!seen[t]) {
        seen[t] = true;
        stack.push(t);
      }
    }
  }
  return seen;
}
