// Bank debit-card exports. Another bank is one more spec here (or its own file) plus a line in registry.ts.
import { tabularParser } from './tabular.js';
import type { ParseState } from '../types.js';

const cardMethod = (bank: string) => (state: ParseState) => {
  const digits = (state.meta.account ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? `${bank}储蓄卡(${digits.slice(-4)})` : `${bank}储蓄卡`;
};

/** China Merchants Bank (招商银行) debit: 记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要; signed amounts. */
export const cmbDebit = tabularParser({
  format: 'cmb-debit',
  source: 'cmb',
  container: 'csv',
  label: { zh: '招商银行借记卡交易流水', en: 'China Merchants Bank debit statement' },
  detect: (s) => (/记账日期\s*,\s*货币\s*,\s*交易金额\s*,\s*联机余额/.test(s) ? 0.95 : 0),
  columns: {
    time: '记账日期',
    signedAmount: '交易金额',
    balance: '联机余额',
    platformCategory: '交易摘要',
    counterparty: '对手信息',
    note: '客户摘要',
  },
  methodFrom: cardMethod('招商银行'),
});

/** ICBC (工商银行) debit: a 明细查询文件下载 preamble, separate income/expense columns. */
export const icbcDebit = tabularParser({
  format: 'icbc-debit',
  source: 'icbc',
  container: 'csv',
  label: { zh: '工商银行借记卡明细', en: 'ICBC debit statement' },
  detect: (s) => (s.includes('明细查询文件下载') && s.includes('记账金额(收入)') ? 0.95 : s.includes('明细查询文件下载') ? 0.6 : 0),
  columns: {
    time: '交易日期',
    platformCategory: '摘要',
    item: '交易详情',
    inAmount: '记账金额(收入)',
    outAmount: '记账金额(支出)',
    balance: '余额',
    counterparty: '对方户名',
    counterpartyAccount: '对方账户',
  },
  methodFrom: cardMethod('工商银行'),
});
