// WeChat Pay 账单流水: the same table as UTF-8 CSV (with or without BOM) and, since 2025, as XLSX.
import { tabularParser, type LayoutSpec } from './tabular.js';

const columns: LayoutSpec['columns'] = {
  time: '交易时间',
  platformCategory: '交易类型',
  counterparty: '交易对方',
  item: '商品',
  direction: '收/支',
  amount: '金额(元)',
  method: '支付方式',
  status: '当前状态',
  orderId: '交易单号',
  merchantOrderId: '商户单号',
  note: '备注',
};

const detect = (s: string): number =>
  /交易时间\s*,\s*交易类型\s*,\s*交易对方\s*,\s*商品/.test(s) ? 0.95 : s.includes('微信支付账单明细') ? 0.5 : 0;

export const wechatCsv = tabularParser({
  format: 'wechat-csv',
  source: 'wechat',
  container: 'csv',
  isoTimes: true,
  label: { zh: '微信支付账单流水（CSV）', en: 'WeChat Pay statement (CSV)' },
  detect,
  columns,
});

export const wechatXlsx = tabularParser({
  format: 'wechat-xlsx',
  source: 'wechat',
  container: 'xlsx',
  label: { zh: '微信支付账单流水（XLSX）', en: 'WeChat Pay statement (XLSX)' },
  detect,
  columns,
});
