// The normalised statement model every parser produces and every analysis step consumes.

/** Where a transaction came from. Bank parsers use their own short id (cmb, icbc, ...). */
export type StatementSource = 'alipay' | 'wechat' | string;

/** in = money received, out = money paid, neutral = 不计收支 / 中性交易 (transfers between own accounts, top-ups, ...). */
export type Direction = 'in' | 'out' | 'neutral';

export interface Transaction {
  source: StatementSource;
  /** UTC epoch ms. Statements carry Beijing time (UTC+8); parsers convert. */
  time: number;
  direction: Direction;
  /** Integer fen (minor units), always ≥ 0. The sign is in `direction`. */
  amount: number;
  counterparty: string;
  /** 对方账号 (masked in reports). Empty when the layout has none. */
  counterpartyAccount: string;
  /** 商品说明 / 商品 / 交易摘要. */
  item: string;
  /** The platform's own category or type (交易分类 / 交易类型). */
  platformCategory: string;
  /** 收/付款方式: the card or wallet used (e.g. 交通银行信用卡(7449), 零钱, 余额宝). */
  method: string;
  /** 交易状态 / 当前状态. */
  status: string;
  orderId: string;
  merchantOrderId: string;
  note: string;
  /** Account balance after the transaction, fen (bank statements only). */
  balance?: number;
}

/** What the file says about itself, used to detect tampering. Amounts in fen. */
export interface StatementSummary {
  count?: number;
  incomeCount?: number;
  incomeTotal?: number;
  expenseCount?: number;
  expenseTotal?: number;
  neutralCount?: number;
  neutralTotal?: number;
}

export interface StatementMeta {
  /** Account holder name as printed (masked before any output). */
  holderName?: string;
  account?: string;
  periodStart?: number;
  periodEnd?: number;
}

/** A row of a statement: CSV fields or XLSX cell values (strings, numbers or Dates). */
export type Row = readonly unknown[];

/** Filled by the parser while it reads; the driver verifies rows against `summary` when done. */
export interface ParseState {
  summary: StatementSummary;
  meta: StatementMeta;
  /** True once the column header row was seen. */
  headerSeen: boolean;
  /** True when the layout's closing marker (footer / dashed line) was seen; layouts without one leave it undefined. */
  footerSeen?: boolean;
  warnings: StatementWarning[];
}

export interface StatementWarning {
  code: string;
  zh: string;
  en: string;
}

/**
 * One statement layout. Adding a bank is one module implementing this and one line in parsers/registry.ts.
 * `detect` looks at decoded text from the head of the file (or, for XLSX, the first rows joined by commas) and
 * returns a confidence 0..1; `parse` turns rows into transactions as they stream by, handing each to `emit`.
 * Rows arrive in batches (one per read chunk) so a million-row file costs no per-row promise.
 */
export interface StatementParser {
  /** Stable id reported as the file's `format`, e.g. `alipay-2023`. */
  readonly format: string;
  readonly source: StatementSource;
  readonly container: 'csv' | 'xlsx';
  readonly label: { zh: string; en: string };
  detect(sample: string): number;
  parse(rows: AsyncIterable<readonly Row[]>, state: ParseState, emit: (tx: Transaction) => void): Promise<void>;
}
