// Report charts rendered server-side by ECharts to inline SVG (no browser, no script in the report).
import * as echarts from 'echarts';
import { CATEGORY_LABELS } from '../classify.js';
import type { Indicators } from '../indicators.js';
import { texts, type Lang } from './i18n.js';

const NOT_SPENT = new Set(['transfer_self', 'investment', 'refund']);
const FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
const yuan = (fen: number) => Math.round(fen) / 100;
/** Axis labels: 1,250,000 → 125万 (zh) or 1.25M (en) so they never collide. */
let compactLang: Lang = 'zh-CN';
const compact = (v: number): string => {
  const a = Math.abs(v);
  if (compactLang === 'en') return a >= 1e6 ? `${+(v / 1e6).toFixed(1)}M` : a >= 1e3 ? `${+(v / 1e3).toFixed(1)}k` : String(v);
  return a >= 1e4 ? `${+(v / 1e4).toFixed(1)}万` : String(v);
};

function render(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export interface ReportCharts {
  monthly: string;
  category: string;
  cards: string;
  lenders?: string;
  heatmap: string;
}

export function renderCharts(ind: Indicators, lang: Lang): ReportCharts {
  const t = texts(lang);
  compactLang = lang;
  const months = ind.monthly.map((m) => m.month);
  const monthly = render(
    {
      color: ['#2f9e44', '#e03131', '#1971c2', '#f08c00'],
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 40 },
      tooltip: {},
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: lang === 'en' ? 'CNY' : '元', axisLabel: { formatter: compact } },
      series: [
        { name: t.inflow, type: 'bar', data: ind.monthly.map((m) => yuan(m.inflow)) },
        { name: t.outflow, type: 'bar', data: ind.monthly.map((m) => yuan(m.outflow)) },
        { name: t.income, type: 'line', showSymbol: months.length <= 24, data: ind.monthly.map((m) => yuan(m.income)) },
        { name: t.spending, type: 'line', showSymbol: months.length <= 24, data: ind.monthly.map((m) => yuan(m.spending)) },
      ],
    },
    860,
    320,
  );
  // Spending only: money moved between the applicant's own accounts, investments and refunds are not spent.
  const cats = ind.spending.categories.filter((c) => c.outflow > 0 && !NOT_SPENT.has(c.category));
  const category = render(
    {
      tooltip: {},
      legend: { bottom: 0, left: 'center', itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      series: [
        {
          type: 'pie',
          radius: ['30%', '56%'],
          center: ['50%', '40%'],
          minShowLabelAngle: 8,
          labelLayout: { hideOverlap: true },
          label: { formatter: '{b}\n{d}%', fontSize: 11 },
          data: cats.map((c) => ({ name: CATEGORY_LABELS[c.category][lang === 'en' ? 'en' : 'zh'], value: yuan(c.outflow) })),
        },
      ],
    },
    420,
    320,
  );
  const cardRows = ind.cards.rows.slice(0, 10).reverse();
  const cards = render(
    {
      color: ['#2f9e44', '#e03131'],
      legend: { top: 0 },
      grid: { left: 170, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: compact, hideOverlap: true }, splitNumber: 3 },
      yAxis: { type: 'category', data: cardRows.map((c) => c.method), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        { name: t.inflow, type: 'bar', stack: 'x', data: cardRows.map((c) => yuan(c.inflow)) },
        { name: t.outflow, type: 'bar', stack: 'x', data: cardRows.map((c) => yuan(c.outflow)) },
      ],
    },
    420,
    320,
  );
  let lenders: string | undefined;
  if (ind.credit.platforms.length) {
    const pMonths = [...new Set(ind.credit.platforms.flatMap((p) => p.months.map((m) => m.month)))].sort();
    const series: echarts.SeriesOption[] = [];
    for (const p of ind.credit.platforms) {
      const byMonth = new Map(p.months.map((m) => [m.month, m]));
      series.push({ name: p.platform, type: 'bar', stack: 'in', data: pMonths.map((m) => yuan(byMonth.get(m)?.inflow ?? 0)) });
      series.push({ name: p.platform, type: 'bar', stack: 'out', data: pMonths.map((m) => -yuan(byMonth.get(m)?.repayment ?? 0)) });
    }
    lenders = render(
      {
        legend: { top: 0, type: 'scroll' },
        grid: { left: 70, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: pMonths },
        yAxis: { type: 'value', name: `${t.borrowed} + / ${t.repaid} −`, axisLabel: { formatter: compact } },
        series,
      },
      860,
      300,
    );
  }
  const data: [number, number, number][] = [];
  let max = 1;
  ind.spending.heatmap.forEach((row, wd) =>
    row.forEach((v, h) => {
      data.push([h, wd, v]);
      if (v > max) max = v;
    }),
  );
  const heatmap = render(
    {
      grid: { left: 60, right: 20, top: 10, bottom: 70 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, i) => String(i)), splitArea: { show: true } },
      yAxis: { type: 'category', data: t.weekdays, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, text: [String(max), '0'], inRange: { color: ['#f1f3f5', '#74c0fc', '#1864ab'] } },
      series: [{ type: 'heatmap', data, label: { show: false } }],
    },
    860,
    280,
  );
  return { monthly, category, cards, lenders, heatmap };
}
