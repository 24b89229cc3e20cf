// Classifies each row by keyword tables kept as editable JSON (keywords/categories.json).
import { readFileSync } from 'node:fs';
import type { Transaction } from './types.js';

export type Category =
  | 'salary'
  | 'lending_in'
  | 'lending_repay'
  | 'credit_card_repay'
  | 'gambling'
  | 'crypto'
  | 'game'
  | 'live_tip'
  | 'transfer_self'
  | 'refund'
  | 'investment'
  | 'transfer'
  | 'consumption'
  | 'other_income'
  | 'other';

export const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  salary: { zh: '工资/代发', en: 'Salary' },
  lending_in: { zh: '借贷入账', en: 'Loan inflow' },
  lending_repay: { zh: '借贷还款', en: 'Loan repayment' },
  credit_card_repay: { zh: '信用卡还款', en: 'Credit-card repayment' },
  gambling: { zh: '疑似赌博', en: 'Gambling' },
  crypto: { zh: '虚拟货币', en: 'Crypto' },
  game: { zh: '游戏', en: 'Games' },
  live_tip: { zh: '直播打赏', en: 'Live-stream tipping' },
  transfer_self: { zh: '本人账户互转', en: 'Own-account transfer' },
  refund: { zh: '退款', en: 'Refund' },
  investment: { zh: '理财', en: 'Investment' },
  transfer: { zh: '转账/红包', en: 'Transfers' },
  consumption: { zh: '消费', en: 'Spending' },
  other_income: { zh: '其他收入', en: 'Other income' },
  other: { zh: '其他', en: 'Other' },
};

export interface KeywordTables {
  lenders: Record<string, string[]>;
  loanInflowWords: string[];
  repaymentWords: string[];
  categories: { id: Category; direction?: 'in' | 'out'; keywords: string[] }[];
  creditChannels: string[];
  walletChannels: string[];
}

export interface Classification {
  category: Category;
  /** Lending platform name when the row involves one. */
  lender?: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (words: string[]) => (words.length ? new RegExp(words.map(escape).join('|'), 'i') : /(?!)/);

export function loadKeywordTables(path?: string): KeywordTables {
  const p = path ?? new URL('./keywords/categories.json', import.meta.url);
  return JSON.parse(readFileSync(p, 'utf8')) as KeywordTables;
}

export type ChannelKind = 'debit' | 'credit' | 'wallet' | 'credit_line' | 'other';

/** A compiled classifier: one alternation regex per table, tried in precedence order. */
export class Classifier {
  private readonly lenderRe: RegExp;
  private readonly lenderOf: Map<string, string>;
  private readonly inflowRe: RegExp;
  private readonly repayRe: RegExp;
  private readonly cats: { id: Category; direction?: 'in' | 'out'; re: RegExp }[];
  private readonly creditRe: RegExp;
  private readonly walletRe: RegExp;
  private readonly channelCache = new Map<string, ChannelKind>();
  holderName = '';

  constructor(t: KeywordTables = loadKeywordTables()) {
    this.lenderOf = new Map();
    const words: string[] = [];
    for (const [name, kws] of Object.entries(t.lenders)) {
      for (const k of kws) {
        this.lenderOf.set(k.toLowerCase(), name);
        words.push(k);
      }
    }
    // Longest first so '京东金条' wins over a shorter overlapping word.
    words.sort((a, b) => b.length - a.length);
    this.lenderRe = anyOf(words);
    this.inflowRe = anyOf(t.loanInflowWords);
    this.repayRe = anyOf(t.repaymentWords);
    this.cats = t.categories.map((c) => ({ id: c.id, direction: c.direction, re: anyOf(c.keywords) }));
    this.creditRe = anyOf(t.creditChannels);
    this.walletRe = anyOf(t.walletChannels);
  }

  // direction → counterparty → item → platform category → note → result. Nested maps rather than one joined
  // key: the parsers hand over the same string objects for repeated values, whose hashes V8 keeps.
  private cache = new Map<string, Map<string, Map<string, Map<string, Map<string, Classification>>>>>();
  private cacheSize = 0;

  /** Statements repeat the same merchants and items, so results are memoised (bounded). */
  classify(tx: Transaction): Classification {
    let m1 = this.cache.get(tx.direction);
    if (m1 === undefined) this.cache.set(tx.direction, (m1 = new Map()));
    let m2 = m1.get(tx.counterparty);
    if (m2 === undefined) {
      m1.set(tx.counterparty, (m2 = new Map()));
      this.cacheSize++;
    }
    let m3 = m2.get(tx.item);
    if (m3 === undefined) {
      m2.set(tx.item, (m3 = new Map()));
      this.cacheSize++;
    }
    let m4 = m3.get(tx.platformCategory);
    if (m4 === undefined) {
      m3.set(tx.platformCategory, (m4 = new Map()));
      this.cacheSize++;
    }
    let c = m4.get(tx.note);
    if (c) return c;
    c = this.classifyUncached(tx);
    // Bounded by entries plus inner maps, so one-off counterparties cannot grow it without limit.
    if (this.cacheSize >= 50_000) {
      this.cache = new Map();
      this.cacheSize = 0;
    } else {
      m4.set(tx.note, c);
      this.cacheSize++;
    }
    return c;
  }

  private classifyUncached(tx: Transaction): Classification {
    const text = `${tx.counterparty} ${tx.item} ${tx.platformCategory} ${tx.note}`;
    const lm = this.lenderRe.exec(text);
    if (lm) {
      const lender = this.lenderOf.get(lm[0].toLowerCase()) ?? lm[0];
      if (this.repayRe.test(text) || tx.direction === 'out') return { category: 'lending_repay', lender };
      if (tx.direction === 'in' || this.inflowRe.test(text)) return { category: 'lending_in', lender };
      return { category: 'lending_repay', lender };
    }
    if (this.holderName && tx.counterparty === this.holderName) return { category: 'transfer_self' };
    for (const c of this.cats) {
      if (c.direction && c.direction !== tx.direction) continue;
      if (c.re.test(text)) return { category: c.id };
    }
    if (tx.direction === 'out') return { category: 'consumption' };
    if (tx.direction === 'in') return { category: 'other_income' };
    return { category: 'other' };
  }

  /** 收/付款方式 → debit card, credit card, wallet balance, consumer credit line (花呗, 白条) or other. */
  channel(method: string): ChannelKind {
    let k = this.channelCache.get(method);
    if (k) return k;
    if (method === '') k = 'other';
    else if (/信用卡/.test(method)) k = 'credit';
    else if (this.creditRe.test(method)) k = 'credit_line';
    else if (/储蓄卡|借记卡|银行|\(\d{4}\)/.test(method)) k = 'debit';
    else if (this.walletRe.test(method)) k = 'wallet';
    else k = 'other';
    if (this.channelCache.size < 10_000) this.channelCache.set(method, k);
    return k;
  }
}
