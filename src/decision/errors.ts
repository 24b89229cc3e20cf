import type { DecisionIssue } from './types.js';

/** Thrown by compileDecision when a graph fails validation; `issues` names each node and field. */
export class DecisionValidationError extends Error {
  readonly issues: DecisionIssue[];
  constructor(issues: DecisionIssue[]) {
    super(
      `invalid decision graph (${issues.length} issue${issues.length === 1 ? '' : 's'}): ` +
        issues.map((i) => `${i.nodeId}${i.field ? ` ${i.field}` : ''}: ${i.message}`).join('; '),
    );
    this.name = 'DecisionValidationError';
    this.issues = issues;
  }
}

/** Thrown by evaluate when a node fails at run time (an expression node's expression throws, a loop gets no array). */
export class DecisionEvaluationError extends Error {
  readonly nodeId: string;
  readonly nodeName: string;
  constructor(nodeId: string, nodeName: string, message: string, options?: { cause?: unknown }) {
    super(`node '${nodeName}' (${nodeId}): ${message}`, options);
    this.name = 'DecisionEvaluationError';
    this.nodeId = nodeId;
    this.nodeName = nodeName;
  }
}

/** Raised inside a node handler; the graph runtime rewraps it with the node's id and name. */
export class NodeFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NodeFailure';
  }
}
