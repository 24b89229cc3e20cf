// Compiles the expressions found in node content, turning compile errors into validation issues that name the
// node, the field and the position (line:col, offending token) inside the expression.
import { compileExpression, compileUnaryExpression } from '../expression/index.js';
import type { CompiledExpression } from '../expression/types.js';
import { specialize } from './fast.js';
import { expressionMessagesZh } from './zh.js';

/** Receives one validation issue for the node being compiled. */
export type IssueSink = (field: string | undefined, message: string) => void;

interface PositionedError {
  message: string;
  messageZh?: string;
  line?: number;
  column?: number;
  token?: string;
}

/** "bad expression `a +`: unexpected end of expression at 1:4 (token '')" */
export function describeExpressionError(source: string, err: unknown): string {
  const e = (err ?? {}) as PositionedError;
  const base = typeof e.message === 'string' ? e.message : String(err);
  const where = typeof e.line === 'number' && typeof e.column === 'number' && !base.includes(`${e.line}:${e.column}`) ? ` at ${e.line}:${e.column}` : '';
  const token = typeof e.token === 'string' ? ` (token '${e.token}')` : '';
  const shown = source.length > 120 ? `${source.slice(0, 117)}...` : source;
  const message = `bad expression \`${shown}\`: ${base}${where}${token}`;
  if (typeof e.messageZh === 'string') expressionMessagesZh.set(message, `表达式错误 \`${shown}\`：${e.messageZh}`);
  return message;
}

export function compileStandard(source: string, field: string, issue: IssueSink): CompiledExpression | undefined {
  try {
    return specialize(compileExpression(source));
  } catch (err) {
    issue(field, describeExpressionError(source, err));
    return undefined;
  }
}

export function compileUnary(source: string, field: string, issue: IssueSink): CompiledExpression | undefined {
  try {
    return compileUnaryExpression(source);
  } catch (err) {
    issue(field, describeExpressionError(source, err));
    return undefined;
  }
}

/** Reads an expression source from content: a non-empty trimmed string, or undefined for empty / absent. */
export function sourceOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length === 0 ? undefined : t;
}
