// decision: turns a risk score and flags into the strategy's verdict, the shape the service relies on:
// { decision: 'approve'|'review'|'reject', score, riskLevel: 'low'|'medium'|'high', reasons }.
// The score maps through thresholds (direction says whether a higher score is riskier or safer); flag rules
// can only make the verdict stricter, unless a rule sets `override: true` (e.g. a whitelist forcing approve).
import type { CompiledExpression } from '../../expression/types.js';
import type { CompiledNode, CustomNodeCompiler, NodeOutput } from '../types.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, list, num, readReason, type Issue, type Reason } from './config.js';

const DECISIONS = ['approve', 'review', 'reject'] as const;
const LEVELS = ['low', 'medium', 'high'] as const;
type Verdict = (typeof DECISIONS)[number];

interface Flag {
  id: string;
  when: CompiledExpression;
  decision: Verdict;
  override: boolean;
  reason?: Reason;
  /** Index of `decision` in DECISIONS. */
  rank: number;
}

interface Cut {
  lower: number;
  upper: number;
}

function readCut(obj: unknown, lowKey: string, highKey: string, field: string, issue: Issue, safer: boolean): Cut | undefined {
  if (!isPlainObject(obj)) {
    issue(field, `${field} must be an object { ${lowKey}, ${highKey} }`);
    return undefined;
  }
  const lower = num(obj, lowKey, `${field}.${lowKey}`, issue);
  const upper = num(obj, highKey, `${field}.${highKey}`, issue);
  if (lower === undefined || upper === undefined) return undefined;
  if (!safer && lower > upper) issue(field, `${lowKey} (${lower}) must not exceed ${highKey} (${upper}) when a higher score is riskier`);
  if (safer && lower < upper) issue(field, `${lowKey} (${lower}) must not be below ${highKey} (${upper}) when a higher score is safer`);
  return { lower, upper };
}

export const compileDecisionNode: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'decision');
  if (!cfg) return undefined;
  let ok = true;
  const issue: Issue = (f, m) => {
    ok = false;
    ctx.issue(f, m);
  };
  const paths = new Set<string>();
  const direction = cfg.direction ?? 'higherIsRiskier';
  if (direction !== 'higherIsRiskier' && direction !== 'higherIsSafer') issue('direction', "direction must be 'higherIsRiskier' or 'higherIsSafer'");
  const safer = direction === 'higherIsSafer';
  const score = expr(cfg, 'score', 'score', issue);
  addPaths(paths, score);
  const thresholds = readCut(cfg.thresholds, 'review', 'reject', 'thresholds', issue, safer);
  const levels = cfg.riskLevels === undefined ? thresholds && { lower: thresholds.lower, upper: thresholds.upper } : readCut(cfg.riskLevels, 'medium', 'high', 'riskLevels', issue, safer);

  const flags: Flag[] = [];
  list(cfg, 'rules', issue, false)?.forEach((r: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isPlainObject(r)) return issue(at, 'rule must be an object');
    const when = expr(r, 'when', `${at}.when`, issue);
    addPaths(paths, when);
    const decision = r.decision;
    if (typeof decision !== 'string' || !(DECISIONS as readonly string[]).includes(decision)) return issue(`${at}.decision`, `decision must be one of ${DECISIONS.join(', ')}`);
    if (r.override !== undefined && typeof r.override !== 'boolean') issue(`${at}.override`, 'override must be true or false');
    const reason = readReason(r.reason, `${at}.reason`, issue);
    const id = typeof r.id === 'string' && r.id ? r.id : `rules[${i}]`;
    if (when) flags.push({ id, when, decision: decision as Verdict, override: r.override === true, reason, rank: DECISIONS.indexOf(decision as Verdict) });
  });

  const reasonSources: CompiledExpression[] = [];
  list(cfg, 'reasons', issue, false)?.forEach((src: unknown, i) => {
    const e = expr({ v: src }, 'v', `reasons[${i}]`, issue);
    addPaths(paths, e);
    if (e) reasonSources.push(e);
  });
  if (!ok || !score || !thresholds || !levels) return undefined;

  const rank = (s: number, cut: Cut): number => (safer ? (s <= cut.upper ? 2 : s <= cut.lower ? 1 : 0) : s >= cut.upper ? 2 : s >= cut.lower ? 1 : 0);

  // False when no later node reads `flags` (see omitUnread); tracing always lists them.
  let flagsLive = true;

  return {
    paths: [...paths],
    omitUnread(live) {
      flagsLive = live.has('flags');
    },
    evaluate(input, nctx): NodeOutput {
      let s: unknown;
      try {
        s = score.evaluate(input, undefined, nctx.env);
      } catch {
        s = undefined;
      }
      const reasons: Reason[] = [];
      // A score that is not a number cannot clear any threshold: send the case to a person.
      const numeric = typeof s === 'number' && Number.isFinite(s);
      let verdict = numeric ? rank(s as number, thresholds) : 1;
      const level = numeric ? rank(s as number, levels) : 1;
      if (!numeric) addReason(reasons, SCORE_UNAVAILABLE);
      let overridden: number | undefined;
      let matched: string[] | undefined;
      for (let i = 0; i < flags.length; i++) {
        const f = flags[i]!;
        let fired = false;
        try {
          fired = f.when.evaluate(input, undefined, nctx.env) === true;
        } catch {
          fired = false;
        }
        if (!fired) continue;
        (matched ??= []).push(f.id);
        const d = f.rank;
        if (f.override) overridden ??= d;
        else if (d > verdict) verdict = d;
        if (f.reason !== undefined) addReason(reasons, f.reason);
      }
      for (let i = 0; i < reasonSources.length; i++) {
        let v: unknown;
        try {
          v = reasonSources[i]!.evaluate(input, undefined, nctx.env);
        } catch {
          continue;
        }
        if (Array.isArray(v)) for (let k = 0; k < v.length; k++) addReason(reasons, v[k]);
        else addReason(reasons, v);
      }
      const final = overridden ?? verdict;
      const riskLevel = overridden !== undefined ? final : Math.max(level, final);
      const output: Record<string, unknown> =
        flagsLive || nctx.trace ? { decision: DECISIONS[final], score: numeric ? s : null, riskLevel: LEVELS[riskLevel], reasons, flags: matched ?? [] } : { decision: DECISIONS[final], score: numeric ? s : null, riskLevel: LEVELS[riskLevel], reasons };
      return nctx.trace ? { output, matched: matched ?? [] } : { output };
    },
  };
};

const SCORE_UNAVAILABLE = { code: 'SCORE_UNAVAILABLE', message: 'risk score could not be computed' };

/**
 * Adds a reason (a non-empty string or an object with a string `code`, copied) unless its code is already listed.
 * Few reasons per case: scanning the list beats keeping a separate set of seen codes.
 */
function addReason(reasons: Reason[], r: unknown): void {
  let reason: Reason;
  let key: string;
  if (typeof r === 'string') {
    if (!r) return;
    reason = key = r;
  } else if (isPlainObject(r) && typeof r.code === 'string' && r.code) {
    key = r.code;
    for (let i = 0; i < reasons.length; i++) {
      const x = reasons[i]!;
      if ((typeof x === 'string' ? x : x.code) === key) return;
    }
    const o: { code: string; message?: string; score?: number } = { code: key };
    if (typeof r.message === 'string') o.message = r.message;
    if (typeof r.score === 'number') o.score = r.score;
    reasons.push(o);
    return;
  } else return;
  for (let i = 0; i < reasons.length; i++) {
    const x = reasons[i]!;
    if ((typeof x === 'string' ? x : x.code) === key) return;
  }
  reasons.push(reason);
}
