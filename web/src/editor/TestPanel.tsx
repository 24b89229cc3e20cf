// Runs the draft: a sample event with its trace (path highlighted on the canvas), or the stored test cases.
import { useState } from 'react';
import { Alert, Button, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { api, ApiError } from '../api.js';
import { decisionColor, decisionLabel, useI18n } from '../i18n.js';
import type { DecisionRecord, JdmGraph, NodeTrace } from '../types.js';

interface TestAnswer {
  tests?: { index: number; passed: boolean; expected: unknown; actual: unknown; error?: string }[];
  passed?: number;
  failed?: number;
  events?: { eventId: string; result: Record<string, any>; trace?: Record<string, NodeTrace>; error?: unknown }[];
}

type EventRun = NonNullable<TestAnswer['events']>[number];

export function sampleEvent(eventType: string | undefined): string {
  const type = eventType ?? 'loan_application';
  return JSON.stringify(
    {
      id: `test-${Date.now().toString(36)}`,
      type,
      occurredAt: new Date().toISOString(),
      subject: { userId: 'u-1001', phone: '13800138000', deviceId: 'dev-1', ip: '10.1.2.3' },
      data: { amount: 20000, term: 12, income: 800000, age: 31 },
    },
    null,
    2,
  );
}

export function TestPanel({
  strategyId,
  eventType,
  getDraft,
  onTrace,
  sample,
  setSample,
}: {
  strategyId: string;
  eventType?: string;
  getDraft(): JdmGraph;
  onTrace(trace: Record<string, NodeTrace> | null): void;
  sample: string;
  setSample(s: string): void;
}) {
  const { tr } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<EventRun | null>(null);
  const [tests, setTests] = useState<TestAnswer | null>(null);
  const [recent, setRecent] = useState<DecisionRecord[] | null>(null);

  async function loadRecent() {
    if (recent) return;
    try {
      const r = await api<{ items: DecisionRecord[] }>('GET', '/v1/decisions', undefined, { query: { eventType, limit: 20 } });
      setRecent(r.items);
    } catch (e) {
      setError((e as Error).message);
      setRecent([]);
    }
  }

  /** A logged event replayed as the sample (raw personal data when the role may see it, so list checks match). */
  async function pickRecent(eventId: string) {
    let rec: DecisionRecord;
    try {
      try {
        rec = await api<DecisionRecord>('GET', `/v1/decisions/${encodeURIComponent(eventId)}`, undefined, { query: { unmask: 1 } });
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 403)) throw e;
        rec = await api<DecisionRecord>('GET', `/v1/decisions/${encodeURIComponent(eventId)}`);
      }
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setSample(JSON.stringify({ id: `test-${Date.now().toString(36)}`, type: rec.eventType, occurredAt: rec.occurredAt, subject: rec.subject, data: rec.data }, null, 2));
  }

  async function runSample() {
    setError(null);
    let ev: unknown;
    try {
      ev = JSON.parse(sample);
    } catch (e) {
      setError(tr('The sample event is not valid JSON: ', '样例事件不是合法 JSON：') + (e as Error).message);
      return;
    }
    setBusy(true);
    try {
      const r = await api<TestAnswer>('POST', `/v1/strategies/${encodeURIComponent(strategyId)}/test`, { draft: getDraft(), events: [ev], trace: true });
      const first = r.events?.[0] ?? null;
      setRun(first);
      onTrace(first?.trace ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function runStored() {
    setError(null);
    setBusy(true);
    try {
      setTests(await api<TestAnswer>('POST', `/v1/strategies/${encodeURIComponent(strategyId)}/test`, { draft: getDraft(), runTests: true }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const result = run?.result;
  const traceList = run?.trace ? Object.values(run.trace).sort((a, b) => (a.order ?? 0) - (b.order ?? 0)) : [];
  return (
    <div data-testid="test-panel">
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} style={{ marginBottom: 6 }} data-testid="test-error" />}
      <Tabs
        size="small"
        items={[
          {
            key: 'sample',
            label: tr('Sample event', '样例事件'),
            children: (
              <div style={{ display: 'flex', gap: 12 }}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Input.TextArea className="mono" value={sample} onChange={(e) => setSample(e.target.value)} autoSize={{ minRows: 8, maxRows: 12 }} spellCheck={false} data-testid="test-sample" />
                  <Space style={{ marginTop: 6 }}>
                    <Button type="primary" loading={busy} onClick={runSample} data-testid="test-run">
                      {tr('Run against draft', '用草稿运行')}
                    </Button>
                    <Button onClick={() => setSample(sampleEvent(eventType))}>{tr('New sample', '新样例')}</Button>
                    <Select
                      style={{ width: 230 }}
                      placeholder={tr('Pick a recent event', '选取最近的事件')}
                      onDropdownVisibleChange={(open) => open && void loadRecent()}
                      loading={recent === null}
                      value={null}
                      onChange={(id: string) => void pickRecent(id)}
                      options={(recent ?? []).map((r) => ({ value: r.eventId, label: `${r.eventId} · ${decisionLabel(tr, r.decision)}` }))}
                      notFoundContent={tr('No logged events of this type', '没有该类型的事件记录')}
                      data-testid="test-pick"
                    />
                    <Button
                      onClick={() => {
                        setRun(null);
                        onTrace(null);
                      }}
                    >
                      {tr('Clear highlight', '清除高亮')}
                    </Button>
                  </Space>
                </div>
                <div style={{ flex: 1, minWidth: 0 }} data-testid="test-result">
                  {result ? (
                    <>
                      <Space wrap style={{ marginBottom: 4 }}>
                        {result.decision && (
                          <Tag color={decisionColor[result.decision]} data-testid="test-decision">
                            {decisionLabel(tr, result.decision)}
                          </Tag>
                        )}
                        {result.score !== undefined && (
                          <span>
                            {tr('Score', '分数')}: <b data-testid="test-score">{String(result.score)}</b>
                          </span>
                        )}
                        <Typography.Text type="secondary">
                          {tr('Path', '路径')}: {traceList.map((t) => t.name).join(' → ')}
                        </Typography.Text>
                      </Space>
                      <pre className="json">{JSON.stringify(result, null, 2)}</pre>
                    </>
                  ) : run?.error ? (
                    <Alert type="error" message={JSON.stringify(run.error)} data-testid="test-run-error" />
                  ) : (
                    <Typography.Text type="secondary">{tr('Run the sample to see the output and the path taken.', '运行样例以查看输出和执行路径。')}</Typography.Text>
                  )}
                </div>
              </div>
            ),
          },
          {
            key: 'stored',
            label: tr('Stored test cases', '已存测试用例'),
            children: (
              <div>
                <Button loading={busy} onClick={runStored} data-testid="test-run-stored">
                  {tr('Run stored tests', '运行测试用例')}
                </Button>
                {tests && (
                  <span style={{ marginLeft: 12 }} data-testid="test-stored-summary">
                    <Tag color="green">
                      {tr('passed', '通过')} {tests.passed ?? 0}
                    </Tag>
                    <Tag color={tests.failed ? 'red' : 'default'}>
                      {tr('failed', '失败')} {tests.failed ?? 0}
                    </Tag>
                  </span>
                )}
                {tests?.tests && (
                  <Table
                    size="small"
                    rowKey="index"
                    style={{ marginTop: 8 }}
                    pagination={false}
                    dataSource={tests.tests}
                    columns={[
                      { title: '#', dataIndex: 'index', width: 50 },
                      { title: tr('Result', '结果'), dataIndex: 'passed', width: 80, render: (p: boolean) => <Tag color={p ? 'green' : 'red'}>{p ? tr('pass', '通过') : tr('fail', '失败')}</Tag> },
                      { title: tr('Expected', '期望'), dataIndex: 'expected', render: (v: unknown) => <span className="mono">{JSON.stringify(v)}</span> },
                      { title: tr('Actual', '实际'), dataIndex: 'actual', render: (v: unknown, r) => <span className="mono">{r.error ?? JSON.stringify(v)}</span> },
                    ]}
                  />
                )}
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
