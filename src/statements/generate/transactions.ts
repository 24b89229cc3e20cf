// Realistic transaction lists for one applicant: salary, daily spending, lending platforms, card repayments,
// transfers, red packets, games and (optionally) risky patterns. Seeded, so tests can regenerate them exactly.
import { Rng } from './random.js';
import type { Transaction } from '../types.js';

export interface GenerateOptions {
  seed?: number;
  /** Number of transactions. */
  count?: number;
  /** Newest transaction time (UTC epoch ms); the list runs backwards from here. */
  end?: number;
  /** Average gap between transactions, minutes. Default: spread `count` over ~180 days, at least 1 min. */
  gapMinutes?: number;
  source?: 'alipay' | 'wechat' | 'bank';
  /** Add gambling, fast in-out, many small inflows and 以贷养贷 patterns. */
  risky?: boolean;
  holderName?: string;
}

const MERCHANTS: [string, string, string][] = [
  ['美团', '美团订单-外卖', '餐饮美食'],
  ['滴滴出行', '滴滴快车', '交通出行'],
  ['盒马鲜生', '盒马订单', '日用百货'],
  ['拼多多', '拼多多订单', '日用百货'],
  ['中国石化加油站', '加油', '爱车养车'],
  ['瑞幸咖啡', '生椰拿铁', '餐饮美食'],
  ['国家电网', '电费', '充值缴费'],
  ['中国移动', '话费充值', '充值缴费'],
  ['京东商城', '京东订单', '数码电器'],
  ['肯德基', '肯德基餐品', '餐饮美食'],
  ['北京某某科技,有限公司', '会员服务', '文化休闲'],
];
const FRIENDS = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏'];
const LENDERS: [string, string][] = [
  ['蚂蚁借呗', '借呗放款'],
  ['微粒贷', '微粒贷借款'],
  ['京东金条', '金条借款到账'],
  ['360借条', '借款到账'],
  ['分期乐', '分期乐放款'],
  ['度小满金融', '有钱花借款'],
];
const ALIPAY_METHODS = ['余额', '余额宝', '花呗', '招商银行储蓄卡(6621)', '交通银行信用卡(7449)', '中国银行储蓄卡(1234)'];
const WECHAT_METHODS = ['零钱', '零钱通', '招商银行储蓄卡(6621)', '建设银行信用卡(3321)', '工商银行储蓄卡(9876)'];

const MINUTE = 60_000;

/** Generates transactions newest first, the order exports use. Amounts in fen. */
export function* generateTransactions(opts: GenerateOptions = {}): Generator<Transaction> {
  const rng = new Rng(opts.seed ?? 42);
  const count = opts.count ?? 200;
  const source = opts.source ?? 'alipay';
  const end = opts.end ?? Date.UTC(2026, 9, 31, 15, 0, 0);
  const gap = opts.gapMinutes ?? Math.max(1, Math.floor((180 * 24 * 60) / Math.max(count, 1)));
  const methods = source === 'wechat' ? WECHAT_METHODS : ALIPAY_METHODS;
  const src = source === 'bank' ? 'alipay' : source;
  let t = end;
  let seq = 0;
  let lastSalaryMonth = -1;
  const id = (prefix: string) => prefix + String(1_000_000_000 + seq).padStart(12, '0') + rng.digits(8);
  const base = (over: Partial<Transaction>): Transaction => {
    seq++;
    return {
      source: src,
      time: t,
      direction: 'out',
      amount: 100,
      counterparty: '',
      counterpartyAccount: '',
      item: '',
      platformCategory: '',
      method: '',
      status: '交易成功',
      orderId: id(src === 'wechat' ? '4200' : '2026'),
      merchantOrderId: rng.chance(0.7) ? 'M' + rng.digits(14) : '',
      note: '',
      ...over,
    };
  };
  for (let i = 0; i < count; i++) {
    t -= Math.max(1, Math.round(gap * (0.2 + rng.next() * 1.6))) * MINUTE;
    t -= t % 1000;
    const d = new Date(t + 8 * 3600_000);
    const monthKey = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const r = rng.next();
    let tx: Transaction;
    if (monthKey !== lastSalaryMonth && d.getUTCDate() <= 12) {
      lastSalaryMonth = monthKey;
      tx = base({
        direction: 'in',
        amount: 1_250_000 + rng.int(-2000, 2000) * 10,
        counterparty: '上海某某科技有限公司',
        counterpartyAccount: src === 'wechat' ? '' : 'hr***@corp.com',
        item: rng.chance(0.5) ? '代发工资' : '工资',
        platformCategory: src === 'wechat' ? '转账' : '转账红包',
        method: src === 'wechat' ? '零钱' : '余额',
      });
    } else if (r < (opts.risky ? 0.05 : 0.005)) {
      const [name, item] = rng.pick(opts.risky ? LENDERS : LENDERS.slice(0, 2));
      tx = base({ direction: 'in', amount: rng.int(5, 50) * 100_000, counterparty: name, item, platformCategory: '信用借还', method: methods[0] });
    } else if (r < 0.11 && (opts.risky || r < 0.07)) {
      const [name] = rng.pick(opts.risky ? LENDERS : LENDERS.slice(0, 2));
      tx = base({ direction: 'out', amount: rng.int(500, 3000) * 100 + rng.int(0, 99), counterparty: name, item: `${name}还款`, platformCategory: '信用借还', method: rng.pick(methods) });
    } else if (r < 0.14) {
      tx = base({ direction: 'neutral', amount: rng.int(1000, 8000) * 100, counterparty: '招商银行', item: '信用卡还款', platformCategory: '信用借还', method: methods[0] });
    } else if (r < 0.22) {
      const f = rng.pick(FRIENDS);
      const dir = rng.chance(0.5) ? 'in' : 'out';
      tx = base({
        direction: dir,
        amount: rng.int(1, 200) * 1000,
        counterparty: f,
        counterpartyAccount: src === 'wechat' ? '' : `1${rng.digits(2)}****${rng.digits(4)}`,
        item: '转账',
        platformCategory: src === 'wechat' ? '转账' : '转账红包',
        method: rng.pick(methods),
        status: src === 'wechat' ? (dir === 'in' ? '已收钱' : '朋友已收钱') : '交易成功',
      });
    } else if (r < 0.25) {
      tx = base({ direction: 'in', amount: rng.int(1, 20000), counterparty: rng.pick(FRIENDS), item: '微信红包', platformCategory: '微信红包', method: '', status: '已存入零钱' });
    } else if (r < 0.27) {
      tx = base({ direction: 'out', amount: rng.int(6, 648) * 100, counterparty: '腾讯游戏', item: '王者荣耀点券充值', platformCategory: '文化休闲', method: rng.pick(methods) });
    } else if (r < 0.28) {
      tx = base({ direction: 'out', amount: rng.int(1, 100) * 100, counterparty: '抖音', item: '抖币充值', platformCategory: '文化休闲', method: rng.pick(methods) });
    } else if (r < 0.3) {
      tx = base({ direction: 'neutral', amount: rng.int(1, 500) * 100, counterparty: '余额宝', item: '余额宝-转入', platformCategory: '投资理财', method: '余额' });
    } else if (r < 0.31) {
      const [name, item] = rng.pick(MERCHANTS);
      tx = base({ direction: 'neutral', amount: rng.int(100, 20000), counterparty: name, item: `退款-${item}`, platformCategory: '退款', method: rng.pick(methods), status: '退款成功' });
    } else if (r < 0.33 && opts.risky) {
      tx = base({ direction: rng.chance(0.5) ? 'out' : 'in', amount: rng.int(1, 50) * 100_000, counterparty: '澳门某某娱乐', item: '充值-百家乐', platformCategory: '其他', method: rng.pick(methods) });
    } else if (r < 0.36 && opts.risky) {
      tx = base({ direction: 'in', amount: rng.int(100, 9900), counterparty: `用户${rng.digits(4)}`, item: '二维码收款', platformCategory: '收款', method: '' });
    } else {
      const [name, item, cat] = rng.pick(MERCHANTS);
      tx = base({
        direction: 'out',
        amount: rng.int(100, 30000),
        counterparty: name,
        counterpartyAccount: src === 'wechat' ? '' : rng.chance(0.5) ? `${name.length}***@merchant.com` : '',
        item,
        platformCategory: cat,
        method: rng.pick(methods),
        status: rng.chance(0.03) ? '交易关闭' : '交易成功',
        note: rng.chance(0.05) ? '备注:谢谢' : '',
      });
    }
    if (src === 'wechat') {
      // WeChat names its types and statuses differently from Alipay.
      if (!WECHAT_TYPES.has(tx.platformCategory)) tx.platformCategory = tx.direction === 'neutral' ? '信用卡还款' : '商户消费';
      if (tx.status === '交易成功') tx.status = '支付成功';
    }
    yield tx;
  }
}

const WECHAT_TYPES = new Set(['转账', '微信红包', '收款', '退款']);
