// Strategies: which version runs for which event type, and creating a strategy (blank or from a template).
import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../route.js';
import type { Binding, JdmGraph, Strategy } from '../types.js';

const EVENT_TYPES = ['register', 'login', 'payment', 'transfer', 'loan_application', 'drawdown', 'repayment', 'profile_change'];

interface Template {
  id: string;
  name: string;
  description?: string;
  eventTypes: string[];
  draft: JdmGraph;
}

/** A new strategy starts with the request and response ends in place. */
function blankDraft(): JdmGraph {
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position: { x: 40, y: 200 }, content: { schema: '' } },
      { id: 'response', type: 'outputNode', name: 'Response', position: { x: 900, y: 200 }, content: { schema: '' } },
    ],
    edges: [],
  };
}

export default function Strategies() {
  const { tr } = useI18n();
  const { message, modal } = App.useApp();
  const [items, setItems] = useState<Strategy[] | null>(null);
  const [bindings, setBindings] = useState<Binding[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();

  async function load() {
    try {
      const [s, b] = await Promise.all([api<{ items: Strategy[] }>('GET', '/v1/strategies'), api<{ items: Binding[] }>('GET', '/v1/bindings')]);
      setItems(s.items);
      setBindings(b.items);
    } catch (e) {
      message.error((e as Error).message);
      setItems([]);
    }
  }
  useEffect(() => {
    void load();
    api<{ items: Template[] }>('GET', '/v1/templates')
      .then((r) => setTemplates(r.items))
      .catch(() => setTemplates([]));
  }, []);

  async function create(v: { id?: string; name: string; eventTypes: string[]; template?: string; description?: string }) {
    const t = templates.find((x) => x.id === v.template);
    try {
      const s = await api<Strategy>('POST', '/v1/strategies', {
        ...(v.id ? { id: v.id } : {}),
        name: v.name,
        description: v.description ?? t?.description ?? '',
        eventTypes: v.eventTypes,
        draft: t ? t.draft : blankDraft(),
      });
      setCreating(false);
      form.resetFields();
      navigate(`/strategies/${encodeURIComponent(s.id)}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} className="page-title">
          {tr('Strategies', '策略')}
        </Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="strategy-new">
          + {tr('New strategy', '新建策略')}
        </Button>
      </Space>
      <Table
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        onRow={(r) => ({ onClick: () => navigate(`/strategies/${encodeURIComponent(r.id)}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: tr('Name', '名称'), dataIndex: 'name', render: (n: string, r: Strategy) => <><b>{n}</b> <Typography.Text type="secondary" className="mono">{r.id}</Typography.Text></> },
          { title: tr('Event types', '事件类型'), dataIndex: 'eventTypes', render: (ts: string[]) => ts.map((t) => <Tag key={t}>{t}</Tag>) },
          {
            title: tr('Live version', '线上版本'),
            render: (_: unknown, r: Strategy) => {
              const live = bindings.filter((b) => b.strategyId === r.id);
              if (!live.length) return <Typography.Text type="secondary">{tr('not live', '未上线')}</Typography.Text>;
              return live.map((b) => (
                <Tag color="green" key={b.eventType}>
                  {b.eventType}: v{b.version}
                  {b.shadow ? ` (${tr('shadow', '影子')} ${b.shadow.strategyId} v${b.shadow.version})` : ''}
                </Tag>
              ));
            },
          },
          { title: tr('Latest version', '最新版本'), dataIndex: 'latestVersion', render: (v: number) => (v ? `v${v}` : '-') },
          { title: tr('Updated', '更新时间'), dataIndex: 'updatedAt', render: (t: string) => new Date(t).toLocaleString() },
          { title: tr('By', '更新人'), dataIndex: 'updatedBy' },
          {
            title: '',
            render: (_: unknown, r: Strategy) => (
              <Button
                size="small"
                danger
                onClick={(e) => {
                  e.stopPropagation();
                  modal.confirm({
                    title: tr(`Delete strategy “${r.name}”?`, `删除策略「${r.name}」？`),
                    onOk: async () => {
                      try {
                        await api('DELETE', `/v1/strategies/${encodeURIComponent(r.id)}`);
                        await load();
                      } catch (x) {
                        message.error((x as Error).message);
                      }
                    },
                  });
                }}
              >
                {tr('Delete', '删除')}
              </Button>
            ),
          },
        ]}
      />
      <Modal open={creating} title={tr('New strategy', '新建策略')} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText={tr('Create', '创建')} okButtonProps={{ 'data-testid': 'strategy-create' }}>
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ eventTypes: ['loan_application'], template: '' }}>
          <Form.Item name="name" label={tr('Name', '名称')} rules={[{ required: true, message: tr('Give it a name', '请输入名称') }]}>
            <Input data-testid="strategy-name" />
          </Form.Item>
          <Form.Item name="id" label={tr('Id (optional; letters, digits, dashes)', 'ID（可选；字母、数字、短横线）')}>
            <Input className="mono" data-testid="strategy-id" />
          </Form.Item>
          <Form.Item name="eventTypes" label={tr('Event types', '事件类型')} rules={[{ required: true, type: 'array', min: 1, message: tr('Pick at least one', '至少选择一个') }]}>
            <Select mode="tags" options={EVENT_TYPES.map((v) => ({ value: v }))} data-testid="strategy-event-types" />
          </Form.Item>
          <Form.Item name="template" label={tr('Start from', '起点')}>
            <Select options={[{ value: '', label: tr('Blank (input → output)', '空白（输入 → 输出）') }, ...templates.map((t) => ({ value: t.id, label: t.name }))]} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
