// One error type for every user-facing model failure, with zh-CN and en text, so the CLI and the
// service can show a clear message instead of a stack trace.
export class ModelError extends Error {
  readonly code: string;
  readonly zh: string;
  constructor(code: string, en: string, zh: string) {
    super(en);
    this.name = 'ModelError';
    this.code = code;
    this.zh = zh;
  }
}
