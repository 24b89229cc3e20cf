// The compiled form of a graph: nodes as closures, edges as indices, a fixed topological order.
import type { CoreRun } from './nodes/transform.js';

export interface ProgramNode {
  index: number;
  id: string;
  name: string;
  /** JDM node type (`decisionTableNode`, `customNode`, ...). */
  type: string;
  /** `type`, or the customNode kind (`ruleSet`, `scorecard`, ...); shown in traces. */
  kind: string;
  run: CoreRun;
  /** Incoming edge indices in merge order (the highest-precedence edge last). */
  inEdges: number[];
  outEdges: number[];
  /** Switch nodes: statement ids (valid sourceHandles). */
  statementIds?: string[];
  /** Routing node: its output's `handles` choose which outgoing edges are followed. */
  routes: boolean;
  /** With exactly one incoming edge: its source node; else -1. */
  soleSource: number;
  /** The source node whose output only this node reads (its single in-edge, the source's single out-edge), else -1. */
  soleInput: number;
  /** decisionNode: the compiled sub-decision. */
  sub?: GraphProgram;
}

export interface ProgramEdge {
  index: number;
  id: string;
  source: number;
  target: number;
  handle?: string;
}

export interface GraphProgram {
  nodes: ProgramNode[];
  edges: ProgramEdge[];
  order: number[];
  inputIndex: number;
  outputIndices: number[];
  /** Nodes without outgoing edges: the ones that ran form the result when no outputNode ran. */
  leafIndices: number[];
  /** True when some node routes (prunes edges at run time). */
  routing: boolean;
  /** True when an expression reads `$nodes` (node outputs by name): only then is it maintained. */
  usesNodes: boolean;
  paths: string[];
}
