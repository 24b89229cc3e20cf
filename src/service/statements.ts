// Statement analysis inside the service: reports stored per tenant in the database (statement_reports), and
// `features.statement.*` for decisions from the applicant's latest report (found by userId or idNumber).
import type { RiskEvent } from '../core/event.js';
import type { FeatureProvider, FeatureResult } from '../core/feature-provider.js';
import type { StatementReport } from '../statements/analyze.js';
import { statementFeatures } from '../statements/features.js';
import type { StatementScope, StatementStore, StatementSubject } from '../statements/http.js';
import type { StatementReportRepo } from '../store/repos/statement-reports.js';

/** StatementStore over the database: a report is stored under the caller's tenant and only read back by it. */
export class SqlStatementStore implements StatementStore {
  constructor(private readonly repo: StatementReportRepo) {}

  async put(id: string, report: StatementReport, ctx?: StatementScope & { subject?: StatementSubject }): Promise<void> {
    if (!ctx?.tenantId) throw new Error('statement reports are stored per tenant: no tenant given');
    // The flat feature view, as the report's own risk strategy saw it (tamper warnings included).
    const features = statementFeatures(report.indicators, { tampered: report.features?.tampered === true });
    await this.repo.put(ctx.tenantId, { id, subject: ctx.subject, features, report });
  }

  async get(id: string, ctx?: StatementScope): Promise<StatementReport | undefined> {
    if (!ctx?.tenantId) return undefined;
    return (await this.repo.get<StatementReport>(ctx.tenantId, id))?.report;
  }
}

/**
 * Extra names besides the indicators: whether a report exists, its id, and its age in whole days at the
 * event's time (a stale statement is a reason to ask for a new one).
 */
export const STATEMENT_META_FEATURES = ['statement.available', 'statement.reportId', 'statement.ageDays'] as const;

const DAY_MS = 86_400_000;

/**
 * `features.statement.*`: the indicators of the newest report stored for the event's subject (its userId or
 * idNumber) in the event's tenant. Without a report every name is null and `statement.available` is false.
 * The report is read at decision time (one indexed query, only for strategies that read statement.*).
 */
export class StatementFeatureProvider implements FeatureProvider {
  constructor(private readonly repo: StatementReportRepo) {}

  async compute(event: RiskEvent, names: readonly string[]): Promise<FeatureResult> {
    const values: Record<string, unknown> = {};
    const tenantId = event.tenantId;
    const s = event.subject;
    const row = tenantId && (s?.userId || s?.idNumber) ? await this.repo.latestFeatures(tenantId, { userId: s.userId, idNumber: s.idNumber }) : undefined;
    for (const name of names) {
      if (!name.startsWith('statement.')) continue;
      const key = name.slice(10);
      if (key === 'available') values[name] = row !== undefined;
      else if (key === 'reportId') values[name] = row?.id ?? null;
      else if (key === 'ageDays') values[name] = row ? Math.max(0, Math.floor((event.occurredAt - row.createdAt) / DAY_MS)) : null;
      else values[name] = row?.features[key] ?? null;
    }
    return { values };
  }

  // Reports arrive through POST /v1/statements, not through events.
  async apply(): Promise<void> {}
  async close(): Promise<void> {}
}
