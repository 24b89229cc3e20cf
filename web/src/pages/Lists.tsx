// Name lists (黑/白/灰名单): browse lists and entries, add, expire, delete, import and export CSV.
import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ApiError } from '../api.js';
import { useI18n } from '../i18n.js';
import { maskField } from '../../../src/core/mask.js';

interface List {
  id: string;
  name: string;
  dimension: string;
  kind: 'black' | 'white' | 'grey';
  description?: string;
  entryCount: number;
}
interface Entry {
  value: string;
  category?: string;
  riskIntensity?: string;
  collectionCount?: number;
  source?: string;
  reason?: string;
  expiresAt?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** An entry as sent back on upsert: the server keeps its own timestamps. */
function withoutTimes(e: Entry): Entry {
  const { createdAt: _c, updatedAt: _u, ...rest } = e;
  return rest;
}

const DIMENSIONS = ['phone', 'idNumber', 'deviceId', 'ip', 'bankCard', 'userId', 'email', 'address'];
const CATEGORIES = ['银行类', '保险类', '小贷类', '消金类', '汽车金融类', '特殊金融类', '混合金融类', '其他'];
const KIND_COLOR = { black: 'black', white: 'default', grey: 'grey' } as const;

export default function Lists() {
  const { tr } = useI18n();
  const { message, modal } = App.useApp();
  const [lists, setLists] = useState<List[] | null>(null);
  const [current, setCurrent] = useState<List | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [withExpired, setWithExpired] = useState(false);
  const [showRaw, setShowRaw] = useState(false);
  /** False when this user may not see raw values (viewer/reviewer): entries are then read-only. */
  const [canEdit, setCanEdit] = useState(true);
  const [newList, setNewList] = useState(false);
  const [newEntry, setNewEntry] = useState(false);
  const [listForm] = Form.useForm();
  const [entryForm] = Form.useForm();
  const fileRef = useRef<HTMLInputElement>(null);
  const kindLabel = (k: string) => (k === 'black' ? tr('black', '黑名单') : k === 'white' ? tr('white', '白名单') : tr('grey', '灰名单'));

  async function loadLists() {
    try {
      const r = await api<{ items: List[] }>('GET', '/v1/lists');
      setLists(r.items);
      // keep the open list current (its entry count changes); open the first one on arrival
      setCurrent((c) => (c ? (r.items.find((l) => l.id === c.id) ?? null) : (r.items[0] ?? null)));
    } catch (e) {
      message.error((e as Error).message);
      setLists([]);
    }
  }
  async function loadEntries(l = current, p = page) {
    if (!l) return;
    // Raw values are fetched to act on them (expire/delete by value) and masked for display unless asked.
    const query = { search, limit: 20, offset: (p - 1) * 20, includeExpired: withExpired ? 1 : undefined };
    try {
      let r: { items: Entry[]; total: number };
      try {
        r = await api('GET', `/v1/lists/${encodeURIComponent(l.id)}/entries`, undefined, { query: { ...query, unmask: 1 } });
        setCanEdit(true);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 403)) throw e;
        r = await api('GET', `/v1/lists/${encodeURIComponent(l.id)}/entries`, undefined, { query });
        setCanEdit(false);
      }
      setEntries(r.items);
      setTotal(r.total);
    } catch (e) {
      message.error((e as Error).message);
    }
  }
  useEffect(() => {
    void loadLists();
  }, []); // first load
  useEffect(() => {
    void loadEntries(current, page);
  }, [current?.id, page, withExpired]); // reload when the list, the page or the filter changes

  async function upsert(values: Entry[]) {
    if (!current) return;
    await api('POST', `/v1/lists/${encodeURIComponent(current.id)}/entries`, { entries: values });
    await Promise.all([loadEntries(), loadLists()]);
  }

  async function importCsv(file: File) {
    if (!current) return;
    try {
      const r = await api<{ rows: number; inserted: number; updated: number }>('POST', `/v1/lists/${encodeURIComponent(current.id)}/import`, undefined, { raw: { body: await file.arrayBuffer(), contentType: 'text/csv' } });
      message.success(tr(`Imported ${r.rows} rows: ${r.inserted} new, ${r.updated} updated`, `已导入 ${r.rows} 行：新增 ${r.inserted}，更新 ${r.updated}`));
      await Promise.all([loadEntries(), loadLists()]);
    } catch (e) {
      message.error(tr('Import failed: ', '导入失败：') + (e as Error).message);
    }
  }

  async function exportCsv() {
    if (!current) return;
    try {
      const text = await api<string>('GET', `/v1/lists/${encodeURIComponent(current.id)}/export`, undefined, { text: true });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      a.download = `${current.id}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  return (
    <div>
      <Typography.Title level={4} className="page-title">
        {tr('Name lists', '名单管理')}
      </Typography.Title>
      <Row gutter={12}>
        <Col xs={24} lg={9}>
          <Card size="small" title={tr('Lists', '名单')} extra={<Button size="small" type="primary" onClick={() => setNewList(true)} data-testid="list-new">+ {tr('New list', '新建名单')}</Button>}>
            <Table
              size="small"
              rowKey="id"
              loading={lists === null}
              dataSource={lists ?? []}
              pagination={false}
              rowClassName={(r) => (r.id === current?.id ? 'ant-table-row-selected' : '')}
              onRow={(r) => ({ onClick: () => (setPage(1), setCurrent(r)), style: { cursor: 'pointer' } })}
              columns={[
                { title: tr('Name', '名称'), dataIndex: 'name' },
                { title: tr('Dimension', '维度'), dataIndex: 'dimension' },
                { title: tr('Kind', '类型'), dataIndex: 'kind', render: (k: List['kind']) => <Tag color={KIND_COLOR[k]}>{kindLabel(k)}</Tag> },
                { title: tr('Entries', '条目数'), dataIndex: 'entryCount' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card
            size="small"
            title={current ? `${current.name} · ${current.dimension} · ${kindLabel(current.kind)}` : tr('Pick a list', '请选择一个名单')}
            extra={
              current && (
                <Space>
                  <Button size="small" type="primary" onClick={() => setNewEntry(true)} data-testid="entry-new">
                    + {tr('Add', '添加')}
                  </Button>
                  <Button size="small" onClick={() => fileRef.current?.click()}>
                    {tr('Import CSV', '导入 CSV')}
                  </Button>
                  <Button size="small" onClick={exportCsv}>
                    {tr('Export CSV', '导出 CSV')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      modal.confirm({
                        title: tr(`Delete list “${current.name}” and all its entries?`, `删除名单「${current.name}」及其全部条目？`),
                        onOk: async () => {
                          await api('DELETE', `/v1/lists/${encodeURIComponent(current.id)}`).catch((e) => message.error((e as Error).message));
                          setCurrent(null);
                          await loadLists();
                        },
                      })
                    }
                  >
                    {tr('Delete list', '删除名单')}
                  </Button>
                </Space>
              )
            }
          >
            <input
              ref={fileRef}
              type="file"
              accept=".csv,text/csv"
              style={{ display: 'none' }}
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void importCsv(f);
              }}
            />
            {current && (
              <>
                <Space style={{ marginBottom: 8 }}>
                  <Input.Search placeholder={tr('Search value', '搜索值')} value={search} onChange={(e) => setSearch(e.target.value)} onSearch={() => (setPage(1), loadEntries(current, 1))} allowClear />
                  <Switch checked={withExpired} onChange={setWithExpired} /> {tr('show expired', '显示已过期')}
                  {canEdit && (
                    <>
                      <Switch checked={showRaw} onChange={setShowRaw} /> {tr('show full values', '显示完整值')}
                    </>
                  )}
                </Space>
                <Table
                  size="small"
                  rowKey="value"
                  dataSource={entries}
                  pagination={{ current: page, total, pageSize: 20, onChange: setPage, showSizeChanger: false }}
                  columns={[
                    { title: tr('Value', '值'), dataIndex: 'value', render: (v: string) => <span className="mono">{showRaw || !canEdit ? v : maskField(current.dimension, v)}</span> },
                    { title: tr('Category', '类别'), dataIndex: 'category' },
                    { title: tr('Intensity', '风险强度'), dataIndex: 'riskIntensity' },
                    { title: tr('Count', '命中次数'), dataIndex: 'collectionCount' },
                    { title: tr('Source', '来源'), dataIndex: 'source' },
                    { title: tr('Reason', '原因'), dataIndex: 'reason' },
                    {
                      title: tr('Expires', '过期时间'),
                      dataIndex: 'expiresAt',
                      render: (t?: string) => (t ? <span style={{ color: Date.parse(t) < Date.now() ? '#999' : undefined }}>{new Date(t).toLocaleString()}</span> : tr('never', '永不')),
                    },
                    {
                      title: '',
                      render: (_: unknown, r: Entry) =>
                        canEdit && (
                        <Space size={4}>
                          <Button size="small" onClick={() => upsert([{ ...withoutTimes(r), expiresAt: new Date().toISOString() }]).catch((e) => message.error((e as Error).message))}>
                            {tr('Expire', '失效')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() =>
                              api('DELETE', `/v1/lists/${encodeURIComponent(current.id)}/entries`, { values: [r.value] })
                                .then(() => Promise.all([loadEntries(), loadLists()]))
                                .catch((e) => message.error((e as Error).message))
                            }
                          >
                            {tr('Delete', '删除')}
                          </Button>
                        </Space>
                      ),
                    },
                  ]}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {tr('CSV columns: value,category,riskIntensity,collectionCount,source,reason,expiresAt (UTF-8 or GBK). Personal data is shown masked.', 'CSV 列：value,category,riskIntensity,collectionCount,source,reason,expiresAt（UTF-8 或 GBK）。个人信息默认脱敏显示。')}
                </Typography.Text>
              </>
            )}
          </Card>
        </Col>
      </Row>
      <Modal open={newList} title={tr('New list', '新建名单')} onCancel={() => setNewList(false)} onOk={() => listForm.submit()}>
        <Form
          form={listForm}
          layout="vertical"
          initialValues={{ dimension: 'phone', kind: 'black' }}
          onFinish={async (v) => {
            try {
              const l = await api<List>('POST', '/v1/lists', v);
              setNewList(false);
              listForm.resetFields();
              await loadLists();
              setCurrent(l);
            } catch (e) {
              message.error((e as Error).message);
            }
          }}
        >
          <Form.Item name="name" label={tr('Name', '名称')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="dimension" label={tr('Dimension', '维度')}>
            <Select options={DIMENSIONS.map((v) => ({ value: v }))} />
          </Form.Item>
          <Form.Item name="kind" label={tr('Kind', '类型')}>
            <Select options={['black', 'white', 'grey'].map((v) => ({ value: v, label: kindLabel(v) }))} />
          </Form.Item>
          <Form.Item name="description" label={tr('Description', '描述')}>
            <Input.TextArea />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={newEntry} title={tr('Add entry', '添加条目')} onCancel={() => setNewEntry(false)} onOk={() => entryForm.submit()}>
        <Form
          form={entryForm}
          layout="vertical"
          initialValues={{ category: '其他', collectionCount: 1 }}
          onFinish={async (v: Entry & { expires?: Dayjs }) => {
            const { expires, ...rest } = v;
            try {
              await upsert([{ ...rest, value: rest.value.trim(), ...(expires ? { expiresAt: expires.toISOString() } : {}) }]);
              setNewEntry(false);
              entryForm.resetFields();
            } catch (e) {
              message.error((e as Error).message);
            }
          }}
        >
          <Form.Item name="value" label={tr('Value', '值')} rules={[{ required: true, whitespace: true }]}>
            <Input className="mono" data-testid="entry-value" />
          </Form.Item>
          <Form.Item name="category" label={tr('Category', '类别')}>
            <Select options={CATEGORIES.map((v) => ({ value: v }))} />
          </Form.Item>
          <Form.Item name="riskIntensity" label={tr('Risk intensity', '风险强度')}>
            <Select allowClear options={['low', 'medium', 'high'].map((v) => ({ value: v }))} />
          </Form.Item>
          <Form.Item name="collectionCount" label={tr('Collection count', '收录次数')}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="source" label={tr('Source', '来源')}>
            <Input />
          </Form.Item>
          <Form.Item name="reason" label={tr('Reason', '原因')}>
            <Input />
          </Form.Item>
          <Form.Item name="expires" label={tr('Expires', '过期时间')}>
            <DatePicker showTime />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
