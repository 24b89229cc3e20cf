// Classification, indicators, features and the default risk strategy on hand-made transactions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Classifier } from '../../src/statements/classify.js';
import { IndicatorState } from '../../src/statements/indicators.js';
import { statementFeatures } from '../../src/statements/features.js';
import { evaluateRisk, defaultRiskStrategy } from '../../src/statements/risk.js';
import { compileDecision } from '../../src/decision/index.js';
import { parseFen, fenToYuan } from '../../src/statements/money.js';
import { parseBeijingTime, excelSerialToEpoch, epochToExcelSerial } from '../../src/statements/time.js';
import type { Transaction } from '../../src/statements/types.js';

const T0 = Date.parse('2026-01-01T10:00:00+08:00');
const DAY = 86_400_000;
let seq = 0;
function tx(over: Partial<Transaction>): Transaction {
  return {
    source: 'alipay', time: T0, direction: 'out', amount: 1000, counterparty: '美团', counterpartyAccount: '', item: '外卖',
    platformCategory: '', method: '余额', status: '交易成功', orderId: `o${seq++}`, merchantOrderId: '', note: '', ...over,
  };
}
const run = (txs: Transaction[]) => {
  const s = new IndicatorState();
  for (const t of txs) s.add(t);
  return s.finish();
};

test('money is parsed digit by digit into fen, never drifting', () => {
  assert.equal(parseFen('¥28.16'), 2816);
  assert.equal(parseFen('￥1,234.56'), 123456);
  assert.equal(parseFen(' 50.0 '), 5000);
  assert.equal(parseFen('-5'), -500);
  assert.equal(parseFen(0.1 + 0.2), 30);
  assert.ok(Number.isNaN(parseFen('abc')));
  assert.ok(Number.isNaN(parseFen('')));
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += parseFen('0.10');
  assert.equal(fenToYuan(sum), '100.00');
});

test('times are Beijing wall clock; Excel serials round-trip to the second', () => {
  assert.equal(parseBeijingTime('2023-02-12 21:32:14'), Date.parse('2023-02-12T13:32:14Z'));
  assert.equal(parseBeijingTime('2023/2/1 8:05'), Date.parse('2023-02-01T00:05:00Z'));
  assert.ok(Number.isNaN(parseBeijingTime('not a time')));
  const t = Date.parse('2025-07-09T05:25:22Z');
  assert.equal(excelSerialToEpoch(epochToExcelSerial(t)), t);
});

test('classifier: keyword tables for lenders, salary, cards, gambling, games, refunds', () => {
  const c = new Classifier();
  assert.deepEqual(c.classify(tx({ direction: 'in', counterparty: '蚂蚁借呗', item: '借呗放款' })), { category: 'lending_in', lender: '蚂蚁借呗' });
  assert.deepEqual(c.classify(tx({ counterparty: '京东金条', item: '金条还款' })), { category: 'lending_repay', lender: '京东金条' });
  assert.equal(c.classify(tx({ direction: 'in', counterparty: '某公司', item: '代发工资' })).category, 'salary');
  assert.equal(c.classify(tx({ direction: 'neutral', item: '信用卡还款' })).category, 'credit_card_repay');
  assert.equal(c.classify(tx({ counterparty: '某娱乐', item: '百家乐充值' })).category, 'gambling');
  assert.equal(c.classify(tx({ counterparty: '腾讯游戏', item: '王者荣耀点券' })).category, 'game');
  assert.equal(c.classify(tx({ counterparty: '抖音', item: '抖币充值' })).category, 'live_tip');
  assert.equal(c.classify(tx({ direction: 'neutral', item: '退款-外卖' })).category, 'refund');
  assert.equal(c.classify(tx({ counterparty: 'OKX', item: 'USDT 购买' })).category, 'crypto');
  assert.equal(c.classify(tx({})).category, 'consumption');
  assert.equal(c.channel('交通银行信用卡(7449)'), 'credit');
  assert.equal(c.channel('招商银行储蓄卡(6621)'), 'debit');
  assert.equal(c.channel('花呗'), 'credit_line');
  assert.equal(c.channel('零钱'), 'wallet');
});

test('salary: same payer, steady amount and day → detected; income stability and concentration', () => {
  const txs: Transaction[] = [];
  for (let m = 0; m < 6; m++) {
    txs.push(tx({ time: Date.parse(`2026-0${m + 1}-10T09:00:00+08:00`), direction: 'in', amount: 1_200_000 + m * 100, counterparty: '上海某科技有限公司', item: '工资' }));
    txs.push(tx({ time: Date.parse(`2026-0${m + 1}-15T19:00:00+08:00`), amount: 300_000 }));
  }
  const ind = run(txs);
  assert.equal(ind.income.salary.detected, true);
  assert.equal(ind.income.salary.payer, '上海某科技有限公司');
  assert.equal(ind.income.salary.dayOfMonth, 10);
  assert.equal(ind.income.monthsWithIncome, 6);
  assert.ok(ind.income.cv < 0.01);
  assert.equal(ind.income.top1Share, 1);
  assert.equal(ind.spending.monthlyAvg, 300_000);
  assert.equal(ind.spending.incomeExpenseRatio, 4.001);
  assert.equal(ind.monthly.length, 6);
});

test('credit: 多头 platforms, new in 90 days, repayments ÷ income, 以贷养贷', () => {
  const txs = [
    tx({ time: T0, direction: 'in', amount: 1_000_000, counterparty: '某公司', item: '工资' }),
    tx({ time: T0 + 1 * DAY, direction: 'in', amount: 500_000, counterparty: '微粒贷', item: '微粒贷借款' }),
    tx({ time: T0 + 2 * DAY, amount: 480_000, counterparty: '蚂蚁借呗', item: '借呗还款' }),
    tx({ time: T0 + 3 * DAY, direction: 'in', amount: 300_000, counterparty: '分期乐', item: '分期乐放款' }),
    tx({ time: T0 + 20 * DAY, amount: 100_000, counterparty: '招联金融', item: '招联还款' }),
  ];
  const ind = run(txs);
  assert.equal(ind.credit.platformCount, 4);
  assert.equal(ind.credit.newPlatforms90d, 4);
  assert.equal(ind.credit.lenderInflow, 800_000);
  assert.equal(ind.credit.repayments, 580_000);
  assert.equal(ind.credit.repaymentToIncome, 0.58);
  assert.equal(ind.credit.loanToRepayCount, 1, 'borrowed from 微粒贷, repaid 借呗 the next day');
  assert.equal(ind.income.total, 1_000_000, 'loans are not income');
});

test('fast in-out is found whether rows come oldest-first or newest-first', () => {
  const txs = [
    tx({ time: T0, direction: 'in', amount: 1_000_000, counterparty: '张三', item: '转账' }),
    tx({ time: T0 + 3_600_000, amount: 500_000, counterparty: '李四', item: '转账' }),
    tx({ time: T0 + 7_200_000, amount: 450_000, counterparty: '王五', item: '转账' }),
    tx({ time: T0 + 3 * DAY, direction: 'in', amount: 1_000_000, counterparty: '张三', item: '转账' }),
    tx({ time: T0 + 5 * DAY, amount: 100_000, counterparty: '王五', item: '转账' }),
  ];
  assert.equal(run(txs).suspicious.fastInOut.count, 1);
  assert.equal(run([...txs].reverse()).suspicious.fastInOut.count, 1);
});

test('suspicious: gambling, small-inflow bursts (跑分), round trips, round amounts, night transfers', () => {
  const txs: Transaction[] = [];
  for (let i = 0; i < 25; i++) txs.push(tx({ time: T0 + i * 60_000, direction: 'in', amount: 5000 + i, counterparty: `用户${i}`, item: '二维码收款' }));
  txs.push(tx({ time: T0 + DAY, amount: 2_000_000, counterparty: '澳门某娱乐', item: '百家乐' }));
  txs.push(tx({ time: T0 + 2 * DAY, direction: 'in', amount: 3_000_000, counterparty: '赵六', item: '转账' }));
  txs.push(tx({ time: T0 + 9 * DAY, amount: 3_000_000, counterparty: '赵六', item: '转账' }));
  txs.push(tx({ time: Date.parse('2026-01-20T02:00:00+08:00'), amount: 800_000, counterparty: '钱七', item: '转账' }));
  const ind = run(txs);
  assert.equal(ind.suspicious.smallInflowBursts.days, 1);
  assert.equal(ind.suspicious.gambling.count, 1);
  assert.equal(ind.suspicious.roundTrips.counterparties, 1);
  assert.equal(ind.suspicious.roundAmounts.count, 4);
  assert.equal(ind.suspicious.nightLarge.count, 1);
  assert.ok(ind.flagged.some((f) => f.reasons.includes('GAMBLING')));
  assert.ok(ind.spending.lateNightShare > 0);
});

test('cards: distinct debit/credit cards with counts and shares', () => {
  const ind = run([
    tx({ method: '交通银行信用卡(7449)', amount: 3000 }),
    tx({ method: '招商银行储蓄卡(6621)', amount: 1000 }),
    tx({ method: '招商银行储蓄卡(6621)', amount: 1000, time: T0 + 1000 }),
    tx({ method: '余额', amount: 5000, time: T0 + 2000 }),
  ]);
  assert.equal(ind.cards.distinct, 2);
  assert.equal(ind.cards.debit, 1);
  assert.equal(ind.cards.credit, 1);
  const cmb = ind.cards.rows.find((r) => r.method.startsWith('招商'))!;
  assert.equal(cmb.count, 2);
  assert.equal(cmb.share, 0.2);
});

test('features and the default strategy on our engine: low, medium and high with reasons', () => {
  const now = Date.parse('2026-02-01T00:00:00Z');
  const calm = run([tx({ direction: 'in', amount: 1_000_000, counterparty: '某公司', item: '工资' }), tx({ amount: 200_000 })]);
  const f = statementFeatures(calm);
  assert.equal(f.incomeMonthlyAvg, 10000);
  assert.equal(f.platformCount, 0);
  assert.deepEqual(evaluateRisk(f, { now }), { level: 'low', reasons: [] });

  const medium = evaluateRisk({ ...f, platformCount: 3 }, { now });
  assert.equal(medium.level, 'medium');
  assert.deepEqual(medium.reasons.map((r) => r.code), ['MULTI_LENDER']);
  assert.match(medium.reasons[0].zh, /多头/);

  const high = evaluateRisk({ ...f, gamblingCount: 1, tampered: true }, { now });
  assert.equal(high.level, 'high');
  assert.deepEqual(high.reasons.map((r) => r.code), ['GAMBLING', 'TAMPERING']);
});

test('the strategy file is a valid JDM graph whose embedded tests pass on our engine', () => {
  const g = defaultRiskStrategy();
  const d = compileDecision(g);
  for (const c of g.tests ?? []) assert.deepEqual(d.evaluate(c.input).result, c.output);
});

test('a strategy without riskLevel is refused with a clear error', () => {
  const g = structuredClone(defaultRiskStrategy());
  const rules = g.nodes.find((n) => n.id === 'rules')!;
  (rules.content as { expressions: { key: string }[] }).expressions = (rules.content as { expressions: { key: string }[] }).expressions.filter((e) => e.key !== 'riskLevel');
  assert.throws(() => evaluateRisk(statementFeatures(run([tx({})])), { now: 0, strategy: g }), /riskLevel/);
});
