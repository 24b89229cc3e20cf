// Decision graphs (JDM): load, validate, compile to closures, evaluate synchronously.
export type * from './types.js';
export { DecisionValidationError, DecisionEvaluationError } from './errors.js';
export { compileDecision, evaluateDecision, validateDecision } from './compile.js';
export { builtinRiskNodes } from './risk/index.js';
