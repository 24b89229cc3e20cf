// Repository contracts of the store: what the service, the CLI and the in-memory indexes read and write.
// Every record carries tenantId and every method takes it first: tenants never see each other's data.
// Times are UTC epoch milliseconds. The two lookups by secret (API key, session token) return the tenant.
import type { Clock } from '../core/clock.js';
import type { Subject } from '../core/event.js';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreConfig {
  /** `postgres://...` selects PostgreSQL; anything else (or absent) the embedded SQLite file. */
  databaseUrl?: string;
  /** Directory of the SQLite file `<dataDir>/xiezhi.db`; ':memory:' for an in-memory database (tests). Default `./data`. */
  dataDir?: string;
  clock?: Clock;
  /** Group commit: a batch is written when it holds this many records (default 512)... */
  logBatchSize?: number;
  /** ...or this long after its first record arrived (default 3 ms). */
  logMaxDelayMs?: number;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite: 'normal' (default; survives a killed process) or 'full' (also survives power loss, slower). */
  sqliteSynchronous?: 'normal' | 'full';
}

// ---------------------------------------------------------------- tenants

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
}

export interface TenantRepo {
  /** Creates a tenant; `id` defaults to a random one. Throws StoreConflictError when the id exists. */
  create(input: { id?: string; name: string }): Promise<Tenant>;
  get(id: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
}

// ---------------------------------------------------------------- API keys

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  /** First characters of the key, shown in the console to tell keys apart (never enough to use it). */
  prefix: string;
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

export interface ApiKeyRepo {
  /**
   * Stores a key (sha256 at rest) and returns the plaintext once. `key` lets a caller choose it
   * (XIEZHI_BOOTSTRAP_API_KEY); it must be at least 24 characters. Default: `xz_` + 32 random bytes base64url.
   */
  create(tenantId: string, input: { name: string; key?: string }): Promise<{ key: string; record: ApiKeyRecord }>;
  /** The active (not revoked) key with this plaintext, from any tenant; undefined when unknown or revoked. */
  verify(key: string): Promise<ApiKeyRecord | undefined>;
  /** Records use; cheap enough per request but callers may throttle it. */
  touch(id: string, at?: number): Promise<void>;
  list(tenantId: string): Promise<ApiKeyRecord[]>;
  /** True when a key of this tenant was revoked by this call. */
  revoke(tenantId: string, id: string): Promise<boolean>;
}

// ---------------------------------------------------------------- console users and sessions

export const USER_ROLES = ['admin', 'analyst', 'reviewer', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  role: UserRole;
  createdAt: number;
  disabledAt?: number;
}

export interface SessionRecord {
  id: string;
  tenantId: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface UserRepo {
  /** Username unique per tenant (StoreConflictError otherwise); password hashed with scrypt. Min 8 characters. */
  create(tenantId: string, input: { username: string; password: string; role: UserRole }): Promise<UserRecord>;
  get(tenantId: string, id: string): Promise<UserRecord | undefined>;
  findByUsername(tenantId: string, username: string): Promise<UserRecord | undefined>;
  list(tenantId: string): Promise<UserRecord[]>;
  /** The user when the password matches and the account is enabled; constant-time comparison. */
  verifyPassword(tenantId: string, username: string, password: string): Promise<UserRecord | undefined>;
  setPassword(tenantId: string, id: string, password: string): Promise<boolean>;
  setRole(tenantId: string, id: string, role: UserRole): Promise<boolean>;
  /** Disables the account and revokes its sessions. */
  disable(tenantId: string, id: string): Promise<boolean>;
  /** Opens a session (default 12 h); the token is returned once and stored as sha256. */
  createSession(tenantId: string, userId: string, ttlMs?: number): Promise<{ token: string; session: SessionRecord }>;
  /** The live session and its enabled user for a token, from any tenant; undefined when unknown, expired or revoked. */
  verifySession(token: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  revokeSession(token: string): Promise<boolean>;
  /** Deletes expired sessions; returns how many. */
  purgeExpiredSessions(): Promise<number>;
}

// ---------------------------------------------------------------- audit

export interface AuditEntry {
  id: number;
  tenantId: string;
  at: number;
  actor: string;
  /** e.g. strategy.create, strategy.update_draft, strategy.publish, strategy.rollback, strategy.shadow, list.create ... */
  action: string;
  entityType: string;
  entityId: string;
  detail?: Record<string, unknown>;
}

export interface AuditRepo {
  record(tenantId: string, entry: Omit<AuditEntry, 'id' | 'tenantId' | 'at'> & { at?: number }): Promise<void>;
  list(tenantId: string, query?: { entityType?: string; entityId?: string; limit?: number; offset?: number }): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- strategies

export interface StrategyRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  /** Event types this strategy is meant for (publish binds them). */
  eventTypes: string[];
  /** The editable JDM graph (`{nodes, edges}`), stored verbatim. */
  draft: unknown;
  /** Highest published version number; 0 when never published. */
  latestVersion: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

export interface StrategyVersion {
  tenantId: string;
  strategyId: string;
  /** 1, 2, 3 ... per strategy; immutable once written. */
  version: number;
  content: unknown;
  eventTypes: string[];
  comment: string;
  publishedBy: string;
  publishedAt: number;
  /** Set when this version was created by rolling back to an older one. */
  rolledBackFrom?: number;
}

/** What runs for an event type: the current published version and an optional shadow version. */
export interface StrategyBinding {
  tenantId: string;
  eventType: string;
  strategyId: string;
  version: number;
  shadow?: { strategyId: string; version: number };
  updatedAt: number;
  updatedBy: string;
}

export interface StrategyRepo {
  create(
    tenantId: string,
    input: { id?: string; name: string; description?: string; eventTypes?: string[]; draft: unknown },
    actor: string,
  ): Promise<StrategyRecord>;
  get(tenantId: string, id: string): Promise<StrategyRecord | undefined>;
  list(tenantId: string): Promise<StrategyRecord[]>;
  updateDraft(
    tenantId: string,
    id: string,
    patch: { name?: string; description?: string; eventTypes?: string[]; draft?: unknown },
    actor: string,
  ): Promise<StrategyRecord>;
  /** Deletes a strategy that no event type is bound to (StoreConflictError otherwise) with its versions. */
  delete(tenantId: string, id: string, actor: string): Promise<boolean>;
  /**
   * Publishes the draft (or `content`) as version latest+1 and makes it current for `eventTypes`
   * (default: the strategy's eventTypes; at least one required).
   */
  publish(
    tenantId: string,
    id: string,
    input: { actor: string; comment?: string; eventTypes?: string[]; content?: unknown },
  ): Promise<StrategyVersion>;
  /** Publishes the content of an older version as a new version, current for that version's event types. */
  rollback(tenantId: string, id: string, toVersion: number, input: { actor: string; comment?: string }): Promise<StrategyVersion>;
  getVersion(tenantId: string, id: string, version: number): Promise<StrategyVersion | undefined>;
  listVersions(tenantId: string, id: string): Promise<StrategyVersion[]>;
  /** Sets (or with null clears) the shadow version evaluated beside the current one for an event type. */
  setShadow(tenantId: string, eventType: string, shadow: { strategyId: string; version: number } | null, actor: string): Promise<StrategyBinding>;
  /** Removes an event type's binding (nothing runs for it any more). */
  unbind(tenantId: string, eventType: string, actor: string): Promise<boolean>;
  binding(tenantId: string, eventType: string): Promise<StrategyBinding | undefined>;
  bindings(tenantId: string): Promise<StrategyBinding[]>;
  /** Audit entries of this strategy (entityType 'strategy'), newest first. */
  history(tenantId: string, id: string, query?: { limit?: number; offset?: number }): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- events and decisions

export type Decision = 'approve' | 'review' | 'reject';

/** Subject fields kept in their own indexed columns for search. */
export const INDEXED_SUBJECT_FIELDS = ['userId', 'phone', 'idNumber', 'bankCard', 'deviceId', 'ip', 'email'] as const;
export type IndexedSubjectField = (typeof INDEXED_SUBJECT_FIELDS)[number];

/** One event and (unless imported as history) the decision made on it. */
export interface DecisionRecord {
  tenantId: string;
  eventId: string;
  eventType: string;
  occurredAt: number;
  /** Server clock when the decision was made / the event was stored. */
  recordedAt: number;
  subject: Subject;
  data: Record<string, unknown>;
  /** sha256 of the canonical event (see payloadHash); the same id with another hash is an idempotency conflict. */
  payloadHash: string;
  /** Absent for history imported without a decision. */
  decision?: Decision;
  score?: number;
  riskLevel?: string;
  reasons?: unknown[];
  outputs?: Record<string, unknown>;
  strategyId?: string;
  strategyVersion?: number;
  /** Ids of the rules that hit, for the dashboard's top-rules chart. */
  rulesHit?: string[];
  /** Node trace; personal fields are masked on write. */
  trace?: unknown;
  /** Feature values the strategy used; personal fields masked on write. */
  features?: Record<string, unknown>;
  latencyMs?: number;
  /** Reason the decision was made without some input (fail-open), when it was. */
  degraded?: string;
  /** Result of the shadow version, logged but not answered. */
  shadow?: unknown;
}

/** What append takes: payloadHash and recordedAt are filled in when absent. */
export type DecisionInput = Omit<DecisionRecord, 'payloadHash' | 'recordedAt'> & { payloadHash?: string; recordedAt?: number };

export interface DecisionQuery {
  /** Exact match on an indexed subject field, e.g. { field: 'phone', value: '13812345678' }. */
  subject?: { field: IndexedSubjectField; value: string };
  decision?: Decision;
  eventType?: string;
  strategyId?: string;
  strategyVersion?: number;
  /** occurredAt >= from */
  from?: number;
  /** occurredAt < to */
  to?: number;
  /** Page size, default 50, max 1000. */
  limit?: number;
  /** Either offset pagination... */
  offset?: number;
  /** ...or the nextCursor of the previous page (newest first). */
  cursor?: string;
}

export interface DecisionPage {
  items: DecisionRecord[];
  /** Present when more items follow. */
  nextCursor?: string;
}

export interface DecisionStatsQuery {
  from: number;
  to: number;
  bucket: 'minute' | 'hour';
  /** How many top rules to return (default 10). */
  topRules?: number;
}

export interface DecisionStats {
  total: number;
  byDecision: Record<string, number>;
  byEventType: Record<string, number>;
  /** Buckets by recordedAt, ascending; only buckets that hold events. */
  buckets: { start: number; eventType: string; decision: string; count: number }[];
  topRules: { rule: string; count: number }[];
  /** Latency percentiles over decided events in range (ms); absent when none. */
  latency?: { p50: number; p90: number; p99: number; max: number };
  degraded: number;
}

export interface ScanOptions {
  tenantId?: string;
  /** occurredAt >= fromTime */
  fromTime?: number;
  /** Rows read per query (default 5000). */
  pageSize?: number;
  /**
   * Only the event (tenantId, eventId, eventType, occurredAt, recordedAt, subject, data, payloadHash, decision):
   * skips the decision details, ~2x faster, enough to rebuild feature state.
   */
  eventsOnly?: boolean;
}

export interface DecisionLogMetrics {
  /** Committed batches (transactions) so far. */
  batches: number;
  /** Records acknowledged (committed) so far, duplicates included. */
  committed: number;
  /** Appends that failed. */
  failed: number;
  /** Records buffered or being written now. */
  pending: number;
  /** Size and commit time of the last batch. */
  lastBatchSize: number;
  lastCommitMs: number;
}

export interface DecisionLog {
  /**
   * Buffers the record and resolves once the batch holding it is committed (group commit).
   * A record whose (tenant, eventId) is already stored is ignored (idempotent); check get() first for conflicts.
   */
  append(record: DecisionInput): Promise<void>;
  /** Counters for /metrics and tests. */
  metrics(): DecisionLogMetrics;
  /** Writes whatever is buffered and waits for it. */
  flush(): Promise<void>;
  /** Flushes and refuses further appends. */
  close(): Promise<void>;
  /** The record for an event id, including one still buffered. */
  get(tenantId: string, eventId: string): Promise<DecisionRecord | undefined>;
  search(tenantId: string, query: DecisionQuery): Promise<DecisionPage>;
  count(tenantId: string, query?: Omit<DecisionQuery, 'limit' | 'offset' | 'cursor'>): Promise<number>;
  stats(tenantId: string, query: DecisionStatsQuery): Promise<DecisionStats>;
  /**
   * All stored events in occurredAt order (ties by storage order), from `fromTime` inclusive, for rebuilding
   * in-memory state on start. Without tenantId: every tenant. Trace and features are never included.
   */
  scan(options?: ScanOptions): AsyncIterable<DecisionRecord>;
  /** The same records as scan(), a page (pageSize records) at a time. */
  scanPages(options?: ScanOptions): AsyncIterable<DecisionRecord[]>;
}

// ---------------------------------------------------------------- labels

export interface LabelRecord {
  id: number;
  tenantId: string;
  eventId?: string;
  subject?: Subject;
  /** fraud | chargeback | default | good | any custom lowercase label */
  label: string;
  observedAt: number;
  source?: string;
  createdAt: number;
}

export interface LabelRepo {
  /** Needs eventId or a subject with at least one field. */
  add(tenantId: string, input: { eventId?: string; subject?: Subject; label: string; observedAt: number; source?: string }): Promise<LabelRecord>;
  list(
    tenantId: string,
    query?: { eventId?: string; subject?: { field: string; value: string }; label?: string; from?: number; to?: number; limit?: number; offset?: number },
  ): Promise<LabelRecord[]>;
  delete(tenantId: string, id: number): Promise<boolean>;
}

// ---------------------------------------------------------------- name lists

export const LIST_DIMENSIONS = ['phone', 'idNumber', 'deviceId', 'ip', 'bankCard', 'userId', 'email', 'address'] as const;
export type ListDimension = (typeof LIST_DIMENSIONS)[number];
export const LIST_KINDS = ['black', 'white', 'grey'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const LIST_CATEGORIES = ['银行类', '保险类', '小贷类', '消金类', '汽车金融类', '特殊金融类', '混合金融类', '其他'] as const;
export type ListCategory = (typeof LIST_CATEGORIES)[number];

export interface NameList {
  id: string;
  tenantId: string;
  name: string;
  dimension: ListDimension;
  kind: ListKind;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface ListEntry {
  tenantId: string;
  listId: string;
  /** Normalised for the list's dimension (see src/lists/normalize.ts). */
  value: string;
  category?: ListCategory;
  /** 1 (weakest) .. 5 (strongest). */
  riskIntensity?: number;
  /** How many times sources reported this value (收录次数). */
  collectionCount: number;
  source?: string;
  reason?: string;
  expiresAt?: number;
  createdAt: number;
  updatedAt: number;
}

export interface ListEntryInput {
  value: string;
  category?: ListCategory;
  /** 1..5, or low (1) / medium (3) / high (5). */
  riskIntensity?: number | 'low' | 'medium' | 'high';
  collectionCount?: number;
  source?: string;
  reason?: string;
  expiresAt?: number;
}

export interface ListChange {
  tenantId: string;
  listId: string;
  op: 'upsert' | 'delete' | 'dropList' | 'updateList';
  /** Entries as stored after an upsert; deleted values for a delete. */
  entries?: ListEntry[];
  values?: string[];
  list?: NameList;
}

export interface ListRepo {
  createList(
    tenantId: string,
    input: { id?: string; name: string; dimension: ListDimension; kind: ListKind; description?: string },
    actor: string,
  ): Promise<NameList>;
  getList(tenantId: string, id: string): Promise<NameList | undefined>;
  lists(tenantId: string, query?: { dimension?: ListDimension; kind?: ListKind }): Promise<NameList[]>;
  updateList(tenantId: string, id: string, patch: { name?: string; kind?: ListKind; description?: string }, actor: string): Promise<NameList>;
  /** Deletes the list and all its entries. */
  deleteList(tenantId: string, id: string, actor: string): Promise<boolean>;
  /**
   * Inserts or replaces entries by normalised value in one transaction. Throws StoreValidationError
   * (naming the entry index and field) when any entry is invalid; nothing is written then.
   */
  upsertEntries(tenantId: string, listId: string, entries: readonly ListEntryInput[], actor: string): Promise<{ inserted: number; updated: number }>;
  getEntry(tenantId: string, listId: string, value: string): Promise<ListEntry | undefined>;
  entries(tenantId: string, listId: string, query?: { includeExpired?: boolean; limit?: number; offset?: number; search?: string }): Promise<ListEntry[]>;
  countEntries(tenantId: string, listId: string, includeExpired?: boolean): Promise<number>;
  deleteEntries(tenantId: string, listId: string, values: readonly string[], actor: string): Promise<number>;
  /** Deletes entries expired before `now` (default: clock), all tenants when tenantId is absent. */
  purgeExpired(tenantId?: string, now?: number): Promise<number>;
  /** Every entry of the tenant (all lists, including expired), for loading an index. */
  scanEntries(tenantId: string): AsyncIterable<{ list: NameList; entry: ListEntry }>;
  /** Called after each committed change; returns an unsubscribe function. */
  onChange(listener: (change: ListChange) => void): () => void;
}

// ---------------------------------------------------------------- the store

export interface Store {
  readonly dialect: Dialect;
  readonly clock: Clock;
  /** The underlying Kysely instance: for maintenance and tests; application code goes through the repositories. */
  readonly db: Kysely<Database>;
  /** Applies pending migrations; safe to call on every start and concurrently with another process. */
  migrate(): Promise<void>;
  /** True when the database answers (for /readyz). */
  ping(): Promise<boolean>;
  readonly tenants: TenantRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly users: UserRepo;
  readonly audit: AuditRepo;
  readonly strategies: StrategyRepo;
  readonly log: DecisionLog;
  readonly labels: LabelRepo;
  readonly lists: ListRepo;
  /** Drains the decision log and closes the database. */
  close(): Promise<void>;
}
