// Public API of the ZEN expression language: compile (cached by source) and evaluate, standard and unary.
import { compileTree, inputPaths, treeDepth } from './compiler.js';
import { EvalFault, ExpressionError } from './errors.js';
import { CACHE_MAX_CHARS, CACHE_MAX_SOURCE, CACHE_SIZE, MAX_NESTING, MAX_SOURCE_LENGTH } from './limits.js';
import { parseStandard, parseUnary, type ParseResult } from './parser.js';
import type { CompiledExpression, EvaluateOptions, ExpressionEnv } from './types.js';
import { isPlainObject, shallowCopy, toPlain } from './values.js';

export type { CompiledExpression, EvaluateOptions, ExpressionEnv } from './types.js';
export { ExpressionError } from './errors.js';
export { ZenDate } from './dates.js';
export { Interval, toPlain } from './values.js';
export * as expressionLimits from './limits.js';

/** Deepest syntax tree accepted (closures nest this deep at evaluation, so it bounds the stack). */
const MAX_TREE_DEPTH = MAX_NESTING * 4;
const EMPTY_ENV: ExpressionEnv = Object.freeze({});

function build(source: string, mode: 'standard' | 'unary'): CompiledExpression {
  if (typeof source !== 'string') throw new TypeError('Expression source must be a string');
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(`Expression too long: ${source.length} characters (limit ${MAX_SOURCE_LENGTH})`, '', 0, '');
  }
  const parsed: ParseResult = mode === 'unary' ? parseUnary(source) : parseStandard(source);
  if (treeDepth(parsed.root) > MAX_TREE_DEPTH) {
    throw new ExpressionError(`Expression nesting too deep (limit ${MAX_TREE_DEPTH})`, source, parsed.root.at, '');
  }
  const compiled = compileTree(parsed.root, source, parsed.slots);
  const { budget, state } = compiled;
  const raw = compiled.fn;
  // Faults not already located (data copy, text of deep data) are reported at the expression start.
  const rethrow = (err: unknown): never => {
    if (err instanceof EvalFault) throw new ExpressionError(err.message, source, 0, '');
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new ExpressionError('Data nested too deep', source, 0, '');
    throw err;
  };
  const paths = Object.freeze(inputPaths(parsed.root));
  let evaluate: CompiledExpression['evaluate'];
  if (parsed.hasAssignments) {
    // Assignments build a new object (the result); reads see the input overlaid with what was assigned,
    // through a shallow copy written copy-on-write, so the caller's input is never modified.
    evaluate = (input, self, env) => {
      if (budget) budget.n = 0;
      state.out = {};
      try {
        return raw(isPlainObject(input) ? shallowCopy(input) : {}, self, env ?? EMPTY_ENV);
      } catch (err) {
        return rethrow(err);
      } finally {
        state.out = null;
      }
    };
  } else if (budget) {
    evaluate = (input, self, env) => {
      budget.n = 0;
      try {
        return raw(input, self, env ?? EMPTY_ENV);
      } catch (err) {
        return rethrow(err);
      }
    };
  } else {
    // One closure between the caller and the compiled tree (the hot path of every rule and cell).
    evaluate = (input, self, env) => {
      try {
        return raw(input, self, env ?? EMPTY_ENV);
      } catch (err) {
        return rethrow(err);
      }
    };
  }
  return Object.freeze({ source, mode, evaluate, paths });
}

/** A bounded source → compiled map (entries and total source size); the oldest entry goes first when full. */
class CompileCache {
  private readonly map = new Map<string, CompiledExpression>();
  private chars = 0;
  constructor(private readonly mode: 'standard' | 'unary') {}

  get(source: string): CompiledExpression {
    let c = this.map.get(source);
    if (c === undefined) {
      c = build(source, this.mode);
      if (source.length > CACHE_MAX_SOURCE) return c; // huge one-off sources are not worth keeping
      while (this.map.size >= CACHE_SIZE || (this.map.size > 0 && this.chars + source.length > CACHE_MAX_CHARS)) {
        const oldest = this.map.keys().next().value!;
        this.map.delete(oldest);
        this.chars -= oldest.length;
      }
      this.map.set(source, c);
      this.chars += source.length;
    }
    return c;
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }
}

const standardCache = new CompileCache('standard');
const unaryCache = new CompileCache('unary');

/** Compiles a standard expression (`a + b > 10`, `map(xs, # * 2)`, `x = 1; y = x + 1`). Throws ExpressionError. */
export function compileExpression(source: string): CompiledExpression {
  return standardCache.get(source);
}

/** Compiles a unary test (`> 5`, `[0..10]`, `'US','CA'`) that compares `$` and yields a boolean. */
export function compileUnaryExpression(source: string): CompiledExpression {
  return unaryCache.get(source);
}

/** Drops every cached compiled expression (tests, or after a large strategy reload). */
export function clearExpressionCache(): void {
  standardCache.clear();
  unaryCache.clear();
}

export function envFromOptions(options?: EvaluateOptions): ExpressionEnv {
  const now = options?.now;
  if (now === undefined) return EMPTY_ENV;
  const ms = typeof now === 'number' ? now : now instanceof Date ? now.getTime() : Date.parse(now);
  if (!Number.isFinite(ms)) throw new TypeError(`Invalid 'now': ${String(now)}`);
  return { now: ms };
}

/** Evaluates a standard expression against `input`; dates in the result come back as ISO-8601 strings. */
export function evaluateExpression(source: string, input: unknown, options?: EvaluateOptions): unknown {
  return toPlain(compileExpression(source).evaluate(input, undefined, envFromOptions(options)));
}

/** Evaluates a unary test; `$` is `input.$`. Returns whether the test passes. */
export function evaluateUnaryExpression(source: string, input: unknown, options?: EvaluateOptions): boolean {
  return compileUnaryExpression(source).evaluate(input, undefined, envFromOptions(options)) === true;
}
