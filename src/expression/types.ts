// The contract between the expression compiler and its users (decision graphs, features, the service).

/** Per-evaluation environment. `now` (UTC epoch ms) drives d()/date() without arguments and isToday(). */
export interface ExpressionEnv {
  now?: number;
}

export interface CompiledExpression {
  readonly source: string;
  readonly mode: 'standard' | 'unary';
  /**
   * Evaluates against `input` (the root scope). `$` resolves to `self` when it is passed (the decision-table
   * cell's column value in unary mode, the node output being built in expression nodes); otherwise to input.$.
   */
  evaluate(input: unknown, self?: unknown, env?: ExpressionEnv): unknown;
  /**
   * The distinct input paths the expression reads, dotted from the root (`customer.age`, `features.card_1h`).
   * A computed index stops the path at its last static segment (`items[i].x` → `items`). `$` and closure
   * variables (`#`) are not listed.
   */
  readonly paths: readonly string[];
}

export interface EvaluateOptions {
  /** Clock for date functions: epoch ms, Date or ISO string. Defaults to the system clock. */
  now?: number | Date | string;
}
