// ECharts options for a version's report: ROC, KS, score distribution, lift and importance. Everything drawn
// comes from the curves the service computed on the test split at training time (docs/models.md, "Console").
import type { TrainingReport } from '../types.js';
import type { I18n } from '../i18n.js';

type Tr = I18n['tr'];
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const axisPct = { type: 'value', min: 0, max: 1, axisLabel: { formatter: pct } };

export function rocOption(r: TrainingReport, auc: number | undefined, tr: Tr) {
  const pts = (c: { fpr: number[]; tpr: number[] }) => c.fpr.map((x, i) => [x, c.tpr[i]]);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(3) : v) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 40 },
    xAxis: { ...axisPct, name: tr('False positive rate', '误拒率（好样本）'), nameLocation: 'middle', nameGap: 26 },
    yAxis: { ...axisPct, name: tr('True positive rate', '坏样本捕获率') },
    series: [
      { name: `${tr('Test', '测试集')}${auc !== undefined ? ` AUC ${auc.toFixed(3)}` : ''}`, type: 'line', showSymbol: false, data: pts(r.roc), color: '#1677ff', areaStyle: { opacity: 0.08 } },
      { name: tr('Train', '训练集'), type: 'line', showSymbol: false, data: pts(r.rocTrain), color: '#faad14', lineStyle: { width: 1 } },
      { name: tr('Random', '随机'), type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], color: '#bbb', lineStyle: { type: 'dashed', width: 1 } },
    ],
  };
}

export function ksOption(r: TrainingReport, tr: Tr) {
  const k = r.ks;
  // The KS gap as a vertical segment at the cut where bad and good cumulative shares differ most.
  let gapAt = 0;
  for (let i = 1; i < k.population.length; i++) if (Math.abs(k.population[i]! - k.at) < Math.abs(k.population[gapAt]! - k.at)) gapAt = i;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? pct(v) : v) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 40 },
    xAxis: { ...axisPct, name: tr('Population (riskiest first)', '人群占比（从高风险起）'), nameLocation: 'middle', nameGap: 26 },
    yAxis: axisPct,
    series: [
      { name: tr('Cumulative bad', '累计坏样本'), type: 'line', showSymbol: false, data: k.population.map((x, i) => [x, k.bad[i]]), color: '#cf1322' },
      { name: tr('Cumulative good', '累计好样本'), type: 'line', showSymbol: false, data: k.population.map((x, i) => [x, k.good[i]]), color: '#52c41a' },
      { name: `KS ${k.ks.toFixed(3)}`, type: 'line', symbol: 'circle', symbolSize: 5, data: [[k.population[gapAt], k.good[gapAt]], [k.population[gapAt], k.bad[gapAt]]], color: '#722ed1', lineStyle: { width: 2, type: 'dashed' } },
    ],
  };
}

export function distributionOption(r: TrainingReport, tr: Tr, byOutcome: boolean) {
  const d = r.distribution;
  const digits = r.scoreKind === 'points' ? 0 : 2;
  const labels = d.test.map((_, i) => `${d.edges[i]!.toFixed(digits)}–${d.edges[i + 1]!.toFixed(digits)}`);
  const share = (c: number[]) => {
    const n = c.reduce((s, x) => s + x, 0) || 1;
    return c.map((x) => x / n);
  };
  const series = byOutcome
    ? [
        { name: tr('Test good', '测试集好样本'), type: 'bar', data: share(d.testGood), color: '#52c41a' },
        { name: tr('Test bad', '测试集坏样本'), type: 'bar', data: share(d.testBad), color: '#cf1322' },
      ]
    : [
        { name: tr('Train', '训练集'), type: 'bar', data: share(d.train), color: '#faad14' },
        { name: tr('Test', '测试集'), type: 'bar', data: share(d.test), color: '#1677ff' },
      ];
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : v) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 56 },
    xAxis: { type: 'category', data: labels, name: r.scoreKind === 'points' ? tr('Score (points)', '分数') : tr('Probability of bad', '坏样本概率'), nameLocation: 'middle', nameGap: 40, axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { formatter: pct } },
    series,
  };
}

export function liftOption(r: TrainingReport, tr: Tr) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 32, bottom: 40 },
    xAxis: { type: 'category', data: r.lift.map((d) => String(d.decile)), name: tr('Decile (riskiest first)', '十分位（从高风险起）'), nameLocation: 'middle', nameGap: 26 },
    yAxis: [
      { type: 'value', name: tr('Lift', '提升度') },
      { type: 'value', min: 0, max: 1, axisLabel: { formatter: pct } },
    ],
    series: [
      { name: tr('Lift', '提升度'), type: 'bar', data: r.lift.map((d) => Number(d.lift.toFixed(3))), color: '#1677ff' },
      { name: tr('Cumulative bad captured', '累计坏样本捕获率'), type: 'line', yAxisIndex: 1, data: r.lift.map((d) => Number(d.cumBadShare.toFixed(4))), color: '#cf1322' },
    ],
  };
}

export function importanceOption(r: TrainingReport, tr: Tr) {
  const top = (r.importance ?? []).slice(0, 20).reverse();
  return {
    tooltip: {},
    grid: { left: 160, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value', name: tr('Gain', '增益') },
    yAxis: { type: 'category', data: top.map((x) => x.feature) },
    series: [{ type: 'bar', data: top.map((x) => Number(x.gain.toFixed(2))), color: '#13c2c2' }],
  };
}
