// Shapes of the service's answers (docs/api.md).

export interface JdmNode {
  id: string;
  type: string;
  name?: string;
  content?: unknown;
  position?: { x: number; y: number };
  [k: string]: unknown;
}
export interface JdmEdge {
  id: string;
  sourceId: string;
  targetId: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  type?: string;
}
export interface JdmGraph {
  nodes: JdmNode[];
  edges: JdmEdge[];
  tests?: { input: unknown; output: unknown }[];
  [k: string]: unknown;
}

export interface Strategy {
  id: string;
  name: string;
  description?: string;
  eventTypes: string[];
  draft: JdmGraph;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
  updatedBy?: string;
}

export interface Version {
  strategyId: string;
  version: number;
  eventTypes: string[];
  comment?: string;
  publishedBy?: string;
  publishedAt: string;
  rolledBackFrom?: number;
  content?: JdmGraph;
}

export interface Binding {
  eventType: string;
  strategyId: string;
  version: number;
  shadow?: { strategyId: string; version: number };
  updatedAt?: string;
  updatedBy?: string;
}

export interface Issue {
  nodeId: string;
  field?: string;
  message: string;
}

export interface NodeTrace {
  id: string;
  name: string;
  kind?: string;
  input: unknown;
  output: unknown;
  matched?: string[];
  micros?: number;
  order?: number;
}

export interface Reason {
  code: string;
  message?: string;
  score?: number;
  [k: string]: unknown;
}

export interface DecisionRecord {
  eventId: string;
  eventType: string;
  occurredAt: string;
  recordedAt: string;
  subject: Record<string, string>;
  data: Record<string, unknown>;
  decision: string;
  score: number;
  riskLevel: string;
  reasons: Reason[];
  outputs: Record<string, unknown>;
  strategy: { id: string; version: number } | null;
  rulesHit?: string[];
  latencyMs: number;
  degraded?: string;
  shadow?: unknown;
  trace?: Record<string, NodeTrace>;
  features?: Record<string, unknown>;
  labels?: { label: string; observedAt: string }[];
}

export interface Diff {
  from: number | string;
  to: number | string;
  nodes: {
    added: { id: string; name?: string; type?: string }[] | string[];
    removed: { id: string; name?: string; type?: string }[] | string[];
    changed: { id: string; name?: string; changes: { path: string; from: unknown; to: unknown }[] }[];
  };
  edges: { added: unknown[]; removed: unknown[] };
  eventTypes: { from: string[]; to: string[] };
}
