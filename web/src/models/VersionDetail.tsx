// One model version: headline metrics, ROC / KS / score distribution / lift charts, binning with WOE and IV,
// the scorecard points table, and gain importance for tree models.
import { useMemo, useState } from 'react';
import { Alert, Card, Col, Collapse, Descriptions, Empty, Row, Segmented, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { Chart } from '../components/Chart.js';
import { modelTypeLabel, useI18n } from '../i18n.js';
import type { ModelVersionDetail, VariableBinning } from '../types.js';
import { distributionOption, importanceOption, ksOption, liftOption, rocOption } from './charts.js';
import { maskLabel } from './mask.js';

const f3 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '-');
const f4 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : '-');
const pct = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');

/** IV strength as scorecard practitioners read it. */
function ivTag(iv: number, tr: (en: string, zh: string) => string) {
  if (iv < 0.02) return <Tag>{tr('useless', '无预测力')}</Tag>;
  if (iv < 0.1) return <Tag color="default">{tr('weak', '弱')}</Tag>;
  if (iv < 0.3) return <Tag color="blue">{tr('medium', '中')}</Tag>;
  if (iv < 0.5) return <Tag color="green">{tr('strong', '强')}</Tag>;
  return <Tag color="orange">{tr('suspicious', '过强（需核查）')}</Tag>;
}

function BinTable({ b }: { b: VariableBinning }) {
  const { tr } = useI18n();
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={false}
      dataSource={b.bins}
      columns={[
        { title: tr('Bin', '分箱'), dataIndex: 'label', render: (l: string) => <span className="mono">{maskLabel(b.feature, l)}</span> },
        { title: tr('Count', '样本数'), dataIndex: 'count', align: 'right' },
        { title: tr('Good', '好'), dataIndex: 'good', align: 'right' },
        { title: tr('Bad', '坏'), dataIndex: 'bad', align: 'right' },
        { title: tr('Bad rate', '坏样本率'), dataIndex: 'badRate', align: 'right', render: pct },
        { title: 'WOE', dataIndex: 'woe', align: 'right', render: f4 },
        { title: 'IV', dataIndex: 'iv', align: 'right', render: f4 },
      ]}
    />
  );
}

export function VersionDetail({ v }: { v: ModelVersionDetail }) {
  const { tr } = useI18n();
  const [byOutcome, setByOutcome] = useState(false);
  const r = v.report;
  const m = v.metrics ?? {};
  const roc = useMemo(() => (r ? rocOption(r, m.auc, tr) : undefined), [r, m.auc, tr]);
  const ks = useMemo(() => (r ? ksOption(r, tr) : undefined), [r, tr]);
  const dist = useMemo(() => (r ? distributionOption(r, tr, byOutcome) : undefined), [r, tr, byOutcome]);
  const lift = useMemo(() => (r ? liftOption(r, tr) : undefined), [r, tr]);
  const imp = useMemo(() => (r?.importance?.length ? importanceOption(r, tr) : undefined), [r, tr]);

  const stats: [string, string, unknown, (x: unknown) => string][] = [
    ['AUC', 'AUC', m.auc, f3],
    ['KS', 'KS', m.ks, f3],
    ['Gini', 'Gini', m.gini, f3],
    ['PSI (test vs train)', 'PSI（测试 vs 训练）', m.psi, f4],
    ['Train AUC', '训练集 AUC', m.trainAuc, f3],
    ['Bad rate', '坏样本率', m.badRate ?? r?.badRate, pct],
  ];

  const tabs = [];
  if (r) {
    tabs.push({
      key: 'charts',
      label: tr('Performance', '模型表现'),
      children: (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={12}>
            <Card size="small" title={tr('ROC curve (test)', 'ROC 曲线（测试集）')}>
              <Chart option={roc!} height={300} testId="chart-roc" />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title={tr('KS curve (test)', 'KS 曲线（测试集）')}>
              <Chart option={ks!} height={300} testId="chart-ks" />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card
              size="small"
              title={tr('Score distribution', '分数分布')}
              extra={<Segmented size="small" value={byOutcome ? 'outcome' : 'split'} onChange={(x) => setByOutcome(x === 'outcome')} options={[{ value: 'split', label: tr('Train vs test', '训练 vs 测试') }, { value: 'outcome', label: tr('Good vs bad', '好 vs 坏') }]} />}
            >
              <Chart option={dist!} height={300} testId="chart-distribution" />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title={tr('Lift by decile (test)', '十分位提升度（测试集）')}>
              <Chart option={lift!} height={300} testId="chart-lift" />
            </Card>
          </Col>
          <Col span={24}>
            <Table
              size="small"
              rowKey="decile"
              pagination={false}
              dataSource={r.lift}
              data-testid="lift-table"
              columns={[
                { title: tr('Decile', '十分位'), dataIndex: 'decile' },
                { title: tr('Count', '样本数'), dataIndex: 'count', align: 'right' },
                { title: tr('Bad', '坏'), dataIndex: 'bad', align: 'right' },
                { title: tr('Bad rate', '坏样本率'), dataIndex: 'badRate', align: 'right', render: pct },
                { title: tr('Score range', '分数区间'), key: 'range', render: (_, d) => `${f3(d.minScore)} – ${f3(d.maxScore)}` },
                { title: tr('Lift', '提升度'), dataIndex: 'lift', align: 'right', render: f3 },
                { title: tr('Cum. lift', '累计提升度'), dataIndex: 'cumLift', align: 'right', render: f3 },
                { title: tr('Bad captured', '累计坏样本捕获'), dataIndex: 'cumBadShare', align: 'right', render: pct },
              ]}
            />
          </Col>
        </Row>
      ),
    });
  }
  if (v.binning?.length || r?.iv?.length) {
    tabs.push({
      key: 'binning',
      label: tr('Binning / WOE / IV', '分箱 / WOE / IV'),
      children: (
        <div data-testid="binning">
          {r?.iv && (
            <Table
              size="small"
              rowKey="feature"
              pagination={false}
              style={{ marginBottom: 12 }}
              dataSource={r.iv}
              columns={[
                { title: tr('Variable', '变量'), dataIndex: 'feature', render: (f: string) => <span className="mono">{f}</span> },
                { title: 'IV', dataIndex: 'iv', align: 'right', render: f4 },
                { title: tr('Strength', '预测力'), key: 's', render: (_, x) => ivTag(x.iv, tr) },
                { title: tr('In model', '入模'), key: 'sel', render: (_, x) => (x.selected ? <Tag color="green">{tr('selected', '入选')}</Tag> : <Typography.Text type="secondary">{x.dropped ?? tr('dropped', '剔除')}</Typography.Text>) },
              ]}
            />
          )}
          <Collapse
            size="small"
            items={(v.binning ?? []).map((b) => ({
              key: b.feature,
              label: (
                <span>
                  <span className="mono">{b.feature}</span> · IV {f4(b.iv)} · {tr('missing', '缺失率')} {pct(b.missingRate)}
                </span>
              ),
              children: <BinTable b={b} />,
            }))}
          />
        </div>
      ),
    });
  }
  if (r?.scorecard) {
    const sc = r.scorecard;
    tabs.push({
      key: 'scorecard',
      label: tr('Scorecard points', '评分卡分值'),
      children: (
        <div data-testid="scorecard-points">
          <Descriptions size="small" column={4} style={{ marginBottom: 8 }}>
            <Descriptions.Item label={tr('Base points', '基础分')}>{sc.basePoints}</Descriptions.Item>
            <Descriptions.Item label={tr('Points at odds', '基准分 / 基准坏好比')}>
              {sc.scaling.points0} @ 1:{Math.round(1 / sc.scaling.odds0)}
            </Descriptions.Item>
            <Descriptions.Item label="PDO">{sc.scaling.pdo}</Descriptions.Item>
            <Descriptions.Item label={tr('Fit', '拟合')}>{sc.fit.converged ? tr(`converged in ${sc.fit.iterations} iterations`, `${sc.fit.iterations} 次迭代后收敛`) : <Tag color="red">{tr('not converged', '未收敛')}</Tag>}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey={(x) => `${x.feature}|${x.bin}`}
            pagination={false}
            dataSource={sc.rows}
            columns={[
              { title: tr('Variable', '变量'), dataIndex: 'feature', render: (f: string, x, i) => (i === 0 || sc.rows[i - 1]!.feature !== f ? <span className="mono">{f}</span> : '') },
              { title: tr('Bin', '分箱'), dataIndex: 'bin', render: (b: string, x) => <span className="mono">{maskLabel(x.feature, b)}</span> },
              { title: tr('Count', '样本数'), dataIndex: 'count', align: 'right' },
              { title: tr('Bad rate', '坏样本率'), dataIndex: 'badRate', align: 'right', render: pct },
              { title: 'WOE', dataIndex: 'woe', align: 'right', render: f4 },
              { title: tr('Points', '分值'), dataIndex: 'points', align: 'right', render: (p: number) => <b>{p}</b> },
            ]}
          />
        </div>
      ),
    });
  }
  if (imp) {
    tabs.push({
      key: 'importance',
      label: tr('Feature importance', '特征重要性'),
      children: <Chart option={imp} height={Math.max(240, 22 * Math.min(20, r!.importance!.length))} testId="chart-importance" />,
    });
  }
  tabs.push({
    key: 'features',
    label: tr(`Features (${v.features.length})`, `特征（${v.features.length}）`),
    children: (
      <div>
        {v.features.map((f) => (
          <Tag key={f} className="mono" style={{ marginBottom: 4 }}>
            {f}
          </Tag>
        ))}
      </div>
    ),
  });

  return (
    <div data-testid="version-detail">
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={tr('Type', '类型')}>{modelTypeLabel(tr, v.type)}</Descriptions.Item>
        <Descriptions.Item label={tr('Author', '作者')}>{v.author ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={tr('Created', '创建时间')}>{new Date(v.createdAt).toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={tr('Data fingerprint', '数据指纹')}>
          <Typography.Text className="mono" copyable={v.fingerprint ? { text: v.fingerprint } : false}>
            {v.fingerprint ? v.fingerprint.slice(0, 12) : '-'}
          </Typography.Text>
        </Descriptions.Item>
        {r && (
          <>
            <Descriptions.Item label={tr('Target', '目标列')}>
              <span className="mono">{r.target}</span>
            </Descriptions.Item>
            <Descriptions.Item label={tr('Rows (train / test)', '样本（训练 / 测试）')}>
              {r.nTrain} / {r.nTest}
            </Descriptions.Item>
          </>
        )}
        {v.description && <Descriptions.Item label={tr('Description', '说明')}>{v.description}</Descriptions.Item>}
      </Descriptions>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {stats.map(([en, zh, x, fmt]) => (
          <Col key={en} xs={12} md={8} xl={4}>
            <div data-testid={`metric-${en.split(' ')[0]!.toLowerCase()}`}>
              <Card size="small">
                <Statistic title={tr(en, zh)} value={fmt(x)} />
              </Card>
            </div>
          </Col>
        ))}
      </Row>
      {!r && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={tr('This version was registered from a file, not trained here: there are no curves to show.', '该版本由文件登记而非在此训练，没有可展示的曲线。')} />}
      {tabs.length ? <Tabs items={tabs} /> : <Empty />}
    </div>
  );
}
