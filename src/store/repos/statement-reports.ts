// Statement (流水) reports per tenant: the full report JSON for GET /v1/statements/:id, and the flat feature
// values (`features.statement.*`) of the latest report per applicant for decisions. Every method takes the
// tenant first: a report stored by one tenant is never found by another.
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { StoreConflictError, StoreValidationError } from '../errors.js';
import { isUniqueViolation } from '../util.js';

export interface StatementReportsTable {
  tenant_id: string;
  id: string;
  user_id: string | null;
  id_number: string | null;
  created_at: number;
  features: string;
  report: string;
}

interface Db {
  statement_reports: StatementReportsTable;
}

/** The applicant a report belongs to; either key finds it for decisions. */
export interface StatementReportSubject {
  userId?: string;
  idNumber?: string;
}

export interface StoredStatementReport<R = unknown> {
  id: string;
  tenantId: string;
  subject: StatementReportSubject;
  createdAt: number;
  features: Record<string, unknown>;
  report: R;
}

export interface StatementFeatureRow {
  id: string;
  createdAt: number;
  features: Record<string, unknown>;
}

export interface StatementReportRepo {
  /** Stores a report. Throws StoreConflictError when the id exists for this tenant. */
  put(tenantId: string, input: { id: string; subject?: StatementReportSubject; features: Record<string, unknown>; report: unknown }): Promise<StoredStatementReport>;
  get<R = unknown>(tenantId: string, id: string): Promise<StoredStatementReport<R> | undefined>;
  /** Features of the newest report whose userId or idNumber matches; undefined when there is none. */
  latestFeatures(tenantId: string, subject: StatementReportSubject): Promise<StatementFeatureRow | undefined>;
}

const MAX_KEY = 128;

function key(field: string, v: string | undefined): string | null {
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string' || v.length > MAX_KEY) throw new StoreValidationError(field, `a string of at most ${MAX_KEY} characters`);
  return v;
}

export function statementReportRepo(db: Kysely<any>, clock: Clock): StatementReportRepo {
  const k = db as Kysely<Db>;
  return {
    async put(tenantId, input) {
      const row: StatementReportsTable = {
        tenant_id: tenantId,
        id: input.id,
        user_id: key('userId', input.subject?.userId),
        id_number: key('idNumber', input.subject?.idNumber),
        created_at: clock(),
        features: JSON.stringify(input.features),
        report: JSON.stringify(input.report),
      };
      try {
        await k.insertInto('statement_reports').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError(`statement report ${input.id} already exists`);
        throw err;
      }
      return { id: row.id, tenantId, subject: subjectOf(row), createdAt: row.created_at, features: input.features, report: input.report };
    },
    async get<R>(tenantId: string, id: string) {
      const r = await k.selectFrom('statement_reports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.id,
        tenantId: r.tenant_id,
        subject: subjectOf(r),
        createdAt: Number(r.created_at),
        features: JSON.parse(r.features) as Record<string, unknown>,
        report: JSON.parse(r.report) as R,
      };
    },
    async latestFeatures(tenantId, subject) {
      const userId = subject.userId || undefined;
      const idNumber = subject.idNumber || undefined;
      if (!userId && !idNumber) return undefined;
      const r = await k
        .selectFrom('statement_reports')
        .select(['id', 'created_at', 'features'])
        .where('tenant_id', '=', tenantId)
        .where((eb) => {
          const ors = [];
          if (userId) ors.push(eb('user_id', '=', userId));
          if (idNumber) ors.push(eb('id_number', '=', idNumber));
          return eb.or(ors);
        })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!r) return undefined;
      return { id: r.id, createdAt: Number(r.created_at), features: JSON.parse(r.features) as Record<string, unknown> };
    },
  };
}

function subjectOf(r: Pick<StatementReportsTable, 'user_id' | 'id_number'>): StatementReportSubject {
  const s: StatementReportSubject = {};
  if (r.user_id !== null) s.userId = r.user_id;
  if (r.id_number !== null) s.idNumber = r.id_number;
  return s;
}
