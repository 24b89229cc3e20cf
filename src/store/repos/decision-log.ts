// The event + decision log with group commit: appends are buffered and written in one transaction per batch;
// each append resolves only after its batch committed. One batch is in flight at a time, so while it commits
// the next one fills up (the classic group commit), and an idle log waits at most maxDelayMs for company
// (0: a batch is what arrived in one event-loop turn). On an SQLite file the batches are committed by a
// writer thread (sqlite-writer.ts) and the WAL checkpoints run on another: no commit blocks request handling,
// and no checkpoint blocks a commit.
import { sql, type Kysely, type Selectable } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { isPersonalField, maskPersonalData } from '../../core/mask.js';
import type { Subject } from '../../core/event.js';
import type { Database, EventsTable } from '../schema.js';
import type {
  Decision,
  DecisionInput,
  DecisionLog,
  DecisionLogMetrics,
  DecisionPage,
  DecisionQuery,
  DecisionRecord,
  DecisionStats,
  Dialect,
  IndexedSubjectField,
  ScanOptions,
} from '../types.js';
import { INDEXED_SUBJECT_FIELDS } from '../types.js';
import { StoreValidationError } from '../errors.js';
import { fromJson, opt, pageSize, payloadHash, toJson } from '../util.js';
import { SqliteWriter } from '../sqlite-writer.js';

type EventRow = Omit<Selectable<EventsTable>, 'seq'>;

const SUBJECT_COLUMN: Record<IndexedSubjectField, keyof EventsTable & `s_${string}`> = {
  userId: 's_user_id',
  phone: 's_phone',
  idNumber: 's_id_number',
  bankCard: 's_bank_card',
  deviceId: 's_device_id',
  ip: 's_ip',
  email: 's_email',
};

const EVENT_COLUMNS = ['seq', 'tenant_id', 'event_id', 'event_type', 'occurred_at', 'recorded_at', 'subject', 'data', 'payload_hash', 'decision'] as const;
const SCAN_COLUMNS = [
  ...EVENT_COLUMNS,
  'score',
  'risk_level',
  'reasons',
  'outputs',
  'strategy_id',
  'strategy_version',
  'rules_hit',
  'latency_ms',
  'degraded',
] as const;

const DECISIONS: readonly string[] = ['approve', 'review', 'reject'];
const isString = (v: unknown): v is string => typeof v === 'string';

function validate(r: DecisionInput): void {
  if (typeof r.tenantId !== 'string' || !r.tenantId) throw new StoreValidationError('tenantId', 'required');
  if (typeof r.eventId !== 'string' || !r.eventId || r.eventId.length > 200) throw new StoreValidationError('eventId', 'required, at most 200 characters');
  if (typeof r.eventType !== 'string' || !r.eventType) throw new StoreValidationError('eventType', 'required');
  if (!Number.isFinite(r.occurredAt)) throw new StoreValidationError('occurredAt', 'epoch milliseconds');
  if (r.decision !== undefined && !DECISIONS.includes(r.decision)) throw new StoreValidationError('decision', 'approve, review or reject');
  // PostgreSQL text cannot hold NUL; refuse it in both dialects so they behave alike.
  if (r.eventId.includes('\u0000') || r.eventType.includes('\u0000')) throw new StoreValidationError('eventId', 'must not contain NUL characters');
  for (const f of INDEXED_SUBJECT_FIELDS) {
    const v = r.subject?.[f];
    if (typeof v === 'string' && v.includes('\u0000')) throw new StoreValidationError(`subject.${f}`, 'must not contain NUL characters');
  }
}

/** The `events` columns a record is written to, in the order of toRow's values (rows travel positionally). */
const ROW_COLUMNS = [
  'tenant_id',
  'event_id',
  'event_type',
  'occurred_at',
  'recorded_at',
  'subject',
  'data',
  'payload_hash',
  'decision',
  'score',
  'risk_level',
  'reasons',
  'outputs',
  'strategy_id',
  'strategy_version',
  'rules_hit',
  'trace',
  'features',
  'latency_ms',
  'degraded',
  'shadow',
  's_user_id',
  's_phone',
  's_id_number',
  's_bank_card',
  's_device_id',
  's_ip',
  's_email',
] as const satisfies readonly (keyof EventRow)[];

const subjectValue = (subject: Subject, f: IndexedSubjectField): string | null => {
  const v = subject[f];
  return typeof v === 'string' && v !== '' ? v : null;
};

/**
 * True when maskPersonalData would change the value (a string under a personal field name, at any depth).
 * Feature values rarely hold any: then they are stored as they are, without the masked deep copy.
 */
function hasPersonalData(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasPersonalData(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'string' ? isPersonalField(k) : hasPersonalData(x)) return true;
  }
  return false;
}

const masked = <T>(v: T): T => (hasPersonalData(v) ? maskPersonalData(v) : v);

function toRow(r: DecisionInput, now: number): { record: DecisionRecord; values: unknown[] } {
  const subject = r.subject ?? {};
  const data = r.data ?? {};
  const record: DecisionRecord = {
    ...r,
    subject,
    data,
    recordedAt: r.recordedAt ?? now,
    payloadHash: r.payloadHash ?? payloadHash({ type: r.eventType, occurredAt: r.occurredAt, subject, data }),
    trace: r.trace === undefined ? undefined : maskPersonalData(r.trace),
    features: r.features === undefined ? undefined : masked(r.features),
  };
  const values: unknown[] = [
    record.tenantId,
    record.eventId,
    record.eventType,
    record.occurredAt,
    record.recordedAt,
    JSON.stringify(subject),
    JSON.stringify(data),
    record.payloadHash,
    record.decision ?? null,
    Number.isFinite(record.score) ? (record.score as number) : null,
    record.riskLevel ?? null,
    toJson(record.reasons),
    toJson(record.outputs),
    record.strategyId ?? null,
    record.strategyVersion ?? null,
    toJson(record.rulesHit),
    toJson(record.trace),
    toJson(record.features),
    Number.isFinite(record.latencyMs) ? (record.latencyMs as number) : null,
    record.degraded ?? null,
    toJson(record.shadow),
    subjectValue(subject, 'userId'),
    subjectValue(subject, 'phone'),
    subjectValue(subject, 'idNumber'),
    subjectValue(subject, 'bankCard'),
    subjectValue(subject, 'deviceId'),
    subjectValue(subject, 'ip'),
    subjectValue(subject, 'email'),
  ];
  return { record, values };
}

/** The row object of positional values (the PostgreSQL path builds its insert from it). */
function rowObject(values: readonly unknown[]): EventRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < ROW_COLUMNS.length; i++) row[ROW_COLUMNS[i]] = values[i];
  return row as unknown as EventRow;
}

function fromRow(r: Partial<Selectable<EventsTable>>): DecisionRecord {
  const rec: DecisionRecord = {
    tenantId: r.tenant_id!,
    eventId: r.event_id!,
    eventType: r.event_type!,
    occurredAt: r.occurred_at!,
    recordedAt: r.recorded_at!,
    subject: JSON.parse(r.subject!) as Subject,
    data: JSON.parse(r.data!) as Record<string, unknown>,
    payloadHash: r.payload_hash!,
  };
  if (r.decision != null) rec.decision = r.decision as Decision;
  if (r.score != null) rec.score = r.score;
  if (r.risk_level != null) rec.riskLevel = r.risk_level;
  if (r.reasons != null) rec.reasons = JSON.parse(r.reasons);
  if (r.outputs != null) rec.outputs = JSON.parse(r.outputs);
  if (r.strategy_id != null) rec.strategyId = r.strategy_id;
  if (r.strategy_version != null) rec.strategyVersion = r.strategy_version;
  if (r.rules_hit != null) rec.rulesHit = JSON.parse(r.rules_hit);
  if (r.trace != null) rec.trace = fromJson(r.trace);
  if (r.features != null) rec.features = fromJson(r.features);
  if (r.latency_ms != null) rec.latencyMs = r.latency_ms;
  if (r.degraded != null) rec.degraded = opt(r.degraded);
  if (r.shadow != null) rec.shadow = fromJson(r.shadow);
  return rec;
}

/** A writer thread for a file-backed handle; none for ':memory:' (another connection would see another database). */
function writerFor(h: BetterSqlite3.Database | undefined, opts: GroupCommitOptions): SqliteWriter | undefined {
  if (!h || h.memory || !h.name || h.name === ':memory:') return undefined;
  const synchronous = Number(h.pragma('synchronous', { simple: true })) >= 2 ? 'full' : 'normal';
  const w = new SqliteWriter({
    file: h.name,
    synchronous,
    busyTimeoutMs: Number(h.pragma('busy_timeout', { simple: true })) || 5000,
    checkpointEveryMs: opts.checkpointEveryMs ?? 500,
    restartFrames: opts.walRestartFrames ?? 16384,
    columns: ROW_COLUMNS,
    keyIndexes: [ROW_COLUMNS.indexOf('tenant_id'), ROW_COLUMNS.indexOf('event_id'), ROW_COLUMNS.indexOf('recorded_at')] as const,
  });
  w.start();
  return w;
}

interface Pending {
  key: string;
  record: DecisionRecord;
  values: unknown[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  batchSize: number;
  maxDelayMs: number;
  /** SQLite file: how often the checkpointer thread runs (default 500 ms). */
  checkpointEveryMs?: number;
  /** SQLite file: WAL size in pages past which it is restarted from the beginning (default 16384, 64 MiB). */
  walRestartFrames?: number;
}

// Bound parameters per statement stay under SQLite's 32766 and PostgreSQL's 65535.
const ROWS_PER_INSERT = 500;

const encodeCursor = (occurredAt: number, seq: number): string => Buffer.from(`${occurredAt}:${seq}`).toString('base64url');
function decodeCursor(c: string): [number, number] {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(c, 'base64url').toString());
  if (!m) throw new StoreValidationError('cursor', 'not a cursor returned by a previous page');
  return [Number(m[1]), Number(m[2])];
}

export class GroupCommitLog implements DecisionLog {
  private buffer: Pending[] = [];
  /** Buffered and in-flight records by tenant+event id, so get() sees an event before its batch commits. */
  private unwritten = new Map<string, DecisionRecord>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly counters = { batches: 0, committed: 0, failed: 0, lastBatchSize: 0, lastCommitMs: 0 };
  private inFlight = 0;

  private sqliteInsert: ((batch: Pending[]) => void) | undefined;
  private readonly writer: SqliteWriter | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly opts: GroupCommitOptions,
    /**
     * The raw SQLite handle: batches then go through cached prepared statements instead of built queries,
     * on a writer thread when the handle is a file.
     */
    private readonly sqlite?: BetterSqlite3.Database,
  ) {
    this.writer = writerFor(sqlite, opts);
  }

  append(input: DecisionInput): Promise<void> {
    if (this.closed) return Promise.reject(new Error('decision log is closed'));
    try {
      validate(input);
    } catch (err) {
      return Promise.reject(err);
    }
    const { record, values } = toRow(input, this.clock());
    const key = record.tenantId + '\u0000' + record.eventId;
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ key, record, values, resolve, reject });
      if (!this.unwritten.has(key)) this.unwritten.set(key, record);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing) return; // the running batch starts the next when it ends
    if (this.buffer.length >= this.opts.batchSize) {
      this.startBatch();
    } else if (this.opts.maxDelayMs === 0) {
      // No added wait: the batch is whatever arrives before the event loop comes round again.
      if (!this.immediate) {
        this.immediate = setImmediate(() => {
          this.immediate = undefined;
          this.startBatch();
        });
      }
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.startBatch();
      }, this.opts.maxDelayMs);
    }
  }

  private startBatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.writing || this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.opts.batchSize);
    this.writing = this.writeBatch(batch).finally(() => {
      for (const p of batch) this.unwritten.delete(p.key);
      this.writing = undefined;
      // Whatever arrived meanwhile has already waited a whole commit: write it now.
      if (this.buffer.length > 0) this.startBatch();
    });
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    this.inFlight = batch.length;
    if (this.writer) return this.writeThroughWorker(this.writer, batch);
    try {
      await this.committedInsert(batch);
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) {
        this.counters.failed++;
        batch[0]!.reject(err);
        return;
      }
      // Isolate the bad record(s): one failing row must not fail everyone else's append.
      for (const p of batch) {
        try {
          await this.committedInsert([p]);
          p.resolve();
        } catch (e) {
          this.counters.failed++;
          p.reject(e);
        }
      }
    } finally {
      this.inFlight = 0;
    }
  }

  /** The worker retries a failed batch row by row itself and reports which rows failed. */
  private async writeThroughWorker(writer: SqliteWriter, batch: Pending[]): Promise<void> {
    const rows = new Array<unknown[]>(batch.length);
    const rules = new Array<string[] | null>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      rows[i] = p.values;
      // Rule ids as strings for the rule_hits column; the decider's are already (no copy then).
      const hit: unknown[] | undefined = p.record.rulesHit;
      rules[i] = hit && hit.length > 0 ? (hit.every(isString) ? hit : hit.map(String)) : null;
    }
    const c = this.counters;
    try {
      const results = await writer.write(rows, rules);
      c.batches++;
      c.lastBatchSize = batch.length;
      c.lastCommitMs = writer.lastCommitMs;
      for (let i = 0; i < batch.length; i++) {
        const err = results[i];
        if (err) {
          c.failed++;
          batch[i]!.reject(err);
        } else {
          c.committed++;
          batch[i]!.resolve();
        }
      }
    } catch (err) {
      c.failed += batch.length;
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight = 0;
    }
  }

  private async committedInsert(batch: Pending[]): Promise<void> {
    const t0 = performance.now();
    await this.insert(batch);
    const c = this.counters;
    c.batches++;
    c.committed += batch.length;
    c.lastBatchSize = batch.length;
    c.lastCommitMs = performance.now() - t0;
  }

  metrics(): DecisionLogMetrics {
    return { ...this.counters, pending: this.buffer.length + this.inFlight };
  }

  private async insert(batch: Pending[]): Promise<void> {
    if (this.sqlite) {
      // Holding Kysely's connection keeps every other query off the handle while the synchronous
      // transaction runs (better-sqlite3 has one connection; Kysely serialises access to it).
      await this.db.connection().execute(async () => {
        this.sqliteInsert ??= this.prepareSqlite(this.sqlite!);
        this.sqliteInsert(batch);
      });
      return;
    }
    await this.db.transaction().execute(async (tx) => {
      const inserted = new Set<string>();
      for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
        const rows = batch.slice(i, i + ROWS_PER_INSERT).map((p) => rowObject(p.values));
        const res = await tx
          .insertInto('events')
          .values(rows)
          .onConflict((oc) => oc.columns(['tenant_id', 'event_id']).doNothing())
          .returning(['tenant_id', 'event_id'])
          .execute();
        for (const r of res) inserted.add(r.tenant_id + '\u0000' + r.event_id);
      }
      // Rule hits only for rows actually inserted (a duplicate append must not count twice).
      const hits: { tenant_id: string; event_id: string; rule_id: string; recorded_at: number }[] = [];
      for (const p of batch) {
        const rules = p.record.rulesHit;
        if (!rules || rules.length === 0 || !inserted.delete(p.key)) continue;
        for (const rule of rules) hits.push({ tenant_id: p.record.tenantId, event_id: p.record.eventId, rule_id: String(rule), recorded_at: p.record.recordedAt });
      }
      for (let i = 0; i < hits.length; i += 2000) {
        await tx.insertInto('rule_hits').values(hits.slice(i, i + 2000)).execute();
      }
    });
  }

  private prepareSqlite(h: BetterSqlite3.Database): (batch: Pending[]) => void {
    const insertEvent = h.prepare(
      `insert into events (${ROW_COLUMNS.join(', ')}) values (${ROW_COLUMNS.map(() => '?').join(', ')}) on conflict (tenant_id, event_id) do nothing`,
    );
    const insertHit = h.prepare('insert into rule_hits (tenant_id, event_id, rule_id, recorded_at) values (?, ?, ?, ?)');
    return h.transaction((batch: Pending[]) => {
      for (const p of batch) {
        // changes = 0: the event id was already stored; its rule hits were counted then.
        if (insertEvent.run(p.values).changes === 0) continue;
        for (const rule of p.record.rulesHit ?? []) insertHit.run(p.record.tenantId, p.record.eventId, String(rule), p.record.recordedAt);
      }
    });
  }

  async flush(): Promise<void> {
    while (this.writing || this.buffer.length > 0) {
      if (!this.writing) this.startBatch();
      await this.writing?.catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.writer?.close();
  }

  async get(tenantId: string, eventId: string): Promise<DecisionRecord | undefined> {
    // Buffer first (a record found absent here and absent below was never appended before this call),
    // then the table, whose row wins: a stored record is never replaced by a later duplicate.
    const pending = this.unwritten.get(tenantId + '\u0000' + eventId);
    const r = await this.db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('event_id', '=', eventId).executeTakeFirst();
    return r ? fromRow(r) : pending;
  }

  private filtered(tenantId: string, q: Omit<DecisionQuery, 'limit' | 'offset' | 'cursor'>) {
    let s = this.db.selectFrom('events').where('tenant_id', '=', tenantId);
    if (q.subject) {
      const col = SUBJECT_COLUMN[q.subject.field];
      if (!col) throw new StoreValidationError('subject.field', `one of ${INDEXED_SUBJECT_FIELDS.join(', ')}`);
      s = s.where(col, '=', String(q.subject.value));
    }
    if (q.decision !== undefined) {
      if (!DECISIONS.includes(q.decision)) throw new StoreValidationError('decision', 'approve, review or reject');
      s = s.where('decision', '=', q.decision);
    }
    if (q.eventType !== undefined) s = s.where('event_type', '=', q.eventType);
    if (q.strategyId !== undefined) s = s.where('strategy_id', '=', q.strategyId);
    if (q.strategyVersion !== undefined) s = s.where('strategy_version', '=', q.strategyVersion);
    if (q.from !== undefined) s = s.where('occurred_at', '>=', q.from);
    if (q.to !== undefined) s = s.where('occurred_at', '<', q.to);
    return s;
  }

  async search(tenantId: string, query: DecisionQuery): Promise<DecisionPage> {
    const limit = pageSize(query.limit, 50, 1000);
    let s = this.filtered(tenantId, query).selectAll();
    if (query.cursor) {
      const [at, seq] = decodeCursor(query.cursor);
      s = s.where(sql<boolean>`(occurred_at, seq) < (${at}, ${seq})`);
    } else if (query.offset) {
      s = s.offset(Math.max(0, Math.floor(query.offset)));
    }
    const rows = await s
      .orderBy('occurred_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return { items: rows.map(fromRow), nextCursor: more && last ? encodeCursor(last.occurred_at, Number(last.seq)) : undefined };
  }

  async count(tenantId: string, query: Omit<DecisionQuery, 'limit' | 'offset' | 'cursor'> = {}): Promise<number> {
    const r = await this.filtered(tenantId, query)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async stats(tenantId: string, q: { from: number; to: number; bucket: 'minute' | 'hour'; topRules?: number }): Promise<DecisionStats> {
    if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to <= q.from) throw new StoreValidationError('to', 'must be after from');
    if (q.bucket !== 'minute' && q.bucket !== 'hour') throw new StoreValidationError('bucket', 'minute or hour');
    const size = q.bucket === 'minute' ? 60_000 : 3_600_000;
    const inRange = this.db.selectFrom('events').where('tenant_id', '=', tenantId).where('recorded_at', '>=', q.from).where('recorded_at', '<', q.to);
    const bucketExpr = sql<number>`(recorded_at / ${sql.lit(size)}) * ${sql.lit(size)}`;
    const bucketRows = await inRange
      .select([bucketExpr.as('start'), 'event_type', 'decision', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy([bucketExpr, 'event_type', 'decision'])
      .orderBy(bucketExpr)
      .execute();
    const stats: DecisionStats = { total: 0, byDecision: {}, byEventType: {}, buckets: [], topRules: [], degraded: 0 };
    for (const r of bucketRows) {
      const n = Number(r.n);
      const decision = r.decision ?? 'none';
      stats.total += n;
      stats.byDecision[decision] = (stats.byDecision[decision] ?? 0) + n;
      stats.byEventType[r.event_type] = (stats.byEventType[r.event_type] ?? 0) + n;
      stats.buckets.push({ start: Number(r.start), eventType: r.event_type, decision, count: n });
    }
    const rules = await this.db
      .selectFrom('rule_hits')
      .select(['rule_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('recorded_at', '>=', q.from)
      .where('recorded_at', '<', q.to)
      .groupBy('rule_id')
      .orderBy('n', 'desc')
      .orderBy('rule_id')
      .limit(pageSize(q.topRules, 10, 100))
      .execute();
    stats.topRules = rules.map((r) => ({ rule: r.rule_id, count: Number(r.n) }));
    const deg = await inRange
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('degraded', 'is not', null)
      .executeTakeFirstOrThrow();
    stats.degraded = Number(deg.n);
    // Percentiles by rank (nearest-rank), portable across both dialects.
    const timed = inRange.where('latency_ms', 'is not', null);
    const n = Number((await timed.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    if (n > 0) {
      const at = async (p: number): Promise<number> => {
        const r = await timed
          .select('latency_ms')
          .orderBy('latency_ms')
          .limit(1)
          .offset(Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1)))
          .executeTakeFirstOrThrow();
        return Number(r.latency_ms);
      };
      stats.latency = { p50: await at(0.5), p90: await at(0.9), p99: await at(0.99), max: await at(1) };
    }
    return stats;
  }

  async *scan(options: ScanOptions = {}): AsyncIterable<DecisionRecord> {
    for await (const page of this.scanPages(options)) yield* page;
  }

  async *scanPages(options: ScanOptions = {}): AsyncIterable<DecisionRecord[]> {
    const size = pageSize(options.pageSize, 5000, 50_000);
    const columns = options.eventsOnly ? EVENT_COLUMNS : SCAN_COLUMNS;
    let after: [number, number] | undefined;
    for (;;) {
      let q = this.db.selectFrom('events').select(columns);
      if (options.tenantId !== undefined) q = q.where('tenant_id', '=', options.tenantId);
      if (after) q = q.where(sql<boolean>`(occurred_at, seq) > (${after[0]}, ${after[1]})`);
      else if (options.fromTime !== undefined) q = q.where('occurred_at', '>=', options.fromTime);
      const rows = await q.orderBy('occurred_at').orderBy('seq').limit(size).execute();
      yield rows.map(fromRow);
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      after = [last.occurred_at, Number(last.seq)];
    }
  }
}
