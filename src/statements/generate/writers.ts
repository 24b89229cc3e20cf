// Writes a transaction list as a byte-exact statement file in any supported layout (encodings and XLSX included).
// Two passes over the list (summary first, as the real exporters print it), so `txs` is a factory.
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { fenToYuan } from '../money.js';
import { BEIJING_OFFSET_MS, epochToExcelSerial, formatBeijing } from '../time.js';
import type { Transaction } from '../types.js';

export const LAYOUTS = [
  'alipay-2023',
  'alipay-2021',
  'alipay-web',
  'wechat-csv',
  'wechat-csv-bom',
  'wechat-xlsx',
  'wechat-xlsx-2026',
  'cmb-debit',
  'icbc-debit',
] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The `format` the parser reports for each generated layout. */
export function formatOf(layout: Layout): string {
  if (layout === 'wechat-csv-bom') return 'wechat-csv';
  if (layout === 'wechat-xlsx-2026') return 'wechat-xlsx';
  return layout;
}

export interface WriteOptions {
  holderName?: string;
  account?: string;
  /** XLSX: how amounts are stored. */
  xlsxAmounts?: 'number' | 'text' | 'mixed';
  /** XLSX: how times are stored. */
  xlsxTimes?: 'serial' | 'date' | 'text' | 'mixed';
  /** Make the printed summary disagree with the rows (tampering tests). */
  tamperSummary?: boolean;
}

const CARD = { cmb: '6214830012346621', icbc: '6222020200112239876' };
const dayStart = (ms: number) => ms - ((ms + BEIJING_OFFSET_MS) % 86_400_000);
const isBank = (l: Layout) => l === 'cmb-debit' || l === 'icbc-debit';

/** What a transaction looks like after a round trip through `layout` (fields the layout cannot hold are dropped). */
export function projectTransaction(tx: Transaction, layout: Layout): Transaction {
  switch (layout) {
    case 'alipay-web':
      return { ...tx, source: 'alipay', method: '', counterpartyAccount: '' };
    case 'wechat-csv':
    case 'wechat-csv-bom':
    case 'wechat-xlsx':
    case 'wechat-xlsx-2026':
      return { ...tx, source: 'wechat', counterpartyAccount: '' };
    case 'cmb-debit':
      return {
        source: 'cmb',
        time: dayStart(tx.time),
        direction: tx.direction === 'in' ? 'in' : 'out',
        amount: tx.amount,
        counterparty: tx.counterparty,
        counterpartyAccount: '',
        item: '',
        platformCategory: tx.item || tx.platformCategory,
        method: '招商银行储蓄卡(6621)',
        status: '',
        orderId: '',
        merchantOrderId: '',
        note: tx.note,
      };
    case 'icbc-debit':
      return {
        source: 'icbc',
        time: dayStart(tx.time),
        direction: tx.direction === 'in' ? 'in' : 'out',
        amount: tx.amount,
        counterparty: tx.counterparty,
        counterpartyAccount: tx.counterpartyAccount,
        item: tx.item,
        platformCategory: tx.platformCategory,
        method: '工商银行储蓄卡(9876)',
        status: '',
        orderId: '',
        merchantOrderId: '',
        note: '',
      };
    case 'alipay-2021':
      return { ...tx, source: 'alipay', note: '' };
    default:
      return { ...tx, source: 'alipay' };
  }
}

interface Totals {
  n: number;
  c: Record<'in' | 'out' | 'neutral', number>;
  t: Record<'in' | 'out' | 'neutral', number>;
  first: number;
  last: number;
}

function totals(txs: Iterable<Transaction>, layout: Layout): Totals {
  const r: Totals = { n: 0, c: { in: 0, out: 0, neutral: 0 }, t: { in: 0, out: 0, neutral: 0 }, first: Infinity, last: -Infinity };
  for (const raw of txs) {
    const tx = projectTransaction(raw, layout);
    r.n++;
    r.c[tx.direction]++;
    r.t[tx.direction] += tx.amount;
    if (tx.time < r.first) r.first = tx.time;
    if (tx.time > r.last) r.last = tx.time;
  }
  if (r.n === 0) r.first = r.last = Date.UTC(2026, 0, 1);
  return r;
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(1, w - s.length));
const q = (s: string) => (s === '' ? '"/"' : `"${s.replace(/"/g, '""')}"`);
const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const dirWord = (d: Transaction['direction'], neutral: string) => (d === 'in' ? '收入' : d === 'out' ? '支出' : neutral);
const date = (ms: number) => formatBeijing(ms).slice(0, 10);

function preamble(layout: Layout, s: Totals, o: WriteOptions): string[] {
  const name = o.holderName ?? '张三';
  const k = o.tamperSummary ? 1 : 0;
  const y = (n: number) => fenToYuan(n);
  switch (layout) {
    case 'alipay-2023':
      return [
        '-'.repeat(84),
        '导出信息：',
        `姓名：${name}`,
        `支付宝账户：${o.account ?? 'zhang***@example.com'}`,
        `起始时间：[${formatBeijing(s.first)}]    终止时间：[${formatBeijing(s.last)}]`,
        '导出交易类型：[全部]',
        `导出时间：[${formatBeijing(s.last + 3600_000)}]`,
        `共${s.n + k}笔记录`,
        `收入：${s.c.in}笔 ${y(s.t.in + k * 100)}元`,
        `支出：${s.c.out}笔 ${y(s.t.out)}元`,
        `不计收支：${s.c.neutral}笔 ${y(s.t.neutral)}元`,
        '',
        '特别提示：',
        '1.本回单内容可表明支付宝受理了相应支付交易申请，因系统原因或通讯故障等偶发因素导致本回单与实际交易结果不符时，以实际交易情况为准；',
        '2.请勿将本回单作为收款方发货的凭据使用，请查证账户实际到账情况后再进行发货操作；',
        '3.支付宝快捷支付等非余额支付方式可能既产生支付宝交易也同步产生银行交易，因此请勿使用本回单进行重复记账；',
        '4.本回单如经任何涂改、编造，均立即失去效力；',
        '5.部分账单如：充值提现、账户转存或者个人设置收支等不计入为收入或者支出，记为不计收支类；',
        '6.因统计逻辑不同，明细金额直接累加后，可能会和下方统计金额不一致，请以实际交易金额为准；',
        '7.禁止将本回单用于非法用途；',
        '8.本明细仅展示当前账单中的交易，不包括已删除的记录；',
        '9.本明细仅供个人对账使用。',
        '',
        '------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------',
        ['交易时间', '交易分类', '交易对方', '对方账号', '商品说明', '收/支', '金额', '收/付款方式', '交易状态', '交易订单号', '商家订单号', '备注'].map((h) => pad(h, 20)).join(',') + ',',
      ];
    case 'alipay-2021':
      return [
        '------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------',
        ['收/支', '交易对方', '对方账号', '商品说明', '收/付款方式', '金额', '交易状态', '交易分类', '交易订单号', '商家订单号', '交易时间'].map((h) => pad(h, 16)).join(',') + ',',
      ];
    case 'alipay-web':
      return [
        '支付宝交易记录明细查询',
        `账号:[${o.account ?? '20880012345678900156'}]`,
        `起始日期:[${formatBeijing(s.first)}]    终止日期:[${formatBeijing(s.last)}]`,
        '---------------------------------交易记录明细列表------------------------------------',
        '交易号                  ,商家订单号               ,交易创建时间              ,付款时间                ,最近修改时间              ,交易来源地     ,类型              ,交易对方            ,商品名称                ,金额（元）   ,收/支     ,交易状态    ,服务费（元）   ,成功退款（元）  ,备注                  ,资金状态     ,',
      ];
    case 'wechat-csv':
    case 'wechat-csv-bom':
    case 'wechat-xlsx':
    case 'wechat-xlsx-2026': {
      const lines = [
        '微信支付账单明细',
        `微信昵称：[${name}]`,
        `起始时间：[${formatBeijing(s.first)}] 终止时间：[${formatBeijing(s.last)}]`,
        '导出类型：[全部]',
        `导出时间：[${formatBeijing(s.last + 3600_000)}]`,
        '',
        `共${s.n + k}笔记录`,
        `收入：${s.c.in}笔 ${y(s.t.in + k * 100)}元`,
        `支出：${s.c.out}笔 ${y(s.t.out)}元`,
        `中性交易：${s.c.neutral}笔 ${y(s.t.neutral)}元`,
        '注：',
        '1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易',
        '2. 本明细仅展示当前账单中的交易，不包括已删除的记录',
        '3. 本明细仅供个人对账使用',
        '',
        '----------------------微信支付账单明细列表--------------------',
      ];
      if (layout === 'wechat-xlsx-2026') lines.splice(14, 0, '4. 自2026年3月起，账单新增交易单号校验说明');
      return lines;
    }
    case 'cmb-debit':
      return [
        '招商银行交易流水',
        `户名：${name}`,
        `账号：${CARD.cmb}`,
        '币种：人民币',
        `起始日期：[${date(s.first)}]    终止日期：[${date(s.last)}]`,
        '',
        '记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要',
      ];
    case 'icbc-debit':
      return [
        '明细查询文件下载',
        `卡号: ${CARD.icbc}`,
        `户名: ${name}`,
        `起始日期：[${date(s.first)}]    终止日期：[${date(s.last)}]`,
        '交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户',
      ];
  }
}

function footer(layout: Layout, s: Totals, o: WriteOptions): string[] {
  const k = o.tamperSummary ? 1 : 0;
  const y = (n: number) => fenToYuan(n);
  if (layout === 'alipay-2021') {
    return [
      '-'.repeat(84),
      '导出信息：',
      `姓名：${o.holderName ?? '张三'}`,
      `支付宝账户：${o.account ?? 'zhang***@example.com'}`,
      `起始时间：[${formatBeijing(s.first)}]    终止时间：[${formatBeijing(s.last)}]`,
      `共${s.n + k}笔记录`,
      `收入：${s.c.in}笔 ${y(s.t.in + k * 100)}元`,
      `支出：${s.c.out}笔 ${y(s.t.out)}元`,
      `不计收支：${s.c.neutral}笔 ${y(s.t.neutral)}元`,
    ];
  }
  if (layout === 'alipay-web') {
    return [
      '-'.repeat(84),
      `共${s.n + k}笔记录`,
      `已收入:${s.c.in}笔,${y(s.t.in + k * 100)}元`,
      '待收入:0笔,0.00元',
      `已支出:${s.c.out}笔,${y(s.t.out)}元`,
      '待支出:0笔,0.00元',
      `导出时间:[${formatBeijing(s.last + 3600_000)}]`,
      '用户:' + (o.holderName ?? '张三'),
    ];
  }
  return [];
}

function csvRow(layout: Layout, tx: Transaction, balance: number): string {
  const a = fenToYuan(tx.amount);
  switch (layout) {
    case 'alipay-2023':
      return (
        [pad(formatBeijing(tx.time), 20), pad(tx.platformCategory, 20), pad(csvField(tx.counterparty), 20), pad(tx.counterpartyAccount || '/', 20), pad(csvField(tx.item), 20), pad(dirWord(tx.direction, '不计收支'), 20), pad(a, 20), pad(tx.method, 20), pad(tx.status, 20), tx.orderId + '\t', tx.merchantOrderId + '\t', pad(csvField(tx.note), 20)].join(',') + ','
      );
    case 'alipay-2021':
      return [dirWord(tx.direction, '不计收支'), csvField(tx.counterparty), tx.counterpartyAccount || '/', csvField(tx.item), tx.method, a, tx.status, tx.platformCategory, tx.orderId + '\t', tx.merchantOrderId + '\t', formatBeijing(tx.time)].map((v) => pad(v, 16)).join(',') + ',';
    case 'alipay-web': {
      const t = formatBeijing(tx.time);
      return [tx.orderId + '\t', tx.merchantOrderId + '\t', t, t, t, '支付宝网站', tx.platformCategory, csvField(tx.counterparty), csvField(tx.item), a, dirWord(tx.direction, ''), tx.status, '0.00', '0.00', csvField(tx.note), tx.direction === 'in' ? '已入账' : '已支出'].map((v) => pad(v, 12)).join(',') + ',';
    }
    case 'wechat-csv':
    case 'wechat-csv-bom':
      // Counterparty written unquoted even when it holds a comma, as WeChat does.
      return [formatBeijing(tx.time), q(tx.platformCategory), tx.counterparty.includes(',') ? tx.counterparty : q(tx.counterparty), q(tx.item), q(dirWord(tx.direction, '/')), '¥' + a, q(tx.method), q(tx.status), q(tx.orderId) + '\t', q(tx.merchantOrderId) + '\t', q(tx.note)].join(',');
    case 'cmb-debit':
      return [date(tx.time), '人民币', (tx.direction === 'in' ? '' : '-') + a, fenToYuan(balance), csvField(tx.platformCategory), csvField(tx.counterparty), csvField(tx.note)].join(',');
    case 'icbc-debit': {
      const inA = tx.direction === 'in' ? a : '';
      const outA = tx.direction === 'in' ? '' : a;
      return [date(tx.time), csvField(tx.platformCategory), csvField(tx.item), '', 'CHN', '钞', inA, outA, '人民币', inA, outA, '人民币', fenToYuan(balance), csvField(tx.counterparty), tx.counterpartyAccount].join(',');
    }
    default:
      throw new Error(`not a CSV layout: ${layout}`);
  }
}

const signed = (tx: Transaction) => (tx.direction === 'in' ? tx.amount : -tx.amount);

/** Streams the statement into `out`. `txs` is called twice (summary, then rows). */
export async function writeStatement(layout: Layout, txs: () => Iterable<Transaction>, out: Writable, o: WriteOptions = {}): Promise<void> {
  const s = totals(txs(), layout);
  // Bank balance after the newest row; walking back to older rows undoes each amount.
  let outTotal = 0;
  let net = 0;
  if (isBank(layout)) {
    for (const raw of txs()) {
      const tx = projectTransaction(raw, layout);
      net += signed(tx);
      if (tx.direction === 'out') outTotal += tx.amount;
    }
  }
  let balance = 1_000_000 + outTotal + net;
  if (layout === 'wechat-xlsx' || layout === 'wechat-xlsx-2026') return writeXlsx(layout, txs, s, out, o);
  const enc = layout.startsWith('alipay') ? 'gb18030' : 'utf8';
  let buf = '';
  const flush = async (force: boolean) => {
    if (!force && buf.length < 64 * 1024) return;
    const bytes = enc === 'utf8' ? Buffer.from(buf, 'utf8') : iconv.encode(buf, enc);
    buf = '';
    if (!out.write(bytes)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const eol = layout.startsWith('alipay') ? '\n' : '\r\n';
  if (layout === 'wechat-csv-bom') out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  const fieldCount = layout.startsWith('wechat') ? 11 : 0;
  for (const l of preamble(layout, s, o)) buf += (fieldCount && !l.startsWith('交易时间') ? l + ','.repeat(fieldCount - 1) : l) + eol;
  if (layout.startsWith('wechat')) buf += '交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注' + eol;
  for (const raw of txs()) {
    const tx = projectTransaction(raw, layout);
    buf += csvRow(layout, tx, balance) + eol;
    balance -= signed(tx);
    await flush(false);
  }
  for (const l of footer(layout, s, o)) buf += l + eol;
  await flush(true);
  out.end();
  await finished(out);
}

async function writeXlsx(layout: Layout, txs: () => Iterable<Transaction>, s: Totals, out: Writable, o: WriteOptions): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('微信支付账单明细');
  for (const l of preamble(layout, s, o)) ws.addRow([l]).commit();
  ws.addRow(['交易时间', '交易类型', '交易对方', '商品', '收/支', '金额(元)', '支付方式', '当前状态', '交易单号', '商户单号', '备注']).commit();
  const amounts = o.xlsxAmounts ?? 'mixed';
  const times = o.xlsxTimes ?? 'mixed';
  let i = 0;
  const v = (x: string) => x || '/';
  for (const raw of txs()) {
    const tx = projectTransaction(raw, layout);
    const tm = times === 'mixed' ? (['serial', 'date', 'text'] as const)[i % 3] : times;
    const am = amounts === 'mixed' ? (i % 2 === 0 ? 'number' : 'text') : amounts;
    const timeCell = tm === 'text' ? formatBeijing(tx.time) : epochToExcelSerial(tx.time);
    const amountCell = am === 'number' ? tx.amount / 100 : '￥' + fenToYuan(tx.amount).replace(/\B(?=(\d{3})+(?!\d)\.)/g, ',');
    const row = ws.addRow([timeCell, v(tx.platformCategory), v(tx.counterparty), v(tx.item), dirWord(tx.direction, '/'), amountCell, v(tx.method), v(tx.status), v(tx.orderId), v(tx.merchantOrderId), v(tx.note)]);
    if (tm === 'date') row.getCell(1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    row.commit();
    i++;
  }
  ws.commit();
  await wb.commit();
}

/** Generates a statement into memory: the file bytes and the transactions a parser must give back. */
export async function statementBuffer(layout: Layout, txs: readonly Transaction[], o: WriteOptions = {}): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writeStatement(layout, () => txs, sink, o);
  return Buffer.concat(chunks);
}

/** Generates a statement straight to disk (benchmarks: millions of rows without holding them). */
export async function statementFile(layout: Layout, txs: () => Iterable<Transaction>, path: string, o: WriteOptions = {}): Promise<void> {
  await writeStatement(layout, txs, createWriteStream(path), o);
}
