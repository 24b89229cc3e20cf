// Row shapes of every table as Kysely sees them. Times are epoch ms (bigint in PostgreSQL, parsed to number);
// JSON columns are text in both dialects so one migration set and one code path serve both.
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  username: string;
  password_hash: string;
  role: string;
  created_at: number;
  disabled_at: number | null;
}

export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  at: number;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  detail: string | null;
}

export interface StrategiesTable {
  tenant_id: string;
  id: string;
  name: string;
  description: string;
  event_types: string;
  draft: string;
  latest_version: number;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

export interface StrategyVersionsTable {
  tenant_id: string;
  strategy_id: string;
  version: number;
  content: string;
  event_types: string;
  comment: string;
  published_by: string;
  published_at: number;
  rolled_back_from: number | null;
}

export interface StrategyBindingsTable {
  tenant_id: string;
  event_type: string;
  strategy_id: string;
  version: number;
  shadow_strategy_id: string | null;
  shadow_version: number | null;
  updated_at: number;
  updated_by: string;
}

export interface EventsTable {
  seq: Generated<number>;
  tenant_id: string;
  event_id: string;
  event_type: string;
  occurred_at: number;
  recorded_at: number;
  subject: string;
  data: string;
  payload_hash: string;
  decision: string | null;
  score: number | null;
  risk_level: string | null;
  reasons: string | null;
  outputs: string | null;
  strategy_id: string | null;
  strategy_version: number | null;
  rules_hit: string | null;
  trace: string | null;
  features: string | null;
  latency_ms: number | null;
  degraded: string | null;
  shadow: string | null;
  s_user_id: string | null;
  s_phone: string | null;
  s_id_number: string | null;
  s_bank_card: string | null;
  s_device_id: string | null;
  s_ip: string | null;
  s_email: string | null;
}

export interface RuleHitsTable {
  tenant_id: string;
  event_id: string;
  rule_id: string;
  recorded_at: number;
}

export interface LabelsTable {
  id: Generated<number>;
  tenant_id: string;
  event_id: string | null;
  subject: string | null;
  label: string;
  observed_at: number;
  source: string | null;
  created_at: number;
}

export interface LabelSubjectsTable {
  tenant_id: string;
  label_id: number;
  field: string;
  value: string;
}

export interface NameListsTable {
  tenant_id: string;
  id: string;
  name: string;
  dimension: string;
  kind: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface ListEntriesTable {
  tenant_id: string;
  list_id: string;
  value: string;
  category: string | null;
  risk_intensity: number | null;
  collection_count: number;
  source: string | null;
  reason: string | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  strategies: StrategiesTable;
  strategy_versions: StrategyVersionsTable;
  strategy_bindings: StrategyBindingsTable;
  events: EventsTable;
  rule_hits: RuleHitsTable;
  labels: LabelsTable;
  label_subjects: LabelSubjectsTable;
  name_lists: NameListsTable;
  list_entries: ListEntriesTable;
}
