// Dashboard: decisions over time by outcome, reject/review rates, latency, top rules and volume per event type.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Segmented, Space, Statistic, Switch, Typography } from 'antd';
import { api } from '../api.js';
import { decisionLabel, useI18n } from '../i18n.js';
import { Chart } from '../components/Chart.js';

interface Stats {
  from: string;
  to: string;
  bucket: 'minute' | 'hour';
  total: number;
  byDecision: Record<string, number>;
  byEventType: Record<string, number>;
  rejectRate: number;
  reviewRate: number;
  series: { start: string; eventType: string; decision: string; count: number }[];
  topRules: { rule: string; count: number }[];
  /** Absent when no decision was made in the period. */
  latency?: { p50: number; p90?: number; p99: number; max?: number };
  degraded?: number;
}

const RANGES: Record<string, { ms: number; bucket: 'minute' | 'hour' }> = {
  '1h': { ms: 3600e3, bucket: 'minute' },
  '24h': { ms: 24 * 3600e3, bucket: 'hour' },
  '7d': { ms: 7 * 24 * 3600e3, bucket: 'hour' },
};
const COLORS: Record<string, string> = { approve: '#52c41a', review: '#faad14', reject: '#f5222d' };

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '-' : (x * 100).toFixed(2) + '%';
}

export default function Dashboard() {
  const { tr, lang } = useI18n();
  const [range, setRange] = useState('24h');
  const [live, setLive] = useState(true);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    let stop = false;
    const load = async () => {
      const r = RANGES[range]!;
      const to = new Date();
      try {
        const s = await api<Stats>('GET', '/v1/stats', undefined, { query: { from: new Date(to.getTime() - r.ms).toISOString(), to: to.toISOString(), bucket: r.bucket } });
        if (!stop) {
          setStats(s);
          setError(null);
          setUpdated(new Date());
        }
      } catch (e) {
        if (!stop) setError((e as Error).message);
      }
    };
    void load();
    const t = live ? setInterval(load, 5000) : undefined;
    return () => {
      stop = true;
      if (t) clearInterval(t);
    };
  }, [range, live]);

  const timeOption = useMemo(() => {
    if (!stats) return {};
    const starts = [...new Set(stats.series.map((p) => p.start))].sort();
    const decisions = ['approve', 'review', 'reject'];
    const idx = new Map(starts.map((s, i) => [s, i]));
    const data: Record<string, number[]> = Object.fromEntries(decisions.map((d) => [d, starts.map(() => 0)]));
    for (const p of stats.series) if (data[p.decision]) data[p.decision]![idx.get(p.start)!]! += p.count;
    const fmt = (s: string) => {
      const d = new Date(s);
      return stats.bucket === 'minute' ? d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit' });
    };
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: starts.map(fmt) },
      yAxis: { type: 'value', minInterval: 1 },
      series: decisions.map((d) => ({ name: decisionLabel(tr, d), type: 'line', stack: 'all', areaStyle: { opacity: 0.35 }, smooth: true, showSymbol: false, color: COLORS[d], data: data[d] })),
    };
  }, [stats, tr, lang]);

  const typeOption = useMemo(() => {
    const e = Object.entries(stats?.byEventType ?? {}).sort((a, b) => b[1] - a[1]);
    return { tooltip: {}, grid: { left: 110, right: 16, top: 8, bottom: 24 }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: e.map((x) => x[0]).reverse() }, series: [{ type: 'bar', data: e.map((x) => x[1]).reverse(), color: '#1677ff' }] };
  }, [stats]);

  const rulesOption = useMemo(() => {
    const r = (stats?.topRules ?? []).slice(0, 10);
    return { tooltip: {}, grid: { left: 150, right: 16, top: 8, bottom: 24 }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: r.map((x) => x.rule).reverse() }, series: [{ type: 'bar', data: r.map((x) => x.count).reverse(), color: '#cf1322' }] };
  }, [stats]);

  return (
    <div data-testid="dashboard">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} className="page-title" style={{ marginBottom: 0 }}>
          {tr('Dashboard', '仪表盘')}
        </Typography.Title>
        <Space>
          <Segmented value={range} onChange={(v) => setRange(String(v))} options={[{ value: '1h', label: tr('1 hour', '1 小时') }, { value: '24h', label: tr('24 hours', '24 小时') }, { value: '7d', label: tr('7 days', '7 天') }]} />
          <Switch checked={live} onChange={setLive} checkedChildren={tr('live', '实时')} unCheckedChildren={tr('paused', '暂停')} />
          {updated && <Typography.Text type="secondary">{updated.toLocaleTimeString(lang)}</Typography.Text>}
        </Space>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Decisions', '决策数')} value={stats?.total ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Reject rate', '拒绝率')} value={pct(stats?.rejectRate)} valueStyle={{ color: '#cf1322' }} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Review rate', '人工审核率')} value={pct(stats?.reviewRate)} valueStyle={{ color: '#d48806' }} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Latency p50', '延迟 p50')} value={stats?.latency ? stats.latency.p50 : '-'} precision={2} suffix={stats?.latency ? 'ms' : undefined} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Latency p99', '延迟 p99')} value={stats?.latency ? stats.latency.p99 : '-'} precision={2} suffix={stats?.latency ? 'ms' : undefined} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={tr('Degraded', '降级决策')} value={stats?.degraded ?? 0} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={tr('Decisions over time by outcome', '按结果的决策趋势')}>
            {stats && stats.total === 0 ? <Empty description={tr('No decisions in this period yet', '该时段还没有决策')} /> : <Chart option={timeOption} height={280} testId="chart-time" />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={tr('Top rules hit', '命中最多的规则')}>
            {stats && !stats.topRules?.length ? <Empty description={tr('No rules hit', '没有规则命中')} /> : <Chart option={rulesOption} testId="chart-rules" />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={tr('Volume per event type', '各事件类型的量')}>
            {stats && Object.keys(stats.byEventType ?? {}).length === 0 ? <Empty description={tr('No events', '没有事件')} /> : <Chart option={typeOption} testId="chart-types" />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
