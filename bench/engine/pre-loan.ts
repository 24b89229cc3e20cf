// The pre-loan (贷前) strategy used by the engine benchmark, defined once as data and rendered three ways:
// as a Xiezhi graph with risk nodes (bench/engine/pre-loan-strategy.json, also an example template), as a plain
// ZEN graph (tables and expressions), and as json-rules-engine rules plus the glue a JRE user would write.
// Regenerate the JSON after editing: npx tsx bench/engine/pre-loan.ts --write
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/core/random.js';

type Op = '>' | '>=' | '<' | '<=' | '==' | '!=' | 'in';
interface RuleDef {
  id: string;
  name: string;
  fact: string;
  op: Op;
  value: unknown;
  score: number;
  code: string;
}

const r = (id: string, name: string, fact: string, op: Op, value: unknown, score: number, code: string): RuleDef => ({ id, name, fact, op, value, score, code });

/** 50 pre-loan rules: identity, multi-lending, credit history, device/network, behaviour, affordability. */
export const RULES: RuleDef[] = [
  r('R001', '申请人未满18岁 / applicant under 18', 'applicant.age', '<', 18, 100, 'AGE_UNDER_18'),
  r('R002', '申请人超过60岁 / applicant over 60', 'applicant.age', '>', 60, 40, 'AGE_OVER_60'),
  r('R003', '命中欺诈黑名单 / fraud blacklist hit', 'features.blacklist_hit', '==', true, 100, 'BLACKLIST'),
  r('R004', '身份证与手机号不一致 / ID and phone mismatch', 'features.id_phone_mismatch', '==', true, 60, 'ID_PHONE_MISMATCH'),
  r('R005', '人脸比对分低 / low face match score', 'features.face_score', '<', 0.6, 80, 'FACE_LOW'),
  r('R006', '模拟器设备 / emulator device', 'features.emulator', '==', true, 100, 'EMULATOR'),
  r('R007', '使用代理或VPN / proxy or VPN', 'features.vpn', '==', true, 20, 'VPN'),
  r('R008', '设备7天关联多用户 / device shared by many users (7d)', 'features.device_users_7d', '>=', 3, 50, 'DEVICE_SHARED'),
  r('R009', '设备24小时多次申请 / device applied often (24h)', 'features.device_apps_24h', '>=', 3, 30, 'DEVICE_VELOCITY'),
  r('R010', 'IP一天关联多用户 / IP shared by many users (1d)', 'features.ip_users_1d', '>=', 5, 30, 'IP_SHARED'),
  r('R011', 'IP一小时多次申请 / IP applied often (1h)', 'features.ip_apps_1h', '>=', 4, 25, 'IP_VELOCITY'),
  r('R012', 'GPS与户籍省份不一致 / GPS province mismatch', 'features.gps_province_mismatch', '==', true, 10, 'GPS_MISMATCH'),
  r('R013', '深夜申请 / night-time application', 'features.night_apply', '==', true, 5, 'NIGHT_APPLY'),
  r('R014', '申请填写过快 / form filled too fast', 'features.apply_duration_sec', '<', 30, 20, 'FAST_FORM'),
  r('R015', '手机号在网时长短 / new phone number', 'features.phone_age_months', '<', 6, 30, 'PHONE_NEW'),
  r('R016', '通讯录联系人过少 / too few contacts', 'features.contacts_count', '<', 20, 15, 'FEW_CONTACTS'),
  r('R017', '联系人逾期比例高 / contacts often overdue', 'features.contacts_overdue_ratio', '>', 0.2, 40, 'CONTACTS_OVERDUE'),
  r('R018', '近1月征信查询多 / many credit queries (1m)', 'features.credit_queries_1m', '>=', 4, 25, 'QUERIES_1M'),
  r('R019', '近3月征信查询多 / many credit queries (3m)', 'features.credit_queries_3m', '>=', 8, 25, 'QUERIES_3M'),
  r('R020', '近7天多头申请 / multi-lending (7d)', 'features.loan_apps_7d', '>=', 3, 40, 'MULTI_APPLY_7D'),
  r('R021', '近30天多头申请 / multi-lending (30d)', 'features.loan_apps_30d', '>=', 6, 30, 'MULTI_APPLY_30D'),
  r('R022', '近7天申请机构多 / many lenders (7d)', 'features.platforms_7d', '>=', 3, 30, 'PLATFORMS_7D'),
  r('R023', '近30天申请机构多 / many lenders (30d)', 'features.platforms_30d', '>=', 5, 25, 'PLATFORMS_30D'),
  r('R024', '当前逾期 / currently overdue', 'features.current_overdue_amount', '>', 0, 100, 'CURRENT_OVERDUE'),
  r('R025', '近12月最大逾期超90天 / 90+ days overdue (12m)', 'features.overdue_max_days_12m', '>', 90, 100, 'OVERDUE_M3'),
  r('R026', '近12月最大逾期超30天 / 30+ days overdue (12m)', 'features.overdue_max_days_12m', '>', 30, 50, 'OVERDUE_M1'),
  r('R027', '近12月逾期次数多 / frequent overdue (12m)', 'features.overdue_count_12m', '>=', 3, 40, 'OVERDUE_FREQ'),
  r('R028', '负债收入比过高 / debt-to-income too high', 'features.debt_to_income', '>', 0.7, 50, 'DTI_HIGH'),
  r('R029', '负债收入比偏高 / debt-to-income elevated', 'features.debt_to_income', '>', 0.5, 20, 'DTI_ELEVATED'),
  r('R030', '信用卡使用率过高 / card utilisation too high', 'features.card_utilization', '>', 0.9, 30, 'CARD_UTIL_HIGH'),
  r('R031', '涉诉案件 / court cases', 'features.court_cases', '>', 0, 60, 'COURT_CASES'),
  r('R032', '征信历史过短 / thin credit file', 'features.credit_history_months', '<', 6, 20, 'THIN_FILE'),
  r('R033', '收入未核验 / income not verified', 'features.income_verified', '==', false, 10, 'INCOME_UNVERIFIED'),
  r('R034', '单位在黑名单 / employer on blacklist', 'features.employer_blacklist', '==', true, 60, 'EMPLOYER_BLACKLIST'),
  r('R035', '月收入过低 / monthly income too low', 'applicant.monthlyIncome', '<', 2000, 60, 'INCOME_LOW'),
  r('R036', '工作时长过短 / employed under 3 months', 'applicant.employmentMonths', '<', 3, 30, 'JOB_NEW'),
  r('R037', '申请金额过高 / amount too high', 'applicant.loanAmount', '>', 200000, 40, 'AMOUNT_HIGH'),
  r('R038', '期限过长 / term too long', 'applicant.loanTermMonths', '>', 36, 15, 'TERM_LONG'),
  r('R039', '高风险地区 / high-risk region', 'applicant.province', 'in', ['XX', 'YY'], 30, 'REGION_RISK'),
  r('R040', '用途为投资 / purpose is investment', 'applicant.purpose', '==', 'investment', 40, 'PURPOSE_INVEST'),
  r('R041', '用途未知 / purpose unknown', 'applicant.purpose', '==', 'unknown', 20, 'PURPOSE_UNKNOWN'),
  r('R042', '近1月查询较多 / several queries (1m)', 'features.credit_queries_1m', '>=', 2, 5, 'QUERIES_1M_SOME'),
  r('R043', '近30天多头较多 / several applications (30d)', 'features.loan_apps_30d', '>=', 3, 10, 'MULTI_APPLY_30D_SOME'),
  r('R044', '设备关联两人 / device shared by two', 'features.device_users_7d', '==', 2, 10, 'DEVICE_TWO'),
  r('R045', '近12月有逾期 / any overdue (12m)', 'features.overdue_count_12m', '>=', 1, 10, 'OVERDUE_ANY'),
  r('R046', '信用卡使用率偏高 / card utilisation elevated', 'features.card_utilization', '>', 0.7, 10, 'CARD_UTIL_ELEVATED'),
  r('R047', '手机号在网一年内 / phone under a year', 'features.phone_age_months', '<', 12, 5, 'PHONE_YOUNG'),
  r('R048', '人脸比对分偏低 / face match borderline', 'features.face_score', '<', 0.75, 15, 'FACE_BORDERLINE'),
  r('R049', '无学历信息 / no education', 'applicant.education', '==', 'none', 10, 'EDU_NONE'),
  r('R050', '申请金额超月收入20倍 / amount over 20× income', 'features.amount_to_income', '>', 20, 30, 'AMOUNT_TO_INCOME'),
];

interface Bin {
  min?: number;
  max?: number;
  values?: string[];
  points: number;
}
interface CharDef {
  id: string;
  fact: string;
  code: string;
  bins: Bin[];
}

export const BASE_POINTS = 500;
/** 10 characteristics; numeric bins are half-open [min, max). */
export const CHARACTERISTICS: CharDef[] = [
  { id: 'age', fact: 'applicant.age', code: 'SC_AGE', bins: [{ max: 25, points: 10 }, { min: 25, max: 35, points: 25 }, { min: 35, max: 50, points: 35 }, { min: 50, points: 20 }] },
  { id: 'income', fact: 'applicant.monthlyIncome', code: 'SC_INCOME', bins: [{ max: 5000, points: 5 }, { min: 5000, max: 10000, points: 20 }, { min: 10000, max: 20000, points: 35 }, { min: 20000, points: 45 }] },
  { id: 'employment', fact: 'applicant.employmentMonths', code: 'SC_EMPLOYMENT', bins: [{ max: 12, points: 5 }, { min: 12, max: 36, points: 20 }, { min: 36, points: 30 }] },
  { id: 'education', fact: 'applicant.education', code: 'SC_EDUCATION', bins: [{ values: ['master', 'phd'], points: 30 }, { values: ['bachelor'], points: 22 }, { values: ['college'], points: 12 }, { values: ['highschool', 'none'], points: 5 }] },
  { id: 'housing', fact: 'applicant.housing', code: 'SC_HOUSING', bins: [{ values: ['own'], points: 30 }, { values: ['mortgage'], points: 22 }, { values: ['rent', 'family'], points: 10 }] },
  { id: 'history', fact: 'features.credit_history_months', code: 'SC_HISTORY', bins: [{ max: 12, points: 5 }, { min: 12, max: 48, points: 20 }, { min: 48, points: 35 }] },
  { id: 'queries', fact: 'features.credit_queries_3m', code: 'SC_QUERIES', bins: [{ max: 2, points: 30 }, { min: 2, max: 5, points: 15 }, { min: 5, points: 0 }] },
  { id: 'utilization', fact: 'features.card_utilization', code: 'SC_UTILIZATION', bins: [{ max: 0.3, points: 30 }, { min: 0.3, max: 0.7, points: 15 }, { min: 0.7, points: 0 }] },
  { id: 'overdue', fact: 'features.overdue_count_12m', code: 'SC_OVERDUE', bins: [{ max: 1, points: 40 }, { min: 1, max: 3, points: 15 }, { min: 3, points: 0 }] },
  { id: 'dti', fact: 'features.debt_to_income', code: 'SC_DTI', bins: [{ max: 0.3, points: 30 }, { min: 0.3, max: 0.5, points: 18 }, { min: 0.5, points: 0 }] },
];

const SCORE_BANDS = [
  { cell: '>= 760', min: 760, limit: 1.0, apr: 0.12 },
  { cell: '[720..760)', min: 720, limit: 0.8, apr: 0.15 },
  { cell: '[680..720)', min: 680, limit: 0.6, apr: 0.18 },
  { cell: '[640..680)', min: 640, limit: 0.4, apr: 0.21 },
  { cell: '< 640', min: -Infinity, limit: 0.2, apr: 0.24 },
];
const INCOME_BANDS = [
  { cell: '>= 20000', min: 20000, base: 200000 },
  { cell: '[10000..20000)', min: 10000, base: 100000 },
  { cell: '[5000..10000)', min: 5000, base: 50000 },
  { cell: '< 5000', min: -Infinity, base: 20000 },
];
/** 20-row first-hit offer table: score band × income band → credit limit and APR. */
export const OFFER_ROWS = SCORE_BANDS.flatMap((s) => INCOME_BANDS.map((i) => ({ scoreCell: s.cell, scoreMin: s.min, incomeCell: i.cell, incomeMin: i.min, limit: Math.round(i.base * s.limit), apr: s.apr })));

export const SCORE_ANCHOR = 700;
export const REVIEW_AT = 50;
export const REJECT_AT = 100;
/** Risk score: rule points plus the scorecard's shortfall under the anchor. */
export const RISK_EXPRESSION = `rules.totalScore + (scorecard.score < ${SCORE_ANCHOR} ? ${SCORE_ANCHOR} - scorecard.score : 0)`;
/** Any single rule worth 100 points is a hard reject. */
export const HARD_REJECT = 'some(rules.hits, #.score >= 100)';

function condition(d: RuleDef): string {
  return `${d.fact} ${d.op} ${JSON.stringify(d.value)}`;
}

const pos = (x: number, y: number) => ({ x, y });

const tableContent = (extra: Record<string, unknown>) => ({
  hitPolicy: 'first',
  inputs: [
    { id: 'score', name: 'Scorecard score', field: 'scorecard.score' },
    { id: 'income', name: 'Monthly income', field: 'applicant.monthlyIncome' },
  ],
  outputs: [
    { id: 'limit', name: 'Limit', field: 'offer.limit' },
    { id: 'apr', name: 'APR', field: 'offer.apr' },
  ],
  rules: OFFER_ROWS.map((o, i) => ({ _id: `T${String(i + 1).padStart(2, '0')}`, score: o.scoreCell, income: o.incomeCell, limit: String(o.limit), apr: String(o.apr) })),
  ...extra,
});

/** The Xiezhi strategy: ruleSet → scorecard → offer table → decision → response. */
export function xiezhiStrategy(): Record<string, unknown> {
  return {
    contentType: 'application/vnd.gorules.decision',
    name: 'pre-loan strategy (贷前策略) — benchmark and example template',
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request', position: pos(0, 200) },
      {
        id: 'rules',
        type: 'customNode',
        name: 'pre-loan rules',
        position: pos(250, 200),
        content: {
          kind: 'ruleSet',
          passThrough: true,
          outputPath: 'rules',
          config: { mode: 'allHits', rules: RULES.map((d) => ({ id: d.id, name: d.name, condition: condition(d), score: d.score, reasonCode: d.code, tags: d.score >= 100 ? ['hard'] : [], enabled: true })) },
        },
      },
      {
        id: 'scorecard',
        type: 'customNode',
        name: 'application scorecard',
        position: pos(500, 200),
        content: {
          kind: 'scorecard',
          passThrough: true,
          outputPath: 'scorecard',
          config: {
            basePoints: BASE_POINTS,
            maxReasons: 4,
            characteristics: CHARACTERISTICS.map((c) => ({ id: c.id, expression: c.fact, reasonCode: c.code, bins: [...c.bins.map((b) => ({ ...b })), { missing: true, points: 0 }] })),
          },
        },
      },
      { id: 'offer', type: 'decisionTableNode', name: 'offer table', position: pos(750, 200), content: tableContent({ passThrough: true }) },
      {
        id: 'decision',
        type: 'customNode',
        name: 'decision',
        position: pos(1000, 200),
        content: {
          kind: 'decision',
          passThrough: true,
          outputPath: 'verdict',
          config: {
            score: RISK_EXPRESSION,
            thresholds: { review: REVIEW_AT, reject: REJECT_AT },
            rules: [{ id: 'hard', when: HARD_REJECT, decision: 'reject', reason: { code: 'HARD_RULE', message: '命中强拒规则 / hard-reject rule hit' } }],
            reasons: ['rules.reasons', 'scorecard.reasons'],
          },
        },
      },
      {
        id: 'response',
        type: 'expressionNode',
        name: 'response',
        position: pos(1250, 200),
        content: {
          expressions: [
            { id: 'x1', key: 'decision', value: 'verdict.decision' },
            { id: 'x2', key: 'score', value: 'verdict.score' },
            { id: 'x3', key: 'riskLevel', value: 'verdict.riskLevel' },
            { id: 'x4', key: 'reasons', value: 'verdict.reasons' },
            { id: 'x5', key: 'offer', value: "verdict.decision == 'reject' ? null : offer" },
          ],
        },
      },
      { id: 'out', type: 'outputNode', name: 'response', position: pos(1500, 200) },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'rules' },
      { id: 'e2', sourceId: 'rules', targetId: 'scorecard' },
      { id: 'e3', sourceId: 'scorecard', targetId: 'offer' },
      { id: 'e4', sourceId: 'offer', targetId: 'decision' },
      { id: 'e5', sourceId: 'decision', targetId: 'response' },
      { id: 'e6', sourceId: 'response', targetId: 'out' },
    ],
  };
}

function binExpression(c: CharDef): string {
  const v = c.fact;
  let out = '0';
  for (let i = c.bins.length - 1; i >= 0; i--) {
    const b = c.bins[i]!;
    const test = b.values
      ? `${v} in ${JSON.stringify(b.values)}`
      : [b.min !== undefined ? `${v} >= ${b.min}` : '', b.max !== undefined ? `${v} < ${b.max}` : ''].filter(Boolean).join(' and ');
    out = `(${test}) ? ${b.points} : ${out}`;
  }
  return `${v} == null ? 0 : ${out}`;
}

/** The same strategy for ZEN with what it has: a collect table for the rules, expressions for the rest. */
export function zenStrategy(): Record<string, unknown> {
  const ruleTable = {
    hitPolicy: 'collect',
    inputs: [{ id: 'cond', name: 'Condition' }],
    outputs: [
      { id: 'id', name: 'Rule', field: 'id' },
      { id: 'score', name: 'Score', field: 'score' },
      { id: 'code', name: 'Reason', field: 'code' },
    ],
    rules: RULES.map((d) => ({ _id: d.id, cond: condition(d), id: JSON.stringify(d.id), score: String(d.score), code: JSON.stringify(d.code) })),
    passThrough: true,
    outputPath: 'ruleHits',
  };
  const scoreExprs = [
    { id: 's0', key: 'rules.totalScore', value: 'sum(map(ruleHits, #.score))' },
    { id: 's1', key: 'rules.hits', value: 'ruleHits' },
    ...CHARACTERISTICS.map((c, i) => ({ id: `c${i}`, key: `points.${c.id}`, value: binExpression(c) })),
    { id: 'sum', key: 'scorecard.score', value: `${BASE_POINTS} + ${CHARACTERISTICS.map((c) => `$.points.${c.id}`).join(' + ')}` },
  ];
  const verdict = [
    { id: 'v1', key: 'score', value: RISK_EXPRESSION },
    { id: 'v2', key: 'decision', value: `${HARD_REJECT} or $.score >= ${REJECT_AT} ? 'reject' : $.score >= ${REVIEW_AT} ? 'review' : 'approve'` },
    { id: 'v3', key: 'riskLevel', value: `$.decision == 'reject' ? 'high' : $.decision == 'review' ? 'medium' : 'low'` },
    { id: 'v4', key: 'reasons', value: 'map(rules.hits, #.code)' },
    { id: 'v5', key: 'offer', value: "$.decision == 'reject' ? null : offer" },
  ];
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request' },
      { id: 'rules', type: 'decisionTableNode', name: 'rules', content: ruleTable },
      { id: 'scorecard', type: 'expressionNode', name: 'scorecard', content: { expressions: scoreExprs, passThrough: true } },
      { id: 'offer', type: 'decisionTableNode', name: 'offer', content: tableContent({ passThrough: true }) },
      { id: 'verdict', type: 'expressionNode', name: 'verdict', content: { expressions: verdict } },
      { id: 'out', type: 'outputNode', name: 'response' },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'rules' },
      { id: 'e2', sourceId: 'rules', targetId: 'scorecard' },
      { id: 'e3', sourceId: 'scorecard', targetId: 'offer' },
      { id: 'e4', sourceId: 'offer', targetId: 'verdict' },
      { id: 'e5', sourceId: 'verdict', targetId: 'out' },
    ],
  };
}

const JRE_OPS: Record<Op, string> = { '>': 'greaterThan', '>=': 'greaterThanInclusive', '<': 'lessThan', '<=': 'lessThanInclusive', '==': 'equal', '!=': 'notEqual', in: 'in' };

function jreCondition(fact: string, op: Op, value: unknown) {
  const [root, ...rest] = fact.split('.');
  return { fact: root!, path: `$.${rest.join('.')}`, operator: JRE_OPS[op], value };
}

/** json-rules-engine: rule and scorecard-bin rules (first engine), offer rules by priority (second engine). */
export function jreRules(): { scoring: object[]; offer: object[] } {
  const scoring: object[] = RULES.map((d) => ({ name: d.id, conditions: { all: [jreCondition(d.fact, d.op, d.value)] }, event: { type: 'rule', params: { id: d.id, score: d.score, code: d.code } } }));
  for (const c of CHARACTERISTICS) {
    for (const b of c.bins) {
      const all = b.values ? [jreCondition(c.fact, 'in', b.values)] : [...(b.min !== undefined ? [jreCondition(c.fact, '>=', b.min)] : []), ...(b.max !== undefined ? [jreCondition(c.fact, '<', b.max)] : [])];
      scoring.push({ name: `${c.id}:${JSON.stringify(b)}`, conditions: { all }, event: { type: 'bin', params: { id: c.id, points: b.points } } });
    }
  }
  const offer = OFFER_ROWS.map((o, i) => ({
    name: `T${i + 1}`,
    priority: 100 - i,
    conditions: { all: [...(Number.isFinite(o.scoreMin) ? [{ fact: 'score', operator: 'greaterThanInclusive', value: o.scoreMin }] : []), ...(Number.isFinite(o.incomeMin) ? [{ fact: 'income', operator: 'greaterThanInclusive', value: o.incomeMin }] : [])] },
    event: { type: 'offer', params: { limit: o.limit, apr: o.apr } },
  }));
  return { scoring, offer };
}

/** Deterministic sample applicants (mulberry32), mostly ordinary, some risky. */
export function sampleInputs(n: number, seed = 42): Record<string, unknown>[] {
  const rnd = seededRandom(seed);
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const rare = (p: number) => rnd() < p;
  const out: Record<string, unknown>[] = [];
  // Most applicants are ordinary; each risk signal shows up in a few percent of cases.
  const mostly = (p: number, usual: () => number, risky: () => number) => (rare(p) ? risky() : usual());
  for (let i = 0; i < n; i++) {
    const income = int(3000, 40000);
    const amount = Math.round((income * int(1, 12)) / 1000) * 1000 + 1000;
    out.push({
      applicant: {
        age: mostly(0.03, () => int(22, 58), () => pick([17, 63])),
        monthlyIncome: rare(0.03) ? 1800 : income,
        employmentMonths: mostly(0.05, () => int(6, 120), () => int(0, 2)),
        loanAmount: amount,
        loanTermMonths: pick([6, 12, 12, 24, 36, 48]),
        education: pick(['highschool', 'college', 'bachelor', 'bachelor', 'master', 'phd', 'none']),
        housing: pick(['own', 'mortgage', 'rent', 'family']),
        province: rare(0.02) ? 'XX' : pick(['GD', 'ZJ', 'JS', 'BJ', 'SH', 'SC']),
        purpose: rare(0.05) ? pick(['investment', 'unknown']) : pick(['consumption', 'education', 'travel']),
      },
      features: {
        blacklist_hit: rare(0.01),
        id_phone_mismatch: rare(0.01),
        face_score: mostly(0.03, () => Math.round((0.8 + rnd() * 0.2) * 100) / 100, () => 0.55),
        emulator: rare(0.005),
        vpn: rare(0.03),
        device_users_7d: mostly(0.04, () => 1, () => int(2, 5)),
        device_apps_24h: mostly(0.03, () => int(0, 1), () => int(3, 6)),
        ip_users_1d: mostly(0.03, () => int(1, 2), () => int(5, 9)),
        ip_apps_1h: mostly(0.03, () => int(0, 1), () => int(4, 8)),
        gps_province_mismatch: rare(0.05),
        night_apply: rare(0.08),
        apply_duration_sec: mostly(0.03, () => int(60, 600), () => int(5, 25)),
        phone_age_months: mostly(0.05, () => int(12, 120), () => int(1, 5)),
        contacts_count: mostly(0.03, () => int(30, 500), () => int(3, 15)),
        contacts_overdue_ratio: mostly(0.03, () => Math.round(rnd() * 0.1 * 100) / 100, () => 0.3),
        credit_queries_1m: mostly(0.05, () => int(0, 1), () => int(4, 7)),
        credit_queries_3m: mostly(0.05, () => int(0, 4), () => int(8, 14)),
        loan_apps_7d: mostly(0.04, () => int(0, 1), () => int(3, 6)),
        loan_apps_30d: mostly(0.05, () => int(0, 2), () => int(6, 10)),
        platforms_7d: mostly(0.03, () => int(0, 1), () => int(3, 5)),
        platforms_30d: mostly(0.03, () => int(0, 2), () => int(5, 8)),
        current_overdue_amount: rare(0.02) ? int(100, 5000) : 0,
        overdue_max_days_12m: rare(0.06) ? int(1, 120) : 0,
        overdue_count_12m: rare(0.08) ? int(1, 4) : 0,
        debt_to_income: mostly(0.05, () => Math.round((0.05 + rnd() * 0.4) * 100) / 100, () => 0.75),
        card_utilization: mostly(0.05, () => Math.round(rnd() * 0.6 * 100) / 100, () => 0.95),
        court_cases: rare(0.01) ? 1 : 0,
        credit_history_months: mostly(0.05, () => int(12, 120), () => int(0, 5)),
        income_verified: !rare(0.1),
        employer_blacklist: rare(0.005),
        amount_to_income: Math.round((amount / income) * 10) / 10,
      },
    });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  const target = new URL('./pre-loan-strategy.json', import.meta.url);
  const strategy = { ...xiezhiStrategy(), tests: [] as unknown[] };
  writeFileSync(target, `${JSON.stringify(strategy, null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(target)}`);
}
