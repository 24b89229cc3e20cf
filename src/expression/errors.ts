// Compile and evaluation errors carry the position in the source so the editor can point at it.
import { reasonZh } from './messages-zh.js';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Converts a 0-based offset into a 1-based line and column. */
export function positionOf(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** 0-based offset of the offending token in the source. */
  readonly offset: number;
  /** The offending token's text ('' at the end of the source). */
  readonly token: string;
  /** The message without the position, in English. */
  readonly reason: string;

  constructor(message: string, source: string, offset: number, token: string) {
    const { line, column } = positionOf(source, offset);
    super(`${message} at ${line}:${column}`);
    this.reason = message;
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.token = token;
  }

  /** The message in Chinese (zh-CN), with the position: 意外的符号 ')'（第 1 行第 8 列）. */
  get messageZh(): string {
    return `${reasonZh(this.reason)}（第 ${this.line} 行第 ${this.column} 列）`;
  }
}

/**
 * Thrown by library functions and operators during evaluation; the compiler catches it at the call site and
 * rethrows it as an ExpressionError carrying the node's position.
 */
export class EvalFault extends Error {
  override readonly name = 'EvalFault';
}

export function fault(message: string): never {
  throw new EvalFault(message);
}
