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

// ---------------------------------------------------------------- models (docs/models.md, "Console")

export interface ModelMetrics {
  type?: string;
  auc?: number;
  ks?: number;
  gini?: number;
  psi?: number;
  logLoss?: number;
  trainAuc?: number;
  trainKs?: number;
  nTrain?: number;
  nTest?: number;
  badRate?: number;
  features?: number;
  trainSeconds?: number;
  [k: string]: unknown;
}

export interface ModelSummary {
  id: string;
  version: number;
  type: string;
  author?: string;
  createdAt: string;
  metrics?: ModelMetrics;
}

export interface ModelBin {
  label: string;
  kind: 'range' | 'categories' | 'missing' | 'special';
  count: number;
  good: number;
  bad: number;
  badRate: number;
  woe: number;
  iv: number;
}

export interface VariableBinning {
  feature: string;
  type: 'numeric' | 'categorical';
  bins: ModelBin[];
  iv: number;
  missingRate: number;
}

export interface DecileRow {
  decile: number;
  count: number;
  bad: number;
  badRate: number;
  minScore: number;
  maxScore: number;
  cumBadShare: number;
  lift: number;
  cumLift: number;
}

export interface TrainingReport {
  target: string;
  rows: number;
  nTrain: number;
  nTest: number;
  badRate: number;
  testFraction: number;
  seed: number;
  scoreKind: 'points' | 'probability';
  roc: { fpr: number[]; tpr: number[] };
  rocTrain: { fpr: number[]; tpr: number[] };
  ks: { population: number[]; bad: number[]; good: number[]; ks: number; at: number };
  distribution: { edges: number[]; train: number[]; test: number[]; testGood: number[]; testBad: number[] };
  lift: DecileRow[];
  iv?: { feature: string; iv: number; selected: boolean; dropped?: string }[];
  scorecard?: { basePoints: number; scaling: { points0: number; odds0: number; pdo: number }; rows: { feature: string; bin: string; count: number; badRate: number; woe: number; iv: number; points: number }[]; fit: { iterations: number; converged: boolean } };
  importance?: { feature: string; gain: number }[];
}

/** GET /v1/models/:id/versions/:v?artifact=false */
export interface ModelVersionDetail {
  id: string;
  version: number;
  type: string;
  features: string[];
  binning?: VariableBinning[];
  fingerprint?: string;
  metrics?: ModelMetrics;
  author?: string;
  description?: string;
  createdAt: string;
  report?: TrainingReport;
}

export interface TrainingJob {
  id: string;
  modelId: string;
  type: 'scorecard' | 'gbdt';
  target: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  stage: string;
  percent: number;
  messages: { at: string; en: string; zh: string }[];
  author: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  dataset?: { rows: number; features: number; badRate: number; fingerprint: string };
  result?: { id: string; version: number; type: string; metrics: ModelMetrics };
  error?: { code: string; message: string; zh: string };
}

export interface PromoteResult {
  strategy: Strategy;
  model: { id: string; version: number; type: string };
  changes: { modelNodes: { id: string; name?: string; from: number | null }[]; scorecardNode?: { id: string; name?: string; characteristics: number } };
  issues: Issue[];
}
