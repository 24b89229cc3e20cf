// Runs a compiled graph synchronously. Nodes run in a fixed topological order; a node runs when at least one
// live incoming edge comes from a node that ran, and its input is the merge of those nodes' outputs (ZEN's
// rule: the first edge listed wins on conflicting keys). Routing nodes (switch, abSplit) prune the edges of
// branches not taken, cascading exactly as ZEN does: a node left without incoming edges is removed with its
// outgoing edges, and a node left without outgoing edges is removed with its incoming ones.
// The result merges the outputNodes that ran (else the leaves that ran), in node order; later nodes win.
import { maskPersonalData } from '../core/mask.js';
import { DecisionEvaluationError, NodeFailure } from './errors.js';
import { runProgramRef } from './graph.js';
import type { GraphProgram, ProgramNode } from './program.js';
import type { Ownership } from './nodes/transform.js';
import type { NodeContext, NodeOutput, NodeTrace } from './types.js';
import { toPlain } from '../expression/index.js';
import { mergeValues, needsPlain, withNodes, withoutNodes } from './values.js';

const NOT_RUN: unique symbol = Symbol('not-run');

interface Pruning {
  dead: Uint8Array;
  removed: Uint8Array;
  inCount: Int32Array;
  outCount: Int32Array;
}

export function runProgram(p: GraphProgram, input: unknown, ctx: NodeContext, trace: Record<string, NodeTrace> | undefined): unknown {
  const nodes = p.nodes;
  const edges = p.edges;
  const data: unknown[] = new Array(nodes.length).fill(NOT_RUN);
  const pr: Pruning | undefined = p.routing ? newPruning(p) : undefined;
  let traceOrder = 0;
  // `$nodes` (outputs so far by node name) is kept only for graphs that read it; a sub-decision has its own.
  const outer = ctx.nodes;
  const nodesByName: Record<string, unknown> | undefined = p.usesNodes ? {} : undefined;
  (ctx as { nodes?: Record<string, unknown> }).nodes = nodesByName;

  const order = p.order;
  const own = ctx as unknown as Ownership;
  const handOver = trace === undefined && nodesByName === undefined;
  let freshFrom = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (pr && pr.removed[i]) continue;
    const node = nodes[i]!;
    let nodeInput: unknown;
    if (i === p.inputIndex) {
      nodeInput = input;
    } else {
      const ins = node.inEdges;
      let count = 0;
      let single: unknown;
      if (ins.length === 1 && !pr) {
        // The common chain link: one incoming edge, nothing pruned.
        single = data[node.soleSource];
        if (single !== NOT_RUN) count = 1;
      } else {
        for (let j = 0; j < ins.length; j++) {
          const e = ins[j]!;
          if (pr && pr.dead[e]) continue;
          const d = data[edges[e]!.source];
          if (d === NOT_RUN) continue;
          if (count === 0) single = d;
          count++;
        }
      }
      if (count === 0) continue;
      if (count === 1) nodeInput = single;
      else {
        let merged: unknown = {};
        for (let j = 0; j < ins.length; j++) {
          const e = ins[j]!;
          if (pr && pr.dead[e]) continue;
          const d = data[edges[e]!.source];
          if (d !== NOT_RUN) merged = mergeValues(merged, d);
        }
        nodeInput = merged;
      }
    }

    let out: NodeOutput;
    const t0 = trace ? performance.now() : 0;
    // The previous node's fresh pass-through object goes to this node alone: it may be written in place.
    own.inputOwned = handOver && node.soleInput >= 0 && node.soleInput === freshFrom;
    own.outputFresh = false;
    try {
      out = node.run(nodesByName && i !== p.inputIndex ? withNodes(nodeInput, nodesByName) : nodeInput, ctx);
    } catch (err) {
      (ctx as { nodes?: Record<string, unknown> }).nodes = outer;
      if (err instanceof DecisionEvaluationError) throw err;
      const msg = err instanceof NodeFailure ? err.message : `failed: ${(err as Error)?.message ?? String(err)}`;
      throw new DecisionEvaluationError(node.id, node.name, msg, { cause: err });
    }
    if (nodesByName) {
      out.output = withoutNodes(out.output);
      nodesByName[node.name] = out.output;
      (ctx as { nodes?: Record<string, unknown> }).nodes = nodesByName;
    }
    data[i] = out.output;
    freshFrom = own.outputFresh ? i : -1;
    if (trace) {
      const t: NodeTrace = {
        id: node.id,
        name: node.name,
        kind: node.kind,
        input: i === p.inputIndex ? null : traceValue(nodeInput),
        output: traceValue(out.output),
        micros: Math.round((performance.now() - t0) * 1000) / 1000,
        order: traceOrder++,
      };
      if (out.matched) t.matched = out.matched;
      if (out.children) t.children = out.children;
      trace[node.id] = t;
    }
    if (pr && node.routes && out.handles) prune(p, pr, node, out.handles);
  }

  // Result: the outputNodes that ran; when none did (or the graph has none), the leaves that ran. ZEN stops at
  // the first outputNode it reaches, so branches not leading to an outputNode do not shape the response.
  let result: unknown = NOT_RUN;
  let count = 0;
  for (let pass = 0; pass < 2 && count === 0; pass++) {
    const sources = pass === 0 ? p.outputIndices : p.leafIndices;
    for (let k = 0; k < sources.length; k++) {
      const i = sources[k]!;
      if (pr && pr.removed[i]) continue;
      const d = data[i];
      if (d === NOT_RUN) continue;
      result = count === 0 ? d : mergeValues(result, d);
      count++;
    }
  }
  (ctx as { nodes?: Record<string, unknown> }).nodes = outer;
  // The caller (a decisionNode's core) must not take this program's result for a fresh object.
  own.inputOwned = false;
  own.outputFresh = false;
  if (count === 0) return {};
  // Dates and intervals computed by expressions leave the engine as ISO-8601 strings.
  return needsPlain(result) ? toPlain(result) : result;
}

runProgramRef.run = runProgram;

/** A plain, masked copy for the trace; data nested too deep to copy is summarised rather than overflowing. */
function traceValue(v: unknown): unknown {
  try {
    return maskPersonalData(toPlain(v));
  } catch (err) {
    if (err instanceof RangeError) return '[too deeply nested to trace]';
    throw err;
  }
}

function newPruning(p: GraphProgram): Pruning {
  const n = p.nodes.length;
  const inCount = new Int32Array(n);
  const outCount = new Int32Array(n);
  for (const node of p.nodes) {
    inCount[node.index] = node.inEdges.length;
    outCount[node.index] = node.outEdges.length;
  }
  return { dead: new Uint8Array(p.edges.length), removed: new Uint8Array(n), inCount, outCount };
}

function prune(p: GraphProgram, pr: Pruning, node: ProgramNode, handles: readonly string[]): void {
  for (const e of node.outEdges) {
    if (pr.dead[e]) continue;
    const h = p.edges[e]!.handle;
    if (h === undefined || !handles.includes(h)) removeEdge(p, pr, e);
  }
}

/** ZEN's remove_edge_recursive on the per-evaluation view of the graph. */
function removeEdge(p: GraphProgram, pr: Pruning, e: number): void {
  if (pr.dead[e]) return;
  pr.dead[e] = 1;
  const { source, target } = p.edges[e]!;
  pr.outCount[source]!--;
  pr.inCount[target]!--;
  if (pr.inCount[target] === 0) {
    for (const oe of p.nodes[target]!.outEdges) removeEdge(p, pr, oe);
    if (pr.outCount[target] === 0) pr.removed[target] = 1;
  }
  if (pr.outCount[source] === 0) {
    for (const ie of p.nodes[source]!.inEdges) removeEdge(p, pr, ie);
    pr.removed[source] = 1;
  }
}
