// The explorer's data: neighbourhoods from GET /v1/graph/subjects/:id merged into one view, and the colours
// and filters applied to it. Pure functions, so they are tested without a browser.

export interface GraphNode {
  id: string;
  type: 'subject' | 'attribute';
  /** 'subject' for subjects; the attribute kind (deviceId, phone, ...) otherwise. */
  kind: string;
  /** As the API returns it: personal kinds are already masked. */
  value: string;
  degree: number;
  capped: boolean;
  labels: string[];
  communityId: number | null;
  hop: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  roles: string[];
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export interface Neighbourhood {
  subject: string;
  tenantId: string;
  hops: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface GraphView {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Subject ids (userId) already expanded. */
  expanded: string[];
  truncated: boolean;
}

export const EMPTY_VIEW: GraphView = { nodes: [], edges: [], expanded: [], truncated: false };

const edgeKey = (e: GraphEdge) => `${e.source}>${e.target}`;

/** Adds a neighbourhood to the view: nodes by id (first hop kept, labels refreshed), edges by endpoints. */
export function mergeView(view: GraphView, hood: Neighbourhood): GraphView {
  const nodes = new Map(view.nodes.map((n) => [n.id, n]));
  // Hops stay measured from the first subject: an expansion's hops count from where the expanded subject sits.
  const base = view.nodes.find((n) => n.type === 'subject' && n.value === hood.subject)?.hop ?? 0;
  for (const n of hood.nodes) {
    const old = nodes.get(n.id);
    nodes.set(n.id, old ? { ...n, hop: old.hop } : { ...n, hop: base + n.hop });
  }
  const edges = new Map(view.edges.map((e) => [edgeKey(e), e]));
  for (const e of hood.edges) edges.set(edgeKey(e), e);
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    expanded: view.expanded.includes(hood.subject) ? view.expanded : [...view.expanded, hood.subject],
    truncated: view.truncated || hood.truncated,
  };
}

/** The label that decides a subject's colour, worst first. */
export function subjectLabel(n: GraphNode): 'fraud' | 'default' | 'blacklisted' | 'none' {
  if (n.labels.includes('fraud')) return 'fraud';
  if (n.labels.includes('default')) return 'default';
  if (n.labels.includes('blacklisted')) return 'blacklisted';
  return 'none';
}

export const LABEL_COLORS: Record<string, string> = { fraud: '#cf1322', default: '#fa8c16', blacklisted: '#531dab', none: '#1677ff' };

export const KIND_COLORS: Record<string, string> = {
  deviceId: '#13c2c2',
  phone: '#52c41a',
  idNumber: '#eb2f96',
  bankCard: '#faad14',
  ip: '#8c8c8c',
  email: '#2f54eb',
  address: '#a0d911',
  employer: '#722ed1',
  wifi: '#08979c',
};
export const OTHER_KIND_COLOR = '#bfbfbf';

export function nodeColor(n: GraphNode): string {
  return n.type === 'subject' ? LABEL_COLORS[subjectLabel(n)]! : (KIND_COLORS[n.kind] ?? OTHER_KIND_COLOR);
}

/** Attribute kinds present in the view, in a stable order. */
export function kindsOf(view: GraphView): string[] {
  const known = Object.keys(KIND_COLORS);
  const present = new Set(view.nodes.filter((n) => n.type === 'attribute').map((n) => n.kind));
  return [...known.filter((k) => present.has(k)), ...[...present].filter((k) => !known.includes(k)).sort()];
}

/** Hides attribute nodes of unchecked kinds (and their edges); subjects always stay. */
export function filterView(view: GraphView, hiddenKinds: ReadonlySet<string>): GraphView {
  if (hiddenKinds.size === 0) return view;
  const nodes = view.nodes.filter((n) => n.type === 'subject' || !hiddenKinds.has(n.kind));
  const keep = new Set(nodes.map((n) => n.id));
  return { ...view, nodes, edges: view.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}
