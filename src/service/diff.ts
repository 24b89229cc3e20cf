// Structural diff of two JDM graphs: nodes and edges matched by id, changed nodes listed leaf by leaf.
interface JdmLike {
  nodes?: { id: string; name?: string; type?: string; [k: string]: unknown }[];
  edges?: { id: string; sourceId?: string; targetId?: string; sourceHandle?: string | null }[];
}

export interface LeafChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface GraphDiff {
  nodes: { added: unknown[]; removed: unknown[]; changed: { id: string; name?: string; type?: string; changes: LeafChange[] }[] };
  edges: { added: unknown[]; removed: unknown[]; changed: { id: string; changes: LeafChange[] }[] };
  /** Set when the diff was cut short. */
  truncated?: boolean;
}

const MAX_CHANGES = 500;

function leafDiff(a: unknown, b: unknown, path: string, out: LeafChange[]): void {
  if (out.length >= MAX_CHANGES) return;
  if (a === b) return;
  const ao = a && typeof a === 'object';
  const bo = b && typeof b === 'object';
  if (ao && bo && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      const n = Math.max(a.length, bb.length);
      for (let i = 0; i < n; i++) {
        if (i >= a.length) out.push({ path: `${path}[${i}]`, to: bb[i] });
        else if (i >= bb.length) out.push({ path: `${path}[${i}]`, from: a[i] });
        else leafDiff(a[i], bb[i], `${path}[${i}]`, out);
      }
      return;
    }
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in y)) out.push({ path: p, from: x[k] });
      else if (!(k in x)) out.push({ path: p, to: y[k] });
      else leafDiff(x[k], y[k], p, out);
    }
    return;
  }
  out.push({ path, from: a, to: b });
}

const IGNORED = new Set(['position']);

export function diffGraphs(from: unknown, to: unknown): GraphDiff {
  const a = (from ?? {}) as JdmLike;
  const b = (to ?? {}) as JdmLike;
  const an = new Map((a.nodes ?? []).map((n) => [n.id, n]));
  const bn = new Map((b.nodes ?? []).map((n) => [n.id, n]));
  const d: GraphDiff = { nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [], changed: [] } };
  let total = 0;
  for (const [id, n] of bn) if (!an.has(id)) d.nodes.added.push({ id, name: n.name, type: n.type });
  for (const [id, n] of an) if (!bn.has(id)) d.nodes.removed.push({ id, name: n.name, type: n.type });
  for (const [id, n] of an) {
    const m = bn.get(id);
    if (!m) continue;
    const changes: LeafChange[] = [];
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !IGNORED.has(k)));
    leafDiff(strip(n), strip(m), '', changes);
    if (changes.length > 0) {
      d.nodes.changed.push({ id, name: m.name ?? n.name, type: m.type ?? n.type, changes });
      total += changes.length;
    }
  }
  const ae = new Map((a.edges ?? []).map((e) => [e.id, e]));
  const be = new Map((b.edges ?? []).map((e) => [e.id, e]));
  for (const [id, e] of be) if (!ae.has(id)) d.edges.added.push(e);
  for (const [id, e] of ae) if (!be.has(id)) d.edges.removed.push(e);
  for (const [id, e] of ae) {
    const f = be.get(id);
    if (!f) continue;
    const changes: LeafChange[] = [];
    leafDiff(e, f, '', changes);
    if (changes.length > 0) d.edges.changed.push({ id, changes });
  }
  if (total >= MAX_CHANGES) d.truncated = true;
  return d;
}
