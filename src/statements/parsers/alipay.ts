// Alipay 交易明细 exports (GBK/GB18030 CSV), three layouts told apart by their column header.
import { tabularParser } from './tabular.js';

const has = (s: string, ...parts: string[]) => parts.every((p) => s.includes(p));

/** (a) 2023+ app export: ~24 info lines, 电子客户回单 banner, then the header starting 交易时间,交易分类. */
export const alipay2023 = tabularParser({
  format: 'alipay-2023',
  source: 'alipay',
  container: 'csv',
  isoTimes: true,
  label: { zh: '支付宝交易明细（2023 起 App 导出）', en: 'Alipay statement (app export, 2023+)' },
  detect: (s) =>
    /交易时间\s*,\s*交易分类\s*,\s*交易对方/.test(s) ? 0.95 : /^导出信息/m.test(s) && has(s, '支付宝账户') && /共\d+笔记录/.test(s) ? 0.55 : 0,
  columns: {
    time: '交易时间',
    platformCategory: '交易分类',
    counterparty: '交易对方',
    counterpartyAccount: '对方账号',
    item: '商品说明',
    direction: '收/支',
    amount: '金额',
    method: '收/付款方式',
    status: '交易状态',
    orderId: '交易订单号',
    merchantOrderId: '商家订单号',
    note: '备注',
  },
});

/** (b) 2021–22 app export: banner first, header starting 收/支,交易对方, export info in a footer. */
export const alipay2021 = tabularParser({
  format: 'alipay-2021',
  source: 'alipay',
  container: 'csv',
  isoTimes: true,
  label: { zh: '支付宝交易明细（2021–2022 App 导出）', en: 'Alipay statement (app export, 2021–22)' },
  detect: (s) => (/收\/支\s*,\s*交易对方\s*,\s*对方账号/.test(s) ? 0.95 : 0),
  columns: {
    direction: '收/支',
    counterparty: '交易对方',
    counterpartyAccount: '对方账号',
    item: '商品说明',
    method: '收/付款方式',
    amount: '金额',
    status: '交易状态',
    platformCategory: '交易分类',
    orderId: '交易订单号',
    merchantOrderId: '商家订单号',
    time: '交易时间',
  },
  footer: /^-{10,}|导出信息/,
});

/** (c) older PC web export: 账号/起始日期/---交易记录明细列表--- then 交易号,商家订单号,交易创建时间,... and a totals footer. */
export const alipayWeb = tabularParser({
  format: 'alipay-web',
  source: 'alipay',
  container: 'csv',
  isoTimes: true,
  label: { zh: '支付宝交易记录（旧版网页导出）', en: 'Alipay statement (legacy web export)' },
  detect: (s) => (/交易号\s*,\s*商家订单号\s*,\s*交易创建时间/.test(s) ? 0.95 : has(s, '交易记录明细列表') ? 0.5 : 0),
  columns: {
    orderId: '交易号',
    merchantOrderId: '商家订单号',
    time: '交易创建时间',
    platformCategory: '类型',
    counterparty: '交易对方',
    item: '商品名称',
    amount: '金额（元）',
    direction: '收/支',
    status: '交易状态',
    note: '备注',
  },
  footer: /^-{10,}/,
});
