// Output liveness (dead-output elimination at compile time): finds, for a risk node that adds its result under
// one key of a pass-through chain, which fields of that result any later node or the graph result can read.
// Fields nobody reads need not be built. Anything the analysis cannot see through counts as reading everything.
import type { TransformAttributes } from './nodes/transform.js';
import type { ProgramEdge, ProgramNode } from './program.js';

export interface NodeReads {
  /** Input paths the node reads (undefined: the node's content could not be analysed). */
  paths?: readonly string[];
  transform?: TransformAttributes;
  /** The node's content mentions `$root` (a read of the whole input the paths do not list). */
  readsRoot: boolean;
  /** Built-in kinds whose output is built from their own reads alone (ruleSet, scorecard, decision). */
  knownKind: boolean;
  /** Top-level keys a table or expression node writes (undefined: not known). */
  writes?: readonly string[];
}

/** Top-level keys of a decision table's output columns or an expression node's keys; undefined if unclear. */
export function keysWritten(type: string, content: unknown): string[] | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Record<string, unknown>;
  const list = type === 'decisionTableNode' ? c.outputs : type === 'expressionNode' ? c.expressions : undefined;
  if (!Array.isArray(list)) return undefined;
  const keys: string[] = [];
  for (const item of list) {
    const raw = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[type === 'decisionTableNode' ? 'field' : 'key'] : undefined;
    if (typeof raw !== 'string') return undefined;
    const first = raw.trim().split('.')[0]!.replace(/\[\]$/, '').trim();
    if (!first || first.includes('[')) return undefined;
    keys.push(first);
  }
  return keys;
}

/** Fields of `key` read downstream of `from`, or undefined when everything under `key` may be observed. */
export function liveFields(from: number, key: string, nodes: readonly ProgramNode[], edges: readonly ProgramEdge[], reads: readonly NodeReads[]): Set<string> | undefined {
  const live = new Set<string>();
  const seen = new Uint8Array(nodes.length);
  const stack: number[] = [];
  const push = (n: ProgramNode) => {
    for (const e of n.outEdges) {
      const t = edges[e]!.target;
      if (!seen[t]) {
        seen[t] = 1;
        stack.push(t);
      }
    }
  };
  push(nodes[from]!);
  const prefix = `${key}.`;
  while (stack.length > 0) {
    const s = nodes[stack.pop()!]!;
    const r = reads[s.index]!;
    // The graph result and sub-decisions expose their whole input; unknown kinds may keep it.
    if (s.type === 'outputNode' || s.type === 'decisionNode' || !r.paths || r.readsRoot) return undefined;
    if (s.type === 'customNode' && !r.knownKind) return undefined;
    const t = r.transform;
    if (t && (t.inputField || t.loop)) return undefined;
    for (const p of r.paths) {
      if (p === key) return undefined;
      if (p.startsWith(prefix)) live.add(p.slice(prefix.length).split('.')[0]!);
    }
    const forwards = s.type === 'switchNode' || (t !== undefined && t.passThrough);
    if (!forwards) continue;
    // A pass-through that writes under the same key (or merges its whole output) may merge into this result;
    // a forwarding leaf may become the graph result.
    if (t && t.passThrough && (t.outputPath ? t.outputPath[0] === key : !r.writes || r.writes.includes(key))) return undefined;
    if (s.outEdges.length === 0) return undefined;
    push(s);
  }
  return live;
}
