// Decisions: search the decision log and read one decision in full (inputs, features, trace, reasons).
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Collapse, DatePicker, Descriptions, Drawer, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { ApartmentOutlined } from '@ant-design/icons';
import { api } from '../api.js';
import { decisionColor, decisionLabel, useI18n } from '../i18n.js';
import { navigate } from '../route.js';
import type { DecisionRecord, NodeTrace } from '../types.js';

const SUBJECT_FIELDS = ['userId', 'phone', 'idNumber', 'bankCard', 'deviceId', 'ip', 'email'];
const EVENT_TYPES = ['register', 'login', 'payment', 'transfer', 'loan_application', 'drawdown', 'repayment', 'profile_change'];

interface Filters {
  subjectField?: string;
  subjectValue?: string;
  decision?: string;
  eventType?: string;
  strategyId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value ?? null, null, 2)}</pre>;
}

export function DecisionDetail({ eventId }: { eventId: string }) {
  const { tr } = useI18n();
  const [rec, setRec] = useState<DecisionRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRec(null);
    setError(null);
    api<DecisionRecord>('GET', `/v1/decisions/${encodeURIComponent(eventId)}`)
      .then(setRec)
      .catch((e) => setError((e as Error).message));
  }, [eventId]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!rec) return null;
  const trace: NodeTrace[] = rec.trace ? Object.values(rec.trace).sort((a, b) => (a.order ?? 0) - (b.order ?? 0)) : [];
  return (
    <div data-testid="decision-detail">
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label={tr('Event', '事件')}>
          <span className="mono">{rec.eventId}</span>
        </Descriptions.Item>
        <Descriptions.Item label={tr('Type', '类型')}>{rec.eventType}</Descriptions.Item>
        <Descriptions.Item label={tr('Subject', '主体')} span={2}>
          <Space>
            <span className="mono">{rec.subject?.userId ?? '-'}</span>
            {rec.subject?.userId && (
              <Button size="small" type="link" icon={<ApartmentOutlined />} onClick={() => navigate(`/graph/${encodeURIComponent(rec.subject.userId!)}`)} data-testid="open-in-graph">
                {tr('Open in graph', '在图谱中查看')}
              </Button>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={tr('Decision', '决策')}>
          <Tag color={decisionColor[rec.decision]} data-testid="detail-decision">
            {decisionLabel(tr, rec.decision)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={tr('Score / risk level', '分数 / 风险等级')}>
          {rec.score} / {rec.riskLevel}
        </Descriptions.Item>
        <Descriptions.Item label={tr('Strategy', '策略')}>{rec.strategy ? `${rec.strategy.id} v${rec.strategy.version}` : tr('none bound', '未绑定')}</Descriptions.Item>
        <Descriptions.Item label={tr('Latency', '耗时')}>{rec.latencyMs?.toFixed?.(3) ?? rec.latencyMs} ms</Descriptions.Item>
        <Descriptions.Item label={tr('Occurred', '发生时间')}>{new Date(rec.occurredAt).toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={tr('Recorded', '记录时间')}>{new Date(rec.recordedAt).toLocaleString()}</Descriptions.Item>
        {rec.degraded && (
          <Descriptions.Item label={tr('Degraded', '降级')} span={2}>
            <Typography.Text type="warning">{rec.degraded}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Card size="small" title={tr('Reasons', '原因')} style={{ marginTop: 12 }}>
        {rec.reasons.length ? (
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={rec.reasons.map((r) => (typeof r === 'string' ? { code: r } : r))}
            columns={[
              { title: tr('Code', '原因码'), dataIndex: 'code', render: (c: string) => <span className="mono">{c}</span> },
              { title: tr('Message', '说明'), dataIndex: 'message' },
              { title: tr('Score', '分数'), dataIndex: 'score' },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">{tr('No reasons', '无')}</Typography.Text>
        )}
      </Card>
      <Collapse
        style={{ marginTop: 12 }}
        defaultActiveKey={['input', 'trace']}
        items={[
          { key: 'input', label: tr('Inputs (subject and data)', '输入（主体与数据）'), children: <Json value={{ subject: rec.subject, data: rec.data }} /> },
          { key: 'features', label: tr('Features used', '使用的特征'), children: rec.features && Object.keys(rec.features).length ? <Json value={rec.features} /> : <Typography.Text type="secondary">{tr('None', '无')}</Typography.Text> },
          { key: 'outputs', label: tr('Outputs', '输出'), children: <Json value={rec.outputs} /> },
          {
            key: 'trace',
            label: `${tr('Trace', '执行轨迹')} (${trace.length})`,
            children: trace.length ? (
              <div data-testid="detail-trace">
                {trace.map((t) => (
                  <Card key={t.id} size="small" style={{ marginBottom: 6 }} title={<span>{t.name} <Typography.Text type="secondary" className="mono">{t.kind ?? ''} {t.micros !== undefined ? `${t.micros}µs` : ''}</Typography.Text></span>}>
                    {t.matched?.length ? (
                      <div>
                        {tr('Matched', '命中')}: <span className="mono">{t.matched.join(', ')}</span>
                      </div>
                    ) : null}
                    <Space align="start" style={{ width: '100%' }} styles={{ item: { flex: 1, minWidth: 0 } }}>
                      <Json value={t.input} />
                      <Json value={t.output} />
                    </Space>
                  </Card>
                ))}
              </div>
            ) : (
              <Typography.Text type="secondary">{tr('No trace was recorded for this decision.', '这条决策没有记录执行轨迹。')}</Typography.Text>
            ),
          },
          ...(rec.shadow ? [{ key: 'shadow', label: tr('Shadow version result', '影子版本结果'), children: <Json value={rec.shadow} /> }] : []),
          ...(rec.labels?.length ? [{ key: 'labels', label: tr('Labels', '标签'), children: <Json value={rec.labels} /> }] : []),
        ]}
      />
    </div>
  );
}

export default function Decisions({ eventId }: { eventId?: string }) {
  const { tr } = useI18n();
  const [form] = Form.useForm<Filters>();
  const [items, setItems] = useState<DecisionRecord[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function search(more = false) {
    const f = form.getFieldsValue();
    setLoading(true);
    setError(null);
    try {
      const r = await api<{ items: DecisionRecord[]; nextCursor?: string }>('GET', '/v1/decisions', undefined, {
        query: {
          subjectField: f.subjectValue ? f.subjectField : undefined,
          subjectValue: f.subjectValue?.trim(),
          decision: f.decision,
          eventType: f.eventType,
          strategyId: f.strategyId?.trim(),
          from: f.range?.[0]?.toISOString(),
          to: f.range?.[1]?.toISOString(),
          limit: 50,
          cursor: more ? next : undefined,
        },
      });
      setItems(more ? [...(items ?? []), ...r.items] : r.items);
      setNext(r.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void search();
  }, []); // first page on open

  return (
    <div>
      <Typography.Title level={4} className="page-title">
        {tr('Decisions', '决策记录')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form form={form} layout="inline" initialValues={{ subjectField: 'userId' }} onFinish={() => search()}>
          <Form.Item label={tr('Subject', '主体')}>
            <Space.Compact>
              <Form.Item name="subjectField" noStyle>
                <Select style={{ width: 110 }} options={SUBJECT_FIELDS.map((v) => ({ value: v }))} />
              </Form.Item>
              <Form.Item name="subjectValue" noStyle>
                <Input style={{ width: 180 }} allowClear data-testid="search-subject" />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="decision" label={tr('Decision', '决策')}>
            <Select allowClear style={{ width: 120 }} options={['approve', 'review', 'reject'].map((v) => ({ value: v, label: decisionLabel(tr, v) }))} />
          </Form.Item>
          <Form.Item name="eventType" label={tr('Event type', '事件类型')}>
            <Select allowClear style={{ width: 160 }} options={EVENT_TYPES.map((v) => ({ value: v }))} />
          </Form.Item>
          <Form.Item name="strategyId" label={tr('Strategy', '策略')}>
            <Input allowClear style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="range" label={tr('Time', '时间')}>
            <DatePicker.RangePicker showTime />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={loading} data-testid="search-submit">
            {tr('Search', '查询')}
          </Button>
        </Form>
        <Input.Search style={{ width: 320, marginTop: 8 }} placeholder={tr('Open by event id', '按事件 ID 打开')} enterButton={tr('Open', '打开')} onSearch={(v) => v.trim() && navigate(`/decisions/${encodeURIComponent(v.trim())}`)} data-testid="open-event" />
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="eventId"
        className="nowrap-table"
        scroll={{ x: 'max-content' }}
        size="small"
        loading={loading && !items}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={tr('No decisions match', '没有符合条件的决策')} /> }}
        onRow={(r) => ({ onClick: () => navigate(`/decisions/${encodeURIComponent(r.eventId)}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: tr('Time', '时间'), dataIndex: 'occurredAt', render: (t: string) => new Date(t).toLocaleString() },
          { title: tr('Event', '事件'), dataIndex: 'eventId', render: (v: string) => <span className="mono" data-testid="decision-row">{v}</span> },
          { title: tr('Type', '类型'), dataIndex: 'eventType' },
          { title: tr('Subject', '主体'), dataIndex: 'subject', render: (s: Record<string, string>) => <span className="mono">{s?.userId ?? Object.values(s ?? {})[0] ?? ''}</span> },
          { title: tr('Decision', '决策'), dataIndex: 'decision', render: (d: string) => <Tag color={decisionColor[d]}>{decisionLabel(tr, d)}</Tag> },
          { title: tr('Score', '分数'), dataIndex: 'score' },
          { title: tr('Strategy', '策略'), dataIndex: 'strategy', render: (s: DecisionRecord['strategy']) => (s ? `${s.id} v${s.version}` : '-') },
          { title: tr('Reasons', '原因'), dataIndex: 'reasons', render: (r: DecisionRecord['reasons']) => r.map((x, i) => <Tag key={i}>{typeof x === 'string' ? x : x.code}</Tag>) },
          { title: tr('Latency', '耗时'), dataIndex: 'latencyMs', render: (v: number) => `${v?.toFixed?.(2) ?? v} ms` },
        ]}
      />
      {next && (
        <Button style={{ marginTop: 8 }} onClick={() => search(true)} loading={loading}>
          {tr('Load more', '加载更多')}
        </Button>
      )}
      <Drawer open={!!eventId} width={760} onClose={() => navigate('/decisions')} title={tr('Decision', '决策详情')} destroyOnClose>
        {eventId && <DecisionDetail eventId={eventId} />}
      </Drawer>
    </div>
  );
}
