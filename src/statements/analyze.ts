// analyzeStatements: several files for one applicant → merged, de-duplicated transactions → indicators → risk.
import { Classifier, loadKeywordTables, type Category, type KeywordTables } from './classify.js';
import { StatementError } from './errors.js';
import { statementFeatures, type StatementFeatures } from './features.js';
import { IndicatorState, type Indicators } from './indicators.js';
import { maskAccount, maskCounterparty, maskMethod } from './privacy.js';
import { readStatement, type StatementInput } from './read.js';
import { evaluateRisk, type RiskResult } from './risk.js';
import { maskGeneric } from '../core/mask.js';
import type { JdmGraph } from '../decision/types.js';
import type { StatementWarning, Transaction } from './types.js';
import type { Clock } from '../core/clock.js';

export interface AnalyzeOptions {
  clock?: Clock;
  /** Risk strategy (JDM graph); defaults to src/statements/risk-strategy.json. */
  strategy?: JdmGraph;
  keywords?: KeywordTables;
  /** Per-file byte limit. */
  maxBytes?: number;
  /**
   * false: do not keep the transaction list (report.transactions is empty) — a single file is then analysed
   * in one streaming pass with flat memory. Default true.
   */
  keepTransactions?: boolean;
}

export interface FileReport {
  name: string;
  format: string;
  label: { zh: string; en: string };
  transactionCount: number;
  duplicates: number;
  warnings: StatementWarning[];
  period?: { from?: string; to?: string };
}

export type ReportTransaction = Transaction & { category: Category };

export interface StatementReport {
  generatedAt: string;
  holder?: string;
  files: FileReport[];
  transactions: ReportTransaction[];
  indicators: Indicators;
  features: StatementFeatures;
  risk: RiskResult;
}

const iso = (ms?: number) => (ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString());

function dedupKey(tx: Transaction): string {
  return tx.orderId
    ? `${tx.source}|${tx.orderId}|${tx.time}|${tx.amount}|${tx.direction}`
    : `${tx.source}|${tx.time}|${tx.amount}|${tx.direction}|${tx.counterparty}|${tx.balance ?? ''}`;
}

export async function analyzeStatements(files: StatementInput[], opts: AnalyzeOptions = {}): Promise<StatementReport> {
  if (files.length === 0) throw new StatementError('NO_TRANSACTIONS', '没有上传任何文件', 'no files were given');
  const clock = opts.clock ?? Date.now;
  const classifier = new Classifier(opts.keywords ?? loadKeywordTables());
  const keep = opts.keepTransactions ?? true;
  const fileReports: FileReport[] = [];
  let holder: string | undefined;
  let state: IndicatorState;
  const kept: Transaction[] = [];

  if (!keep && files.length === 1) {
    state = new IndicatorState({ classifier });
    const info = await readStatement(files[0], (tx) => state.add(tx), { maxBytes: opts.maxBytes });
    holder = info.meta.holderName;
    fileReports.push(fileReport(info, 0));
  } else {
    const seen = new Set<string>();
    for (const f of files) {
      const before = new Set<string>();
      let dup = 0;
      const info = await readStatement(
        f,
        (tx) => {
          const k = dedupKey(tx);
          if (seen.has(k)) {
            dup++;
            return;
          }
          before.add(k);
          kept.push(tx);
        },
        { maxBytes: opts.maxBytes },
      );
      for (const k of before) seen.add(k);
      holder ??= info.meta.holderName;
      fileReports.push(fileReport(info, dup));
    }
    classifier.holderName = holder ?? '';
    state = new IndicatorState({ classifier });
    kept.sort((a, b) => a.time - b.time);
  }
  const categories: Category[] = keep ? kept.map((tx) => state.add(tx)) : [];
  const indicators = state.finish();
  const tampered = fileReports.some((f) => f.warnings.some((w) => w.code.startsWith('TAMPER')));
  const features = statementFeatures(indicators, { tampered });
  const risk = evaluateRisk(features, { now: clock(), strategy: opts.strategy });
  return maskReport({
    generatedAt: new Date(clock()).toISOString(),
    holder,
    files: fileReports,
    transactions: kept.map((tx, i) => ({ ...tx, category: categories[i] })),
    indicators,
    features,
    risk,
  });
}

function fileReport(info: Awaited<ReturnType<typeof readStatement>>, duplicates: number): FileReport {
  const warnings = [...info.warnings];
  if (duplicates > 0) {
    warnings.push({ code: 'DUPLICATES', zh: `${duplicates} 笔交易与其他文件重复，已去重`, en: `${duplicates} transactions duplicated another file and were merged` });
  }
  return {
    name: info.name,
    format: info.format,
    label: info.label,
    transactionCount: info.transactionCount - duplicates,
    duplicates,
    warnings,
    period: { from: iso(info.meta.periodStart), to: iso(info.meta.periodEnd) },
  };
}

/** Masks personal data in everything that leaves this module (JSON, HTML, PDF). */
function maskReport(r: StatementReport): StatementReport {
  const ind = r.indicators;
  return {
    ...r,
    holder: r.holder ? maskGeneric(r.holder) : undefined,
    transactions: r.transactions.map((tx) => ({
      ...tx,
      counterparty: maskCounterparty(tx.counterparty),
      counterpartyAccount: maskAccount(tx.counterpartyAccount),
      method: maskMethod(tx.method),
    })),
    indicators: {
      ...ind,
      income: {
        ...ind.income,
        topPayers: ind.income.topPayers.map((p) => ({ ...p, name: maskCounterparty(p.name) })),
        salary: { ...ind.income.salary, payer: ind.income.salary.payer ? maskCounterparty(ind.income.salary.payer) : undefined },
      },
      cards: { ...ind.cards, rows: ind.cards.rows.map((c) => ({ ...c, method: maskMethod(c.method) })) },
      flagged: ind.flagged.map((f) => ({ ...f, counterparty: maskCounterparty(f.counterparty) })),
    },
  };
}
