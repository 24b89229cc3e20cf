import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDecision, DecisionEvaluationError, validateDecision, type ListHit } from '../../src/decision/index.js';
import { chain, customNode, edge, exprNode, graph, input } from './helpers.js';

const rules = {
  mode: 'allHits',
  rules: [
    { id: 'R1', name: 'Under age', condition: 'applicant.age < 18', score: 100, reasonCode: 'AGE', reason: '未成年', tags: ['kyc'] },
    { id: 'R2', condition: 'features.loan_apps_7d >= 5', score: 40, reasonCode: 'MULTI_APPLY' },
    { id: 'R3', condition: 'features.overdue_days > 30', score: 60, enabled: false },
    { id: 'R4', condition: 'features.device_users_7d > 3', score: 30 },
  ],
};

test('ruleSet allHits: hit list, total score and reasons; disabled rules never fire', () => {
  const d = compileDecision(chain(customNode('rs', 'ruleSet', rules)));
  const r = d.evaluate({ applicant: { age: 16 }, features: { loan_apps_7d: 6, overdue_days: 90, device_users_7d: 1 } }, { trace: true });
  const out = r.result as { hits: { id: string }[]; totalScore: number; reasons: unknown[]; hitCount: number };
  assert.deepEqual(out.hits.map((h) => h.id), ['R1', 'R2']);
  assert.equal(out.totalScore, 140);
  assert.deepEqual(out.reasons, [{ code: 'AGE', message: '未成年', score: 100 }, { code: 'MULTI_APPLY', score: 40 }]);
  assert.deepEqual(r.trace!.rs!.matched, ['R1', 'R2']);
  assert.deepEqual(d.paths, ['applicant.age', 'features.device_users_7d', 'features.loan_apps_7d', 'features.overdue_days']);
});

test('ruleSet firstHit stops at the first rule that fires; a throwing condition is listed, not fatal', () => {
  const cfg = { mode: 'firstHit', rules: [{ id: 'bad', condition: 'date("garbage") > 1', score: 1 }, ...rules.rules] };
  const out = compileDecision(chain(customNode('rs', 'ruleSet', cfg))).evaluate({ applicant: { age: 16 }, features: { loan_apps_7d: 9 } }).result as Record<string, unknown>;
  assert.deepEqual((out.hits as { id: string }[]).map((h) => h.id), ['R1']);
  assert.equal((out.errors as { id: string }[])[0]!.id, 'bad');
});

test('ruleSet config errors name the rule field', () => {
  const issues = validateDecision(chain(customNode('rs', 'ruleSet', { rules: [{ id: 'A', condition: 'x >', score: 'high' }, { id: 'A', condition: 'true' }] })));
  const fields = issues.map((i) => i.field);
  assert.ok(fields.includes('content.config.rules[0].condition'));
  assert.ok(fields.includes('content.config.rules[0].score'));
  assert.ok(issues.some((i) => /duplicate rule id 'A'/.test(i.message)));
});

const scorecard = {
  basePoints: 500,
  characteristics: [
    { id: 'age', expression: 'applicant.age', reasonCode: 'SC_AGE', bins: [{ when: '< 25', points: 10 }, { min: 25, max: 45, points: 40 }, { when: '>= 45', points: 30 }, { missing: true, points: 0 }] },
    { id: 'housing', expression: 'applicant.housing', reasonCode: 'SC_HOUSING', bins: [{ values: ['own'], points: 50 }, { values: ['rent', 'family'], points: 20 }], defaultPoints: 5 },
    { id: 'queries', expression: 'features.queries_3m', reasonCode: 'SC_QUERIES', bins: [{ max: 3, points: 30 }, { min: 3, points: 0 }] },
  ],
};

test('scorecard: bins by unary test, range, category and missing; reasons ranked by points lost', () => {
  const d = compileDecision(chain(customNode('sc', 'scorecard', scorecard)));
  const best = d.evaluate({ applicant: { age: 30, housing: 'own' }, features: { queries_3m: 0 } }).result as { score: number; reasons: unknown[] };
  assert.equal(best.score, 500 + 40 + 50 + 30);
  assert.deepEqual(best.reasons, []);
  const worse = d.evaluate({ applicant: { housing: 'boat' }, features: { queries_3m: 7 } }).result as { score: number; reasons: { code: string; score: number }[]; characteristics: { bin: string }[] };
  assert.equal(worse.score, 500 + 0 + 5 + 0);
  assert.deepEqual(worse.reasons.map((r) => [r.code, r.score]), [['SC_HOUSING', 45], ['SC_AGE', 40], ['SC_QUERIES', 30]]);
  assert.equal(worse.characteristics[0]!.bin, 'missing');
});

test('scorecard bins must have exactly one shape', () => {
  const bad = { characteristics: [{ id: 'x', expression: 'x', bins: [{ points: 1 }, { min: 5, max: 1, points: 2 }, { when: '> 1', values: [1], points: 3 }] }] };
  const issues = validateDecision(chain(customNode('sc', 'scorecard', bad)));
  assert.equal(issues.filter((i) => /exactly one/.test(i.message)).length, 2);
  assert.ok(issues.some((i) => /min \(5\) must be below max \(1\)/.test(i.message)));
});

const decisionCfg = {
  score: 'risk',
  thresholds: { review: 40, reject: 80 },
  rules: [
    { id: 'black', when: 'blacklisted == true', decision: 'reject', reason: { code: 'BLACKLIST', message: '命中黑名单' } },
    { id: 'white', when: 'whitelisted == true', decision: 'approve', override: true, reason: 'WHITELIST' },
  ],
  reasons: ['extraReasons'],
};

test('decision: thresholds map the score to approve/review/reject and low/medium/high', () => {
  const d = compileDecision(chain(customNode('dec', 'decision', decisionCfg)));
  const at = (risk: unknown, extra: Record<string, unknown> = {}) => d.evaluate({ risk, ...extra }).result as Record<string, unknown>;
  assert.deepEqual([at(10).decision, at(10).riskLevel], ['approve', 'low']);
  assert.deepEqual([at(40).decision, at(40).riskLevel], ['review', 'medium']);
  assert.deepEqual([at(95).decision, at(95).riskLevel], ['reject', 'high']);
  const flagged = at(5, { blacklisted: true, extraReasons: [{ code: 'X1' }, 'plain', { code: 'BLACKLIST' }] });
  assert.equal(flagged.decision, 'reject');
  assert.equal(flagged.riskLevel, 'high');
  assert.deepEqual(flagged.reasons, [{ code: 'BLACKLIST', message: '命中黑名单' }, { code: 'X1' }, 'plain']);
  // Strings and object codes share one list of seen codes; empty codes are dropped; objects are copied to code/message/score.
  const mixed = at(5, { blacklisted: true, extraReasons: ['BLACKLIST', 'plain', { code: 'plain', score: 3 }, '', { code: '' }, { code: 'X2', message: 5, score: 'x', extra: 1 }, 'X2', { code: 'X3', message: 'm', score: 7 }] });
  assert.deepEqual(mixed.reasons, [{ code: 'BLACKLIST', message: '命中黑名单' }, 'plain', { code: 'X2' }, { code: 'X3', message: 'm', score: 7 }]);
  assert.equal(at(95, { whitelisted: true }).decision, 'approve', 'override wins over the score');
  const noScore = at('n/a');
  assert.deepEqual([noScore.decision, noScore.score], ['review', null], 'an unusable score goes to review');
});

test('decision with higherIsSafer (a credit score) and validation of thresholds', () => {
  const d = compileDecision(chain(customNode('dec', 'decision', { score: 'sc', direction: 'higherIsSafer', thresholds: { review: 600, reject: 500 } })));
  assert.equal((d.evaluate({ sc: 720 }).result as { decision: string }).decision, 'approve');
  assert.equal((d.evaluate({ sc: 550 }).result as { decision: string }).decision, 'review');
  assert.equal((d.evaluate({ sc: 450 }).result as { decision: string }).decision, 'reject');
  const issues = validateDecision(chain(customNode('dec', 'decision', { score: 'sc', thresholds: { review: 90, reject: 10 } })));
  assert.match(issues[0]!.message, /must not exceed/);
});

test('abSplit: stable branch per subject, weights respected, routes like a switch', () => {
  const g = graph(
    [input(), customNode('ab', 'abSplit', { field: 'userId', salt: 'exp1', branches: [{ id: 'champion', weight: 80 }, { id: 'challenger', weight: 20 }] }), exprNode('c1', [['strategy', '"champion"']]), exprNode('c2', [['strategy', '"challenger"']])],
    [edge('in', 'ab'), edge('ab', 'c1', 'champion'), edge('ab', 'c2', 'challenger')],
  );
  const d = compileDecision(g);
  const counts: Record<string, number> = { champion: 0, challenger: 0 };
  for (let i = 0; i < 4000; i++) {
    const r = d.evaluate({ userId: `u${i}` }).result as { strategy: string };
    counts[r.strategy]!++;
    if (i < 50) assert.deepEqual(d.evaluate({ userId: `u${i}` }).result, r, 'same subject, same branch');
  }
  assert.ok(counts.challenger! > 600 && counts.challenger! < 1000, `challenger share ${counts.challenger}/4000`);
  assert.deepEqual(d.evaluate({}).result, { strategy: 'champion' }, 'no subject: champion');
  const issues = validateDecision(graph(g.nodes, [...g.edges, edge('ab', 'c2', 'ghost')]));
  assert.ok(issues.some((i) => /not a branch/.test(i.message)));
});

const hits: Record<string, ListHit[]> = { 'phone:13800000000': [{ listId: 'fraud_phones', kind: 'black', reason: 'confirmed fraud' }], 'deviceId:d-1': [{ listId: 'vip_devices', kind: 'white' }] };
const lists = { lookup: (dimension: string, value: string) => hits[`${dimension}:${value}`] ?? [] };

test('list: host lookups per dimension, masked values in the output; needs a ListLookup', () => {
  const node = customNode('ls', 'list', { checks: [{ dimension: 'phone', value: 'subject.phone' }, { dimension: 'deviceId', value: 'subject.deviceId' }] });
  const d = compileDecision(chain(node), { lists });
  const out = d.evaluate({ subject: { phone: '13800000000', deviceId: 'd-1' } }).result as { black: boolean; white: boolean; hits: { value: string; listId: string }[] };
  assert.equal(out.black, true);
  assert.equal(out.white, true);
  assert.deepEqual(out.hits.map((h) => [h.listId, h.value]), [['fraud_phones', '138****0000'], ['vip_devices', 'd-1']]);
  assert.match(validateDecision(chain(node))[0]!.message, /needs name lists/);
});

test('model: host prediction with named features; host failure fails the evaluation', () => {
  const models = {
    predict(id: string, version: number | undefined, f: Record<string, unknown>) {
      if (id !== 'credit_lr') throw new Error(`unknown model ${id}`);
      return { score: Number(f.income) / 100000, reasons: [{ feature: 'income', contribution: 0.1 }] };
    },
  };
  const ok = compileDecision(chain(customNode('m', 'model', { modelId: 'credit_lr', version: 2, features: { income: 'applicant.income' } })), { models });
  assert.deepEqual(ok.evaluate({ applicant: { income: 50000 } }).result, { modelId: 'credit_lr', version: 2, score: 0.5, reasons: [{ feature: 'income', contribution: 0.1 }] });
  const missing = compileDecision(chain(customNode('m', 'model', { modelId: 'nope', features: 'applicant' })), { models });
  assert.throws(() => missing.evaluate({ applicant: {} }), (err: unknown) => err instanceof DecisionEvaluationError && /unknown model nope/.test(err.message));
  assert.match(validateDecision(chain(customNode('m', 'model', { modelId: 'x', features: {} })))[0]!.message, /needs a model host/);
});

test('custom node kinds can be registered by the host', () => {
  const g = chain(customNode('k', 'double', { field: 'n' }));
  const d = compileDecision(g, {
    customNodes: {
      double: (config) => ({ paths: ['n'], evaluate: (inp) => ({ output: { n2: Number(inp[(config as { field: string }).field]) * 2 } }) }),
    },
  });
  assert.deepEqual(d.evaluate({ n: 21 }).result, { n2: 42 });
});
