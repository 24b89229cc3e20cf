// ruleSet: named rules, each a condition expression with a score, a reason code and tags.
// `allHits` evaluates every enabled rule; `firstHit` stops at the first one that fires.
// A condition that throws does not fire; the error is listed under `errors` so it is visible, not silent.
import type { CompiledExpression } from '../../expression/types.js';
import type { CompiledNode, CustomNodeCompiler, NodeOutput } from '../types.js';
import { BatchFailure, ExpressionBatch } from '../fast.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, list, num, str } from './config.js';

interface Rule {
  id: string;
  name: string;
  condition: CompiledExpression;
  score: number;
  reasonCode?: string;
  reason?: string;
  tags: string[];
}

export interface RuleHit {
  id: string;
  ruleName: string;
  score: number;
  reasonCode?: string;
  tags: string[];
}

export const compileRuleSet: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'ruleSet');
  if (!cfg) return undefined;
  const mode = cfg.mode ?? 'allHits';
  if (mode !== 'allHits' && mode !== 'firstHit') {
    ctx.issue('mode', `mode must be 'allHits' or 'firstHit', got ${JSON.stringify(mode)}`);
    return undefined;
  }
  const raw = list(cfg, 'rules', ctx.issue);
  if (!raw) return undefined;
  const rules: Rule[] = [];
  const ids = new Set<string>();
  const paths = new Set<string>();
  let ok = true;
  const issue = (f: string | undefined, m: string) => {
    ok = false;
    ctx.issue(f, m);
  };
  raw.forEach((r: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isPlainObject(r)) return issue(at, 'rule must be an object');
    const id = str(r, 'id', `${at}.id`, issue);
    if (id !== undefined) {
      if (ids.has(id)) issue(`${at}.id`, `duplicate rule id '${id}'`);
      ids.add(id);
    }
    const condition = expr(r, 'condition', `${at}.condition`, issue);
    addPaths(paths, condition);
    const score = num(r, 'score', `${at}.score`, issue, 0);
    const reasonCode = str(r, 'reasonCode', `${at}.reasonCode`, issue, false);
    const reason = r.reason === undefined ? undefined : typeof r.reason === 'string' ? r.reason : (issue(`${at}.reason`, 'reason must be a string'), undefined);
    const tags = r.tags === undefined ? [] : Array.isArray(r.tags) && r.tags.every((t) => typeof t === 'string') ? (r.tags as string[]) : (issue(`${at}.tags`, 'tags must be an array of strings'), []);
    if (r.enabled !== undefined && typeof r.enabled !== 'boolean') issue(`${at}.enabled`, 'enabled must be true or false');
    if (r.enabled === false || id === undefined || !condition || score === undefined) return;
    const name = typeof r.name === 'string' && r.name ? r.name : id;
    rules.push({ id, name, condition, score, reasonCode, reason, tags });
  });
  if (!ok) return undefined;
  const firstHit = mode === 'firstHit';
  const batch = new ExpressionBatch(rules.map((r) => r.condition));

  const n = rules.length;
  // Per-rule hit and reason templates, copied per hit (never shared: callers may keep and modify results).
  const codes = rules.map((r) => r.reasonCode ?? r.id);
  // Fired rules of the evaluation in progress (filled and read within one evaluate, which never re-enters).
  const fired = new Int32Array(n);
  const failures: unknown[] = new Array(n).fill(undefined);
  // False when no later node reads `hits` (see omitUnread); tracing always builds them.
  let hitsLive = true;

  return {
    paths: [...paths],
    omitUnread(live) {
      hitsLive = live.has('hits');
    },
    evaluate(input, nctx): NodeOutput {
      const withHits = hitsLive || nctx.trace;
      const hits: RuleHit[] = [];
      let hitCount = 0;
      const reasons: { code: string; message?: string; score: number }[] = [];
      let errors: { id: string; message: string }[] | undefined;
      let total = 0;
      const count = batch.evaluateFired(input, nctx.env, fired, failures);
      let k = 0;
      for (; k < count; k++) {
        const i = fired[k]!;
        if (i < 0) {
          const f = failures[-i - 1] as BatchFailure;
          failures[-i - 1] = undefined;
          (errors ??= []).push({ id: rules[-i - 1]!.id, message: f.message });
          continue;
        }
        const rule = rules[i]!;
        total += rule.score;
        hitCount++;
        if (withHits) hits.push(rule.reasonCode ? { id: rule.id, ruleName: rule.name, score: rule.score, tags: rule.tags, reasonCode: rule.reasonCode } : { id: rule.id, ruleName: rule.name, score: rule.score, tags: rule.tags });
        reasons.push(rule.reason ? { code: codes[i]!, message: rule.reason, score: rule.score } : { code: codes[i]!, score: rule.score });
        if (firstHit) break;
      }
      // Failures after a first hit are not reported (as before); drop them so they are not kept alive.
      for (; k < count; k++) if (fired[k]! < 0) failures[-fired[k]! - 1] = undefined;
      const output: Record<string, unknown> = withHits ? { hit: hitCount > 0, hitCount, totalScore: total, hits, reasons } : { hit: hitCount > 0, hitCount, totalScore: total, reasons };
      if (errors) output.errors = errors;
      return nctx.trace ? { output, matched: hits.map(hitId) } : { output };
    },
  };
};

const hitId = (h: RuleHit): string => h.id;
