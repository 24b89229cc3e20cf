// The flat `features.statement.*` view of the indicators, for the risk strategy and for loan strategies.
// Money in yuan (numbers with 2 decimals) because strategy authors write thresholds in yuan.
import type { Indicators } from './indicators.js';

export type StatementFeatures = Record<string, number | boolean>;

const yuan = (fen: number) => Math.round(fen) / 100;

export function statementFeatures(ind: Indicators, opts: { tampered?: boolean } = {}): StatementFeatures {
  return {
    months: ind.period.months,
    days: ind.period.days,
    transactionCount: ind.counts.transactions,
    incomeTotal: yuan(ind.income.total),
    incomeMonthlyAvg: yuan(ind.income.monthlyAvg),
    incomeCv: ind.income.cv,
    monthsWithIncome: ind.income.monthsWithIncome,
    incomeTop1Share: ind.income.top1Share,
    incomeTop3Share: ind.income.top3Share,
    salaryDetected: ind.income.salary.detected,
    salaryMonthlyAvg: yuan(ind.income.salary.monthlyAvg),
    spendingTotal: yuan(ind.spending.total),
    spendingMonthlyAvg: yuan(ind.spending.monthlyAvg),
    incomeExpenseRatio: ind.spending.incomeExpenseRatio,
    netFlow: yuan(ind.spending.netFlow),
    activeDays: ind.spending.activeDays,
    activeDayShare: ind.spending.activeDayShare,
    lateNightShare: ind.spending.lateNightShare,
    distinctCards: ind.cards.distinct,
    debitCards: ind.cards.debit,
    creditCards: ind.cards.credit,
    platformCount: ind.credit.platformCount,
    lenderInflow: yuan(ind.credit.lenderInflow),
    loanRepayments: yuan(ind.credit.repayments),
    repaymentToIncome: ind.credit.repaymentToIncome,
    newPlatforms90d: ind.credit.newPlatforms90d,
    loanToRepayCount: ind.credit.loanToRepayCount,
    creditCardRepayment: yuan(ind.credit.creditCardRepayment),
    largeInOutCount: ind.suspicious.largeInOut.count,
    roundAmountCount: ind.suspicious.roundAmounts.count,
    roundAmountShare: ind.suspicious.roundAmounts.share,
    fastInOutCount: ind.suspicious.fastInOut.count,
    roundTripCounterparties: ind.suspicious.roundTrips.counterparties,
    smallInflowBurstDays: ind.suspicious.smallInflowBursts.days,
    gamblingCount: ind.suspicious.gambling.count,
    gamblingAmount: yuan(ind.suspicious.gambling.amount),
    cryptoCount: ind.suspicious.crypto.count,
    refundClosedRatio: ind.suspicious.refundClosedRatio,
    nightLargeCount: ind.suspicious.nightLarge.count,
    gameLiveShareOfSpending: ind.suspicious.gameLive.shareOfSpending,
    tampered: opts.tampered ?? false,
  };
}
