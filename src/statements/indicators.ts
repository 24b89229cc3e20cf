// Streaming indicator state: `add` each transaction once (any monotone time order), `finish` once.
// Memory is bounded by what the indicators themselves need (months, days, payers, cards, lenders), not by rows.
import { Classifier, type Category, type ChannelKind } from './classify.js';
import { BEIJING_OFFSET_MS } from './time.js';
import type { Transaction } from './types.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface FlaggedTransaction {
  time: number;
  direction: Transaction['direction'];
  amount: number;
  counterparty: string;
  item: string;
  category: Category;
  reasons: string[];
  orderId: string;
}

export interface MonthRow {
  month: string;
  income: number;
  spending: number;
  inflow: number;
  outflow: number;
  count: number;
}

export interface CardRow {
  method: string;
  kind: ChannelKind;
  count: number;
  inflow: number;
  outflow: number;
  /** Share of all transactions by amount (0..1). */
  share: number;
}

export interface LenderRow {
  platform: string;
  firstSeen: number;
  lastSeen: number;
  inflow: number;
  inflowCount: number;
  repayment: number;
  repaymentCount: number;
  /** Month → fen borrowed / repaid, for the timeline chart. */
  months: { month: string; inflow: number; repayment: number }[];
}

/** All amounts in fen; shares and ratios 0..1; times UTC epoch ms. */
export interface Indicators {
  period: { from: number; to: number; months: number; days: number };
  counts: { transactions: number; inflow: number; outflow: number; neutral: number };
  monthly: MonthRow[];
  income: {
    total: number;
    monthlyAvg: number;
    /** Coefficient of variation of monthly income (lower = steadier). */
    cv: number;
    monthsWithIncome: number;
    topPayers: { name: string; amount: number; share: number }[];
    top1Share: number;
    top3Share: number;
    salary: { detected: boolean; payer?: string; monthlyAvg: number; dayOfMonth?: number; months: number };
  };
  spending: {
    total: number;
    monthlyAvg: number;
    /** income ÷ spending; Infinity-safe (0 when no spending). */
    incomeExpenseRatio: number;
    netFlow: number;
    categories: { category: Category; count: number; inflow: number; outflow: number; share: number }[];
    activeDays: number;
    activeDayShare: number;
    lateNightShare: number;
    hourHistogram: number[];
    /** [weekday 0=Sunday][hour] transaction counts (Beijing time). */
    heatmap: number[][];
  };
  cards: { distinct: number; debit: number; credit: number; rows: CardRow[] };
  credit: {
    platformCount: number;
    platforms: LenderRow[];
    lenderInflow: number;
    repayments: number;
    repaymentToIncome: number;
    newPlatforms90d: number;
    loanToRepayCount: number;
    creditCardRepayment: number;
  };
  suspicious: {
    largeInOut: { threshold: number; count: number; amount: number };
    roundAmounts: { count: number; share: number };
    fastInOut: { count: number; amount: number };
    roundTrips: { counterparties: number; amount: number };
    smallInflowBursts: { days: number; maxPerDay: number };
    gambling: { count: number; amount: number };
    crypto: { count: number; amount: number };
    refundClosedRatio: number;
    nightLarge: { count: number; amount: number };
    gameLive: { count: number; amount: number; shareOfSpending: number };
  };
  flagged: FlaggedTransaction[];
}

interface MonthAcc {
  income: number;
  spending: number;
  inflow: number;
  outflow: number;
  count: number;
}
interface PayerAcc {
  amount: number;
  count: number;
  months: Map<number, number>;
  days: number[];
}
interface LenderAcc {
  first: number;
  last: number;
  inflow: number;
  inflowCount: number;
  repay: number;
  repayCount: number;
  months: Map<number, { inflow: number; repayment: number }>;
}
/** An inflow under watch for fast in-out; `out` is the outflow total (cumulative mark while open). */
interface Pending {
  tx: Transaction;
  out: number;
}

const NON_INCOME = new Set<Category>(['lending_in', 'refund', 'transfer_self', 'investment', 'gambling', 'crypto']);
const NON_SPENDING = new Set<Category>(['transfer_self', 'investment', 'refund']);
const MAX_FLAGGED = 300;
const CLOSED = /关闭|失败/;
const MAX_LENDER_EVENTS = 50_000;
const LARGE_FLOOR = 500_000; // 5,000 yuan
const FAST_MIN = 100_000; // inflows of 1,000 yuan or more are checked for fast in-out
const SMALL_INFLOW = 10_000; // < 100 yuan
const ROUND_MIN = 100_000;

export interface IndicatorOptions {
  classifier?: Classifier;
  /** Reference instant for "last 90 days"; defaults to the newest transaction. */
  now?: number;
}

export class IndicatorState {
  readonly classifier: Classifier;
  private readonly now?: number;
  private n = 0;
  private cIn = 0;
  private cOut = 0;
  private cNeutral = 0;
  private from = Infinity;
  private to = -Infinity;
  private months = new Map<number, MonthAcc>();
  private payers = new Map<string, PayerAcc>();
  private days = new Set<number>();
  private hours = new Array<number>(24).fill(0);
  private heat = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  private late = 0;
  private cards = new Map<string, { kind: ChannelKind; count: number; inflow: number; outflow: number }>();
  private cats = new Map<Category, { count: number; inflow: number; outflow: number }>();
  private lenders = new Map<string, LenderAcc>();
  // Lender events for 以贷养贷 as columns (time, lender index, inflow?) rather than one object each.
  private evT = new Float64Array(1024);
  private evLender = new Uint16Array(1024);
  private evIn = new Uint8Array(1024);
  private evCount = 0;
  private lenderIndex = new Map<string, number>();
  private incomeTotal = 0;
  private spendTotal = 0;
  private creditCard = 0;
  private roundCount = 0;
  private bigCount = 0;
  // Large in/out candidates as amount → count: the threshold is only known at the end, and amounts repeat.
  private largeAmounts = new Map<number, number>();
  private largeCandidates = 0;
  private gambling = { count: 0, amount: 0 };
  private crypto = { count: 0, amount: 0 };
  private gameLive = { count: 0, amount: 0 };
  private refundClosed = 0;
  private nightLarge = { count: 0, amount: 0 };
  private counterparties = new Map<string, { inflow: number; outflow: number }>();
  private smallByDay = new Map<number, { count: number; payers: Set<string> }>();
  private fast = { count: 0, amount: 0 };
  // Fast in-out works for either time order: ascending keeps open inflows, descending keeps recent outflows.
  private order = 0;
  private lastT = NaN;
  private pending: Pending[] = [];
  private cumOut = 0;
  private recentOut: Transaction[] = [];
  private head = 0;
  private outSum = 0;
  private memoDay = NaN;
  private memoMonth = 0;
  private memoDate = 0;
  private memoMonthAcc: MonthAcc | undefined;
  private lastStatus = '';
  private lastClosed = false;
  private flagged: FlaggedTransaction[] = [];

  constructor(opts: IndicatorOptions = {}) {
    this.classifier = opts.classifier ?? new Classifier();
    this.now = opts.now;
  }

  add(tx: Transaction): Category {
    const { category, lender } = this.classifier.classify(tx);
    const t = tx.time;
    const a = tx.amount;
    const dir = tx.direction;
    this.n++;
    if (t < this.from) this.from = t;
    if (t > this.to) this.to = t;
    const local = t + BEIJING_OFFSET_MS;
    const dayIndex = Math.floor(local / DAY);
    const hour = Math.floor((local % DAY) / HOUR);
    const weekday = (dayIndex + 4) % 7; // 1970-01-01 was a Thursday
    // Rows come day by day: the calendar fields, the month's accumulator and the active-day set change rarely.
    if (dayIndex !== this.memoDay) {
      const d = new Date(local);
      this.memoDay = dayIndex;
      this.memoDate = d.getUTCDate();
      const mk = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (mk !== this.memoMonth || this.memoMonthAcc === undefined) {
        this.memoMonth = mk;
        let acc = this.months.get(mk);
        if (!acc) this.months.set(mk, (acc = { income: 0, spending: 0, inflow: 0, outflow: 0, count: 0 }));
        this.memoMonthAcc = acc;
      }
      this.days.add(dayIndex);
    }
    const monthKey = this.memoMonth;
    const m = this.memoMonthAcc!;
    m.count++;
    this.hours[hour]++;
    this.heat[weekday][hour]++;
    if (hour < 5) this.late++;

    let c = this.cats.get(category);
    if (!c) this.cats.set(category, (c = { count: 0, inflow: 0, outflow: 0 }));
    c.count++;
    let reasons: string[] | undefined;
    if (dir === 'in') {
      this.cIn++;
      m.inflow += a;
      c.inflow += a;
      if (!NON_INCOME.has(category)) {
        m.income += a;
        this.incomeTotal += a;
        let p = this.payers.get(tx.counterparty);
        if (!p) this.payers.set(tx.counterparty, (p = { amount: 0, count: 0, months: new Map(), days: [] }));
        p.amount += a;
        p.count++;
        p.months.set(monthKey, (p.months.get(monthKey) ?? 0) + a);
        if (p.days.length < 48) p.days.push(this.memoDate);
      }
    } else if (dir === 'out') {
      this.cOut++;
      m.outflow += a;
      c.outflow += a;
      if (!NON_SPENDING.has(category)) {
        m.spending += a;
        this.spendTotal += a;
      }
    } else {
      this.cNeutral++;
      if (category === 'lending_in') c.inflow += a;
      else c.outflow += a;
    }

    if (tx.method || dir !== 'neutral') {
      const key = tx.method || '(未注明)';
      let card = this.cards.get(key);
      if (!card) this.cards.set(key, (card = { kind: this.classifier.channel(tx.method), count: 0, inflow: 0, outflow: 0 }));
      card.count++;
      if (dir === 'in') card.inflow += a;
      else card.outflow += a;
    }

    if (lender) {
      let l = this.lenders.get(lender);
      if (!l) this.lenders.set(lender, (l = { first: t, last: t, inflow: 0, inflowCount: 0, repay: 0, repayCount: 0, months: new Map() }));
      if (t < l.first) l.first = t;
      if (t > l.last) l.last = t;
      let lm = l.months.get(monthKey);
      if (!lm) l.months.set(monthKey, (lm = { inflow: 0, repayment: 0 }));
      if (category === 'lending_in') {
        l.inflow += a;
        l.inflowCount++;
        lm.inflow += a;
      } else {
        l.repay += a;
        l.repayCount++;
        lm.repayment += a;
      }
      if (this.evCount < MAX_LENDER_EVENTS) this.lenderEvent(t, lender, category === 'lending_in');
    }
    if (category === 'credit_card_repay') this.creditCard += a;
    if (category === 'gambling') {
      this.gambling.count++;
      this.gambling.amount += a;
      reasons = ['GAMBLING'];
    } else if (category === 'crypto') {
      this.crypto.count++;
      this.crypto.amount += a;
      reasons = ['CRYPTO'];
    } else if (category === 'game' || category === 'live_tip') {
      this.gameLive.count++;
      this.gameLive.amount += a;
    }
    if (tx.status !== this.lastStatus) {
      this.lastStatus = tx.status;
      this.lastClosed = CLOSED.test(tx.status);
    }
    if (category === 'refund' || this.lastClosed) this.refundClosed++;

    if (dir !== 'neutral' && a >= ROUND_MIN && category !== 'salary') {
      this.bigCount++;
      if (a % 100_000 === 0) this.roundCount++;
    }
    // The large-transfer threshold is at least 2 × LARGE_FLOOR, so smaller ones never count.
    if (dir !== 'neutral' && a >= 2 * LARGE_FLOOR && this.largeCandidates < 100_000) {
      this.largeCandidates++;
      this.largeAmounts.set(a, (this.largeAmounts.get(a) ?? 0) + 1);
    }
    if (hour < 5 && a >= LARGE_FLOOR && category === 'transfer') {
      this.nightLarge.count++;
      this.nightLarge.amount += a;
      (reasons ??= []).push('NIGHT_LARGE');
    }
    if (category === 'transfer' || category === 'other_income' || category === 'consumption') {
      const key = tx.counterparty;
      if (key) {
        let cp = this.counterparties.get(key);
        if (!cp) this.counterparties.set(key, (cp = { inflow: 0, outflow: 0 }));
        if (dir === 'in') cp.inflow += a;
        else if (dir === 'out') cp.outflow += a;
      }
    }
    if (dir === 'in' && a < SMALL_INFLOW && (category === 'transfer' || category === 'other_income')) {
      let s = this.smallByDay.get(dayIndex);
      if (!s) this.smallByDay.set(dayIndex, (s = { count: 0, payers: new Set() }));
      s.count++;
      if (s.payers.size < 32) s.payers.add(tx.counterparty); // the burst rule needs ≥ 10 distinct payers
    }
    this.trackFastInOut(tx, category);
    if (reasons !== undefined) this.flag(tx, category, reasons);
    return category;
  }

  private lenderEvent(t: number, lender: string, inflow: boolean): void {
    const n = this.evCount;
    if (n === this.evT.length) {
      const t2 = new Float64Array(n * 2);
      const l2 = new Uint16Array(n * 2);
      const i2 = new Uint8Array(n * 2);
      t2.set(this.evT);
      l2.set(this.evLender);
      i2.set(this.evIn);
      this.evT = t2;
      this.evLender = l2;
      this.evIn = i2;
    }
    let li = this.lenderIndex.get(lender);
    if (li === undefined) this.lenderIndex.set(lender, (li = this.lenderIndex.size));
    this.evT[n] = t;
    this.evLender[n] = li;
    this.evIn[n] = inflow ? 1 : 0;
    this.evCount = n + 1;
  }

  private flag(tx: Transaction, category: Category, reasons: string[]): void {
    if (this.flagged.length >= MAX_FLAGGED) return;
    this.flagged.push({ time: tx.time, direction: tx.direction, amount: tx.amount, counterparty: tx.counterparty, item: tx.item, category, reasons, orderId: tx.orderId });
  }

  private trackFastInOut(tx: Transaction, category: Category): void {
    const t = tx.time;
    if (!Number.isNaN(this.lastT) && this.order === 0 && t !== this.lastT) {
      this.order = t > this.lastT ? 1 : -1;
      // Until the order was known both views were kept; drop the one that does not apply.
      if (this.order === 1) this.recentOut = [];
      else {
        for (const p of this.pending) this.closePending({ tx: p.tx, out: this.outSum });
        this.pending = [];
      }
    }
    this.lastT = t;
    const isIn = tx.direction === 'in' && tx.amount >= FAST_MIN && category !== 'refund' && category !== 'transfer_self';
    const isOut = tx.direction === 'out' && category !== 'transfer_self';
    if (this.order >= 0) {
      // Ascending: an inflow stays open for 24 h; outflows in that window are the cumulative total since it opened.
      while (this.pending.length && t - this.pending[0].tx.time > DAY) {
        const p = this.pending.shift()!;
        this.closePending({ tx: p.tx, out: this.cumOut - p.out });
      }
      if (isIn) this.pending.push({ tx, out: this.cumOut });
      if (isOut) this.cumOut += tx.amount;
    }
    if (this.order <= 0) {
      // Descending: outflows already seen are later in time; keep a running sum of those within 24 h.
      while (this.head < this.recentOut.length && this.recentOut[this.head].time - t > DAY) {
        this.outSum -= this.recentOut[this.head].amount;
        this.head++;
        if (this.head > 4096 && this.head * 2 > this.recentOut.length) {
          this.recentOut = this.recentOut.slice(this.head);
          this.head = 0;
        }
      }
      if (isIn && this.order === -1) this.closePending({ tx, out: this.outSum });
      if (isOut) {
        this.recentOut.push(tx);
        this.outSum += tx.amount;
      }
    }
  }

  private closePending(p: Pending): void {
    if (p.out * 10 >= p.tx.amount * 9) {
      this.fast.count++;
      this.fast.amount += p.tx.amount;
      this.flag(p.tx, 'transfer', ['FAST_IN_OUT']);
    }
  }

  finish(): Indicators {
    for (const p of this.pending) this.closePending({ tx: p.tx, out: this.cumOut - p.out });
    this.pending = [];
    const from = this.n ? this.from : 0;
    const to = this.n ? this.to : 0;
    const monthKeys = [...this.months.keys()].sort((a, b) => a - b);
    const first = monthKeys[0] ?? 0;
    const last = monthKeys.at(-1) ?? -1;
    const monthly: MonthRow[] = [];
    const incomes: number[] = [];
    for (let k = first; k <= last; k++) {
      const m = this.months.get(k) ?? { income: 0, spending: 0, inflow: 0, outflow: 0, count: 0 };
      monthly.push({ month: monthName(k), ...m });
      incomes.push(m.income);
    }
    const nMonths = Math.max(monthly.length, 1);
    const monthlyIncome = Math.round(this.incomeTotal / nMonths);
    const mean = incomes.length ? incomes.reduce((s, v) => s + v, 0) / incomes.length : 0;
    const sd = incomes.length ? Math.sqrt(incomes.reduce((s, v) => s + (v - mean) ** 2, 0) / incomes.length) : 0;

    const payers = [...this.payers.entries()].sort((a, b) => b[1].amount - a[1].amount);
    const share = (v: number, total: number) => (total > 0 ? v / total : 0);
    const topPayers = payers.slice(0, 5).map(([name, p]) => ({ name, amount: p.amount, share: share(p.amount, this.incomeTotal) }));
    const salary = detectSalary(payers, this.classifier, monthly.length);

    const catRows = [...this.cats.entries()]
      .map(([category, c]) => ({ category, ...c, share: share(c.outflow, [...this.cats.values()].reduce((s, x) => s + x.outflow, 0)) }))
      .sort((a, b) => b.outflow + b.inflow - (a.outflow + a.inflow));
    const cardTotal = [...this.cards.values()].reduce((s, c) => s + c.inflow + c.outflow, 0);
    const cardRows = [...this.cards.entries()]
      .map(([method, c]) => ({ method, ...c, share: share(c.inflow + c.outflow, cardTotal) }))
      .sort((a, b) => b.inflow + b.outflow - (a.inflow + a.outflow));
    const realCards = cardRows.filter((c) => c.kind === 'debit' || c.kind === 'credit');

    const ref = this.now ?? to;
    const platforms: LenderRow[] = [...this.lenders.entries()]
      .map(([platform, l]) => ({
        platform,
        firstSeen: l.first,
        lastSeen: l.last,
        inflow: l.inflow,
        inflowCount: l.inflowCount,
        repayment: l.repay,
        repaymentCount: l.repayCount,
        months: [...l.months.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => ({ month: monthName(k), ...v })),
      }))
      .sort((a, b) => a.firstSeen - b.firstSeen);
    const lenderInflow = platforms.reduce((s, p) => s + p.inflow, 0);
    const repayments = platforms.reduce((s, p) => s + p.repayment, 0);

    // 以贷养贷: a repayment to one platform within 7 days after borrowing from another.
    const lenderNames = [...this.lenderIndex.keys()];
    const ev = Array.from({ length: this.evCount }, (_, i) => ({ t: this.evT[i], lender: lenderNames[this.evLender[i]], kind: this.evIn[i] ? 'in' : 'repay' })).sort(
      (a, b) => a.t - b.t,
    );
    let loanToRepay = 0;
    // Sliding 7-day window of inflows: per lender, how many inflows are inside it.
    const inWindow = new Map<string, number>();
    let windowCount = 0;
    let lo = 0;
    for (let i = 0; i < ev.length; i++) {
      const e = ev[i];
      while (lo < i && e.t - ev[lo].t > 7 * DAY) {
        const old = ev[lo++];
        if (old.kind === 'in') {
          inWindow.set(old.lender, inWindow.get(old.lender)! - 1);
          windowCount--;
        }
      }
      if (e.kind === 'in') {
        inWindow.set(e.lender, (inWindow.get(e.lender) ?? 0) + 1);
        windowCount++;
      } else if (windowCount - (inWindow.get(e.lender) ?? 0) > 0) loanToRepay++;
    }

    const largeThreshold = Math.max(LARGE_FLOOR * 2, monthlyIncome * 2);
    let largeCount = 0;
    let largeAmount = 0;
    for (const [amount, count] of this.largeAmounts) {
      if (amount >= largeThreshold) {
        largeCount += count;
        largeAmount += amount * count;
      }
    }
    let rtCount = 0;
    let rtAmount = 0;
    for (const cp of this.counterparties.values()) {
      const lo = Math.min(cp.inflow, cp.outflow);
      const hi = Math.max(cp.inflow, cp.outflow);
      if (lo >= ROUND_MIN * 5 && lo * 10 >= hi * 8) {
        rtCount++;
        rtAmount += lo;
      }
    }
    let burstDays = 0;
    let maxPerDay = 0;
    for (const s of this.smallByDay.values()) {
      if (s.count >= 20 && s.payers.size >= 10) burstDays++;
      if (s.count > maxPerDay) maxPerDay = s.count;
    }
    const days = this.n ? Math.floor((to + BEIJING_OFFSET_MS) / DAY) - Math.floor((from + BEIJING_OFFSET_MS) / DAY) + 1 : 0;
    const flagged = this.flagged.sort((a, b) => b.amount - a.amount);
    return {
      period: { from, to, months: monthly.length, days },
      counts: { transactions: this.n, inflow: this.cIn, outflow: this.cOut, neutral: this.cNeutral },
      monthly,
      income: {
        total: this.incomeTotal,
        monthlyAvg: monthlyIncome,
        cv: mean > 0 ? round3(sd / mean) : 0,
        monthsWithIncome: incomes.filter((v) => v > 0).length,
        topPayers,
        top1Share: round3(topPayers[0]?.share ?? 0),
        top3Share: round3(topPayers.slice(0, 3).reduce((s, p) => s + p.share, 0)),
        salary,
      },
      spending: {
        total: this.spendTotal,
        monthlyAvg: Math.round(this.spendTotal / nMonths),
        incomeExpenseRatio: this.spendTotal > 0 ? round3(this.incomeTotal / this.spendTotal) : 0,
        netFlow: monthly.reduce((s, m) => s + m.inflow - m.outflow, 0),
        categories: catRows.map((c) => ({ ...c, share: round3(c.share) })),
        activeDays: this.days.size,
        activeDayShare: round3(share(this.days.size, days)),
        lateNightShare: round3(share(this.late, this.n)),
        hourHistogram: this.hours,
        heatmap: this.heat,
      },
      cards: {
        distinct: realCards.length,
        debit: realCards.filter((c) => c.kind === 'debit').length,
        credit: realCards.filter((c) => c.kind === 'credit').length,
        rows: cardRows.map((c) => ({ ...c, share: round3(c.share) })),
      },
      credit: {
        platformCount: platforms.length,
        platforms,
        lenderInflow,
        repayments,
        repaymentToIncome: this.incomeTotal > 0 ? round3(repayments / this.incomeTotal) : repayments > 0 ? 99 : 0,
        newPlatforms90d: platforms.filter((p) => ref - p.firstSeen <= 90 * DAY).length,
        loanToRepayCount: loanToRepay,
        creditCardRepayment: this.creditCard,
      },
      suspicious: {
        largeInOut: { threshold: largeThreshold, count: largeCount, amount: largeAmount },
        roundAmounts: { count: this.roundCount, share: round3(share(this.roundCount, this.bigCount)) },
        fastInOut: this.fast,
        roundTrips: { counterparties: rtCount, amount: rtAmount },
        smallInflowBursts: { days: burstDays, maxPerDay },
        gambling: this.gambling,
        crypto: this.crypto,
        refundClosedRatio: round3(share(this.refundClosed, this.n)),
        nightLarge: this.nightLarge,
        gameLive: { ...this.gameLive, shareOfSpending: round3(share(this.gameLive.amount, this.spendTotal)) },
      },
      flagged,
    };
  }
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const monthName = (k: number) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;

/** Salary: the same payer in most months with a steady amount and day of month, or payments named 工资/代发. */
function detectSalary(payers: [string, PayerAcc][], _c: Classifier, months: number): Indicators['income']['salary'] {
  const need = Math.max(2, Math.min(3, months));
  for (const [name, p] of payers.slice(0, 20)) {
    const amounts = [...p.months.values()];
    if (amounts.length < need) continue;
    const mean = amounts.reduce((s, v) => s + v, 0) / amounts.length;
    const sd = Math.sqrt(amounts.reduce((s, v) => s + (v - mean) ** 2, 0) / amounts.length);
    const daysSorted = [...p.days].sort((a, b) => a - b);
    const spread = daysSorted.length ? daysSorted[daysSorted.length - 1] - daysSorted[0] : 99;
    if (mean > 0 && sd / mean <= 0.25 && spread <= 6) {
      return { detected: true, payer: name, monthlyAvg: Math.round(mean), dayOfMonth: daysSorted[daysSorted.length >> 1], months: amounts.length };
    }
  }
  return { detected: false, monthlyAvg: 0, months: 0 };
}
