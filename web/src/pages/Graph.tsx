// 关联图谱: a subject's link neighbourhood drawn with ECharts' force-layout graph; clicking a subject expands it
// (its neighbourhood is fetched and merged), attribute kinds can be hidden, subjects are coloured by label.
// The Rings tab lists the ring job's ranked suspicious groups.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Input, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { api } from '../api.js';
import { useI18n, type I18n } from '../i18n.js';
import { navigate } from '../route.js';
import { GraphChart } from '../components/GraphChart.js';
import { EMPTY_VIEW, KIND_COLORS, LABEL_COLORS, OTHER_KIND_COLOR, filterView, kindsOf, mergeView, nodeColor, subjectLabel, type GraphNode, type GraphView, type Neighbourhood } from '../graph/model.js';

export function kindLabel(tr: I18n['tr'], kind: string): string {
  const names: Record<string, [string, string]> = {
    subject: ['Subject', '主体'],
    deviceId: ['Device', '设备'],
    phone: ['Phone', '手机号'],
    idNumber: ['ID number', '身份证号'],
    bankCard: ['Bank card', '银行卡'],
    ip: ['IP', 'IP'],
    email: ['Email', '邮箱'],
    address: ['Address', '地址'],
    employer: ['Employer', '工作单位'],
    wifi: ['Wi-Fi', 'Wi-Fi'],
  };
  const n = names[kind];
  return n ? tr(n[0], n[1]) : kind;
}

function labelText(tr: I18n['tr'], l: string): string {
  switch (l) {
    case 'fraud':
      return tr('Fraud', '欺诈');
    case 'default':
      return tr('Default', '违约');
    case 'blacklisted':
      return tr('Black-listed', '黑名单');
    default:
      return tr('No label', '无标签');
  }
}

function Explorer({ subjectId }: { subjectId?: string }) {
  const { tr } = useI18n();
  const [hops, setHops] = useState(2);
  const [view, setView] = useState<GraphView>(EMPTY_VIEW);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [query, setQuery] = useState(subjectId ?? '');

  async function load(id: string, h: number, merge: boolean) {
    setLoading(true);
    setError(null);
    try {
      const hood = await api<Neighbourhood>('GET', `/v1/graph/subjects/${encodeURIComponent(id)}`, undefined, { query: { hops: h } });
      setView((v) => mergeView(merge ? v : EMPTY_VIEW, hood));
      if (!merge) setSelected(hood.nodes.find((n) => n.type === 'subject' && n.value === id)?.id ?? null);
    } catch (e) {
      if (!merge) setView(EMPTY_VIEW);
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    setQuery(subjectId ?? '');
    if (subjectId) void load(subjectId, hops, false);
    else setView(EMPTY_VIEW);
  }, [subjectId, hops]);

  const shown = useMemo(() => filterView(view, hidden), [view, hidden]);
  const kinds = useMemo(() => kindsOf(view), [view]);
  const byId = useMemo(() => new Map(view.nodes.map((n) => [n.id, n])), [view]);
  const sel = selected ? byId.get(selected) : undefined;

  function expand(n: GraphNode) {
    if (n.type === 'subject' && !view.expanded.includes(n.value)) void load(n.value, 1, true);
  }

  const option = useMemo<EChartsCoreOption>(
    () => ({
      tooltip: {
        formatter: (p: { dataType?: string; data?: { node?: GraphNode } }) => {
          const n = p.data?.node;
          if (p.dataType !== 'node' || !n) return '';
          const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
          const extra = n.type === 'subject' ? labelText(tr, subjectLabel(n)) : `${tr('subjects', '关联主体')} ${n.degree}${n.capped ? ' · ' + tr('capped hub', '超限枢纽') : ''}`;
          return `${esc(kindLabel(tr, n.kind))}: <b>${esc(n.value)}</b><br/>${esc(extra)}`;
        },
      },
      animationDuration: 300,
      series: [
        {
          id: 'links',
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          force: { repulsion: 700, edgeLength: [90, 170], gravity: 0.1 },
          labelLayout: { moveOverlap: 'shiftY' },
          label: { show: true, position: 'bottom', fontSize: 11, color: '#333' },
          lineStyle: { color: '#aaa', width: 1.2, opacity: 0.8 },
          emphasis: { focus: 'adjacency', lineStyle: { width: 2 } },
          data: shown.nodes.map((n) => {
            const centre = n.type === 'subject' && n.value === subjectId;
            return {
              id: n.id,
              name: n.id,
              node: n,
              symbol: n.type === 'subject' ? 'circle' : 'roundRect',
              symbolSize: n.type === 'subject' ? (centre ? 34 : 24) : 16,
              itemStyle: {
                color: nodeColor(n),
                borderColor: n.id === selected ? '#000' : centre ? '#003eb3' : '#fff',
                borderWidth: n.id === selected || centre ? 3 : 1,
                opacity: n.capped ? 0.5 : 1,
              },
              label: { formatter: n.type === 'subject' ? n.value : `${kindLabel(tr, n.kind)} ${n.value}` },
            };
          }),
          links: shown.edges.map((e) => ({ source: e.source, target: e.target, lineStyle: e.roles.includes('contact') ? { type: 'dashed' } : undefined })),
        },
      ],
    }),
    [shown, selected, subjectId, tr],
  );

  const neighbours = useMemo(() => {
    if (!sel) return [];
    const ids = new Set<string>();
    for (const e of shown.edges) {
      if (e.source === sel.id) ids.add(e.target);
      if (e.target === sel.id) ids.add(e.source);
    }
    return [...ids].map((id) => byId.get(id)!).filter(Boolean);
  }, [sel, shown, byId]);

  const subjects = shown.nodes.filter((n) => n.type === 'subject').length;

  return (
    <div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            style={{ width: 320 }}
            placeholder={tr('Subject id (userId)', '主体编号（userId）')}
            enterButton={tr('Show', '查看')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onSearch={(v) => v.trim() && navigate(`/graph/${encodeURIComponent(v.trim())}`)}
            data-testid="graph-search"
          />
          <span>{tr('Hops', '跳数')}</span>
          <Segmented value={hops} onChange={(v) => setHops(Number(v))} options={[1, 2].map((h) => ({ value: h, label: String(h) }))} data-testid="graph-hops" />
        </Space>
        {kinds.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {tr('Attribute kinds', '属性类型')}:
            </Typography.Text>
            <Checkbox.Group
              value={kinds.filter((k) => !hidden.has(k))}
              onChange={(v) => setHidden(new Set(kinds.filter((k) => !(v as string[]).includes(k))))}
              options={kinds.map((k) => ({ value: k, label: <span data-testid={`kind-${k}`}><span className="swatch" style={{ background: KIND_COLORS[k] ?? OTHER_KIND_COLOR }} />{kindLabel(tr, k)}</span> }))}
              data-testid="graph-kinds"
            />
          </div>
        )}
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="graph-error" />}
      {view.truncated && <Alert type="warning" showIcon message={tr('The neighbourhood is large: only part of it is shown.', '关联范围过大，仅显示一部分。')} style={{ marginBottom: 12 }} />}
      {!subjectId ? (
        <Empty description={tr('Enter a subject id to see who it is linked to', '输入主体编号查看其关联关系')} />
      ) : (
        <div className="graph-layout">
          <Card size="small" className="graph-canvas" loading={loading && view.nodes.length === 0}
            title={<span data-testid="graph-summary">{tr(`${subjects} subjects, ${shown.nodes.length - subjects} attributes, ${shown.edges.length} links`, `${subjects} 个主体，${shown.nodes.length - subjects} 个属性，${shown.edges.length} 条关联`)}</span>}
            extra={
              <Space size={4} wrap>
                {(['none', 'fraud', 'default', 'blacklisted'] as const).map((l) => (
                  <Tag key={l} color={LABEL_COLORS[l]}>{labelText(tr, l)}</Tag>
                ))}
              </Space>
            }
          >
            <GraphChart option={option} height={560} testId="graph-chart" onNodeClick={(id) => {
              setSelected(id);
              const n = byId.get(id);
              if (n) expand(n);
            }} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tr('Click a subject to expand it; drag to move, scroll to zoom. Dashed lines are emergency contacts.', '点击主体展开其关联；拖动移动，滚轮缩放。虚线为紧急联系人。')}
            </Typography.Text>
          </Card>
          <Card size="small" className="graph-side" title={tr('Nodes', '节点')}>
            {sel && (
              <Descriptions size="small" column={1} bordered style={{ marginBottom: 8 }} data-testid="graph-selected">
                <Descriptions.Item label={tr('Kind', '类型')}>{kindLabel(tr, sel.kind)}</Descriptions.Item>
                <Descriptions.Item label={tr('Value', '值')}><span className="mono">{sel.value}</span></Descriptions.Item>
                {sel.type === 'subject' ? (
                  <Descriptions.Item label={tr('Label', '标签')}>{labelText(tr, subjectLabel(sel))}</Descriptions.Item>
                ) : (
                  <Descriptions.Item label={tr('Subjects sharing it', '共用主体数')}>
                    {sel.degree} {sel.capped && <Tag color="default">{tr('capped hub, not linked', '超限枢纽，不参与关联')}</Tag>}
                  </Descriptions.Item>
                )}
                {sel.communityId !== null && <Descriptions.Item label={tr('Community', '社区')}>{sel.communityId}</Descriptions.Item>}
                <Descriptions.Item label={tr('Linked to', '关联')}>{neighbours.length}</Descriptions.Item>
              </Descriptions>
            )}
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ y: 360 }}
              dataSource={[...shown.nodes].sort((a, b) => a.hop - b.hop || (a.type === b.type ? a.value.localeCompare(b.value) : a.type === 'subject' ? -1 : 1))}
              onRow={(n) => ({ onClick: () => setSelected(n.id), style: { cursor: 'pointer', background: n.id === selected ? '#e6f4ff' : undefined } })}
              columns={[
                {
                  title: tr('Node', '节点'),
                  render: (_: unknown, n: GraphNode) => (
                    <span data-testid="graph-node" data-kind={n.kind} data-value={n.value}>
                      <span className="swatch" style={{ background: nodeColor(n) }} />
                      <Typography.Text type="secondary">{kindLabel(tr, n.kind)}</Typography.Text> <span className="mono">{n.value}</span>
                    </span>
                  ),
                },
                {
                  title: '',
                  width: 84,
                  render: (_: unknown, n: GraphNode) =>
                    n.type === 'subject' ? (
                      view.expanded.includes(n.value) ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr('expanded', '已展开')}</Typography.Text>
                      ) : (
                        <Button size="small" type="link" data-testid={`expand-${n.value}`} onClick={(ev) => { ev.stopPropagation(); setSelected(n.id); expand(n); }}>
                          {tr('Expand', '展开')}
                        </Button>
                      )
                    ) : null,
                },
              ]}
            />
          </Card>
        </div>
      )}
    </div>
  );
}

interface Ring {
  communityId: number;
  size: number;
  sharedAttributes: number;
  density: number;
  badCount: number;
  badShare: number;
  pattern: Record<string, number>;
  score: number;
  suspicious: boolean;
  members: string[];
  shared: { kind: string; value: string; members: number }[];
}

function Rings() {
  const { tr } = useI18n();
  const [all, setAll] = useState(false);
  const [data, setData] = useState<{ generatedAt: string; total: number; rings: Ring[]; capped: { kind: string; value: string }[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    api<NonNullable<typeof data>>('GET', '/v1/graph/rings', undefined, { query: { limit: 200, all } })
      .then(setData)
      .catch((e) => setError((e as Error).message));
  }, [all]);
  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="rings-all">
          {tr('Show every group, not only suspicious ones', '显示全部群组（不只可疑团伙）')}
        </Checkbox>
        {data && (
          <Typography.Text type="secondary">
            {tr(`${data.total} groups · computed ${new Date(data.generatedAt).toLocaleString()} · ${data.capped.length} capped hubs`, `${data.total} 个群组 · 计算于 ${new Date(data.generatedAt).toLocaleString()} · ${data.capped.length} 个超限枢纽`)}
          </Typography.Text>
        )}
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {tr('Ranked by score (size, redundancy of shared links, bad-label share, shared-attribute pattern). Click a ring to open its first member in the explorer.', '按风险分排序（规模、共用关联冗余度、坏样本占比、共用属性模式）。点击团伙在关系探索中打开其第一个成员。')}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="communityId"
        loading={!data && !error}
        dataSource={data?.rings ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={tr('No suspicious groups found', '未发现可疑团伙')} /> }}
        onRow={(r) => ({ onClick: () => r.members[0] && navigate(`/graph/${encodeURIComponent(r.members[0])}`), style: { cursor: 'pointer' }, 'data-testid': 'ring-row' } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: '#', width: 48, render: (_: unknown, __: Ring, i: number) => i + 1 },
          { title: tr('Score', '风险分'), dataIndex: 'score', width: 90, render: (s: number, r: Ring) => <Tag color={r.suspicious ? 'red' : 'default'}>{s.toFixed(2)}</Tag> },
          { title: tr('Size', '人数'), dataIndex: 'size', width: 70 },
          { title: tr('Density', '密度'), dataIndex: 'density', width: 80, render: (d: number) => d.toFixed(2) },
          { title: tr('Bad share', '坏样本占比'), width: 110, render: (_: unknown, r: Ring) => `${Math.round(r.badShare * 100)}% (${r.badCount})` },
          {
            title: tr('Shared attributes', '共用属性'),
            render: (_: unknown, r: Ring) => (
              <Space size={[4, 4]} wrap>
                {r.shared.slice(0, 6).map((s, i) => (
                  <Tag key={i} color={KIND_COLORS[s.kind] ?? OTHER_KIND_COLOR} style={{ color: '#fff' }}>
                    {kindLabel(tr, s.kind)} <span className="mono">{s.value}</span> ×{s.members}
                  </Tag>
                ))}
                {r.shared.length > 6 && <Typography.Text type="secondary">+{r.shared.length - 6}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: tr('Members', '成员'),
            render: (_: unknown, r: Ring) => (
              <span className="mono" data-testid="ring-members">
                {r.members.slice(0, 5).join(', ')}
                {r.members.length > 5 ? ` +${r.members.length - 5}` : ''}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}

export default function GraphPage({ tab, subjectId }: { tab: 'explorer' | 'rings'; subjectId?: string }) {
  const { tr } = useI18n();
  return (
    <div data-testid="graph-page">
      <Typography.Title level={4} className="page-title">
        {tr('Link graph', '关联图谱')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === 'rings' ? '/rings' : subjectId ? `/graph/${encodeURIComponent(subjectId)}` : '/graph')}
        items={[
          { key: 'explorer', label: <span data-testid="tab-explorer">{tr('Explorer', '关系探索')}</span>, children: tab === 'explorer' ? <Explorer subjectId={subjectId} /> : null },
          { key: 'rings', label: <span data-testid="tab-rings">{tr('Rings', '团伙')}</span>, children: tab === 'rings' ? <Rings /> : null },
        ]}
      />
    </div>
  );
}
