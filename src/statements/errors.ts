// Every failure to read a statement is a StatementError with a stable code and a zh/en message naming the problem.

export type StatementErrorCode =
  | 'EMPTY_FILE'
  | 'TOO_LARGE'
  | 'UNKNOWN_FORMAT'
  | 'ENCODING_DAMAGED'
  | 'TRUNCATED'
  | 'EXCEL_RESAVED'
  | 'NO_HEADER'
  | 'BAD_ROW'
  | 'BAD_XLSX'
  | 'NO_TRANSACTIONS'
  | 'PDF_UNAVAILABLE';

export class StatementError extends Error {
  readonly code: StatementErrorCode;
  readonly zh: string;
  readonly en: string;
  /** File the error is about, when known. */
  file?: string;

  constructor(code: StatementErrorCode, zh: string, en: string, file?: string) {
    super(file ? `${file}: ${en}` : en);
    this.name = 'StatementError';
    this.code = code;
    this.zh = zh;
    this.en = en;
    this.file = file;
  }

  /** The message in one language, prefixed with the file name when known. */
  localized(lang: 'zh-CN' | 'en'): string {
    const m = lang === 'en' ? this.en : this.zh;
    return this.file ? `${this.file}: ${m}` : m;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, file: this.file, zh: this.zh, en: this.en };
  }
}

export function isStatementError(e: unknown): e is StatementError {
  return e instanceof StatementError;
}
