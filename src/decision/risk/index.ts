// The built-in risk node kinds, dispatched from customNode `content.kind`.
import type { CustomNodeCompiler } from '../types.js';
import { compileAbSplit } from './ab-split.js';
import { compileDecisionNode } from './decision.js';
import { compileListNode } from './list.js';
import { compileModelNode } from './model.js';
import { compileRuleSet } from './rule-set.js';
import { compileScorecard } from './scorecard.js';

export const builtinRiskNodes: Readonly<Record<string, CustomNodeCompiler>> = Object.freeze({
  ruleSet: compileRuleSet,
  scorecard: compileScorecard,
  decision: compileDecisionNode,
  abSplit: compileAbSplit,
  list: compileListNode,
  model: compileModelNode,
});
