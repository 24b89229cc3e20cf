// Conversion between stored JDM graphs and the canvas model, undo/redo history, and auto-layout.
import type { Edge, Node } from '@xyflow/react';
import dagre from '@dagrejs/dagre';
import type { JdmGraph, JdmNode } from '../types.js';

export interface NodeData extends Record<string, unknown> {
  type: string;
  name: string;
  content: unknown;
  /** Validation issue messages for this node. */
  issues?: string[];
  /** After a test run: on the path taken, or not. */
  path?: 'on' | 'off';
}
export type FlowNode = Node<NodeData, 'jdm'>;
export type FlowEdge = Edge;

let seq = 0;
/** Ids unique within a graph and stable to read in a diff. */
export function newId(prefix = 'n'): string {
  seq = (seq + 1) % 1e6;
  return `${prefix}${Date.now().toString(36)}${seq.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function jdmToFlow(g: JdmGraph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes: FlowNode[] = (g.nodes ?? []).map((n, i) => ({
    id: n.id,
    type: 'jdm',
    position: n.position ?? { x: 80 + (i % 5) * 240, y: 80 + Math.floor(i / 5) * 140 },
    data: { type: n.type, name: n.name ?? n.id, content: n.content },
  }));
  const edges: FlowEdge[] = (g.edges ?? []).map((e) => ({
    id: e.id,
    source: e.sourceId,
    target: e.targetId,
    sourceHandle: e.sourceHandle ?? null,
  }));
  return { nodes, edges };
}

export function flowToJdm(nodes: FlowNode[], edges: FlowEdge[], base?: JdmGraph): JdmGraph {
  const out: JdmGraph = {
    ...(base ?? {}),
    nodes: nodes.map((n): JdmNode => {
      const j: JdmNode = { id: n.id, type: n.data.type, name: n.data.name, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } };
      if (n.data.content !== undefined) j.content = n.data.content;
      return j;
    }),
    edges: edges.map((e) => {
      const j: JdmGraph['edges'][number] = { id: e.id, sourceId: e.source, targetId: e.target, type: 'edge' };
      if (e.sourceHandle) j.sourceHandle = e.sourceHandle;
      return j;
    }),
  };
  return out;
}

/** Left-to-right layered layout (dagre). Node sizes are the card's typical size. */
export function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? 190, height: n.measured?.height ?? 56 });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    if (!p) return n;
    const w = n.measured?.width ?? 190;
    const h = n.measured?.height ?? 56;
    return { ...n, position: { x: p.x - w / 2, y: p.y - h / 2 } };
  });
}

export interface Snapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** Undo/redo over immutable snapshots (cheap: unchanged nodes are shared between snapshots). */
export class History {
  private past: Snapshot[] = [];
  private future: Snapshot[] = [];
  private lastKey = '';
  private lastAt = 0;

  constructor(private readonly limit = 100) {}

  /**
   * Records the state before a change. Repeated edits with the same `coalesceKey` within a second
   * (typing in one field) make one undo step.
   */
  record(s: Snapshot, coalesceKey = ''): void {
    const now = Date.now();
    if (coalesceKey && coalesceKey === this.lastKey && now - this.lastAt < 1000) {
      this.lastAt = now;
      return;
    }
    this.lastKey = coalesceKey;
    this.lastAt = now;
    this.past.push(s);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }
  undo(current: Snapshot): Snapshot | undefined {
    const s = this.past.pop();
    if (s) this.future.push(current);
    this.lastKey = '';
    return s;
  }
  redo(current: Snapshot): Snapshot | undefined {
    const s = this.future.pop();
    if (s) this.past.push(current);
    this.lastKey = '';
    return s;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
