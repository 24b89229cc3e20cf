// The self-contained HTML report: summary and risk first, then charts, then flagged transactions.
import { CATEGORY_LABELS } from '../classify.js';
import type { StatementReport } from '../analyze.js';
import { formatYuan } from '../money.js';
import { formatBeijing } from '../time.js';
import { renderCharts } from './charts.js';
import { texts, type Lang } from './i18n.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function renderReportHtml(report: StatementReport, opts: { lang?: Lang } = {}): string {
  const lang: Lang = opts.lang === 'en' ? 'en' : 'zh-CN';
  const t = texts(lang);
  const ind = report.indicators;
  const L = lang === 'en' ? 'en' : 'zh';
  const charts = renderCharts(ind, lang);
  const period = ind.counts.transactions ? `${formatBeijing(ind.period.from).slice(0, 10)} — ${formatBeijing(ind.period.to).slice(0, 10)}` : t.noData;
  const y = (fen: number) => formatYuan(fen);
  const kv = (k: string, v: string, warn = false) => `<div class="kv${warn ? ' warn' : ''}"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`;
  const sal = ind.income.salary;
  const s = ind.suspicious;
  const reasons = report.risk.reasons.length
    ? `<ul class="reasons">${report.risk.reasons.map((r) => `<li><code>${esc(r.code)}</code> ${esc(r[L])}</li>`).join('')}</ul>`
    : `<p class="ok">${esc(t.noReasons)}</p>`;
  const files = report.files
    .map(
      (f) =>
        `<tr><td>${esc(f.name)}</td><td>${esc(f.label[L])}</td><td class="num">${f.transactionCount}</td><td>${
          f.warnings.length ? f.warnings.map((w) => `<div class="w">${esc(w[L])}</div>`).join('') : esc(t.none)
        }</td></tr>`,
    )
    .join('');
  const flagged = ind.flagged.length
    ? `<table class="tx"><thead><tr><th>${t.time}</th><th>${t.direction}</th><th class="num">${t.amount}</th><th>${t.counterparty}</th><th>${t.item}</th><th>${t.category}</th><th>${t.reason}</th></tr></thead><tbody>${ind.flagged
        .slice(0, 100)
        .map(
          (f) =>
            `<tr><td>${esc(formatBeijing(f.time))}</td><td>${esc(t.dir[f.direction])}</td><td class="num">${y(f.amount)}</td><td>${esc(f.counterparty)}</td><td>${esc(f.item)}</td><td>${esc(
              CATEGORY_LABELS[f.category][L],
            )}</td><td>${f.reasons.map((r) => `<code>${esc(r)}</code>`).join(' ')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${esc(t.noFlagged)}</p>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<style>
*{box-sizing:border-box}body{margin:0;font:14px/1.5 "PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",system-ui,sans-serif;color:#212529;background:#f8f9fa}
main{max-width:920px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-left:4px solid #1971c2;padding-left:8px}
.meta{color:#6c757d;font-size:12px}
.card{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:16px;margin-top:12px}
.risk{display:flex;gap:20px;align-items:flex-start}
.badge{flex:none;font-size:20px;font-weight:700;padding:14px 20px;border-radius:8px;color:#fff;text-align:center;min-width:140px}
.badge small{display:block;font-size:12px;font-weight:400;opacity:.9}
.low{background:#2f9e44}.medium{background:#f08c00}.high{background:#e03131}
.reasons{margin:0;padding-left:18px}.reasons li{margin:2px 0}.ok{color:#2f9e44;margin:0}
code{font-size:11px;background:#f1f3f5;border-radius:3px;padding:1px 4px;color:#495057}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.kv{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:8px 10px}.kv .k{color:#6c757d;font-size:12px}.kv .v{font-size:16px;font-weight:600}
.kv.warn{border-color:#ffa8a8;background:#fff5f5}
table{width:100%;border-collapse:collapse;background:#fff}th,td{border-bottom:1px solid #e9ecef;padding:5px 6px;text-align:left;vertical-align:top;font-size:12px}
th{background:#f1f3f5;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.w{color:#c92a2a}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:12px}.charts .wide{grid-column:1/3}
.chart{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:8px;overflow:hidden}.chart h3{font-size:14px;margin:0 0 4px}
.chart svg{max-width:100%;height:auto}
@media print{body{background:#fff}main{padding:0}.chart,.card,tr{break-inside:avoid}}
</style></head><body><main>
<h1>${esc(t.title)}</h1>
<div class="meta">${esc(t.generated)}: ${esc(report.generatedAt)} · ${esc(t.holder)}: ${esc(report.holder ?? '-')} · ${esc(t.period)}: ${esc(period)} · ${esc(t.masked)}</div>
<div class="card risk"><div class="badge ${report.risk.level}"><small>${esc(t.risk)}</small>${esc(t.level[report.risk.level])}</div><div><strong>${esc(t.reasons)}</strong>${reasons}</div></div>
<h2>${esc(t.summary)}</h2>
<div class="grid">
${kv(t.transactions, String(ind.counts.transactions))}
${kv(t.monthlyIncome, y(ind.income.monthlyAvg))}
${kv(t.monthlySpending, y(ind.spending.monthlyAvg))}
${kv(t.incomeExpense, ind.spending.incomeExpenseRatio.toFixed(2), ind.spending.incomeExpenseRatio > 0 && ind.spending.incomeExpenseRatio < 0.8)}
${kv(t.netFlow, y(ind.spending.netFlow))}
${kv(t.incomeCv, ind.income.cv.toFixed(2), ind.income.cv > 1)}
${kv(t.top3, pct(ind.income.top3Share))}
${kv(t.activeDays, `${ind.spending.activeDays} / ${ind.period.days}`)}
${kv(t.platforms, String(ind.credit.platformCount), ind.credit.platformCount >= 3)}
${kv(t.repayToIncome, pct(ind.credit.repaymentToIncome), ind.credit.repaymentToIncome > 0.5)}
${kv(t.newPlatforms, String(ind.credit.newPlatforms90d), ind.credit.newPlatforms90d >= 2)}
${kv(t.loanToRepay, String(ind.credit.loanToRepayCount), ind.credit.loanToRepayCount > 0)}
${kv(t.cards, `${ind.cards.distinct} (${ind.cards.debit}/${ind.cards.credit})`)}
${kv(t.lateNight, pct(ind.spending.lateNightShare), ind.spending.lateNightShare > 0.15)}
<div class="kv" style="grid-column:span 2"><div class="k">${esc(t.salary)}</div><div class="v">${esc(sal.detected ? t.salaryYes(sal.payer ?? '', sal.dayOfMonth, y(sal.monthlyAvg)) : t.salaryNo)}</div></div>
</div>
<h2>${esc(t.suspicious)}</h2>
<div class="grid">
${kv(t.fastInOut, `${s.fastInOut.count} · ${y(s.fastInOut.amount)}`, s.fastInOut.count > 0)}
${kv(t.roundTrips, String(s.roundTrips.counterparties), s.roundTrips.counterparties > 0)}
${kv(t.roundAmounts, `${s.roundAmounts.count} (${pct(s.roundAmounts.share)})`, s.roundAmounts.share >= 0.5 && s.roundAmounts.count >= 5)}
${kv(t.smallBursts, String(s.smallInflowBursts.days), s.smallInflowBursts.days > 0)}
${kv(t.gambling, `${s.gambling.count} · ${y(s.gambling.amount)}`, s.gambling.count > 0)}
${kv(t.crypto, `${s.crypto.count} · ${y(s.crypto.amount)}`, s.crypto.count > 0)}
${kv(t.nightLarge, `${s.nightLarge.count} · ${y(s.nightLarge.amount)}`, s.nightLarge.count > 0)}
${kv(t.refundClosed, pct(s.refundClosedRatio))}
</div>
<h2>${esc(t.files)}</h2>
<table><thead><tr><th>${t.files}</th><th>${t.format}</th><th class="num">${t.count}</th><th>${t.warnings}</th></tr></thead><tbody>${files}</tbody></table>
<div class="charts" style="margin-top:16px">
<div class="chart wide"><h3>${esc(t.chartMonthly)}</h3>${charts.monthly}</div>
<div class="chart"><h3>${esc(t.chartCategory)}</h3>${charts.category}</div>
<div class="chart"><h3>${esc(t.chartCards)}</h3>${charts.cards}</div>
<div class="chart wide"><h3>${esc(t.chartLenders)}</h3>${charts.lenders ?? `<p>${esc(t.noData)}</p>`}</div>
<div class="chart wide"><h3>${esc(t.chartHeat)}</h3>${charts.heatmap}</div>
</div>
<h2>${esc(t.flagged)}</h2>
${flagged}
</main></body></html>`;
}
