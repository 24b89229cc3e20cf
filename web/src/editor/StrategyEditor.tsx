// The strategy editor: palette → canvas (drag, connect, move, delete, undo/redo, auto-layout) → side panel
// per node → test panel; save draft, diff, publish with confirmation, versions and roll back.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  ReactFlow,
  ReactFlowProvider,
  Background,
  Controls,
  MiniMap,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { App, Badge, Button, Drawer, Input, Modal, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { api, errorFields } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../route.js';
import type { Binding, Diff, Issue, JdmGraph, NodeTrace, Strategy, Version } from '../types.js';
import { KINDS, kindByKey, kindKeyOf } from './kinds.js';
import { NodeView } from './NodeView.js';
import { NodePanel } from './NodePanels.js';
import { DiffView } from './DiffView.js';
import { TestPanel, sampleEvent } from './TestPanel.js';
import { EditorContext } from './context.js';
import { History, autoLayout, flowToJdm, jdmToFlow, newId, type FlowEdge, type FlowNode, type Snapshot } from './graph.js';

const nodeTypes = { jdm: NodeView };
const DELETE_KEYS = ['Backspace', 'Delete'];
const FIT_VIEW = { maxZoom: 1.2 };
const PRO_OPTIONS = { hideAttribution: true };
const DND_TYPE = 'application/x-xiezhi-node';
const EVENT_TYPES = ['register', 'login', 'payment', 'transfer', 'loan_application', 'drawdown', 'repayment', 'profile_change'];
const BASE_COMPLETIONS = [
  'id',
  'type',
  'occurredAt',
  'subject.userId',
  'subject.phone',
  'subject.idNumber',
  'subject.deviceId',
  'subject.ip',
  'subject.bankCard',
  'subject.email',
  'data.amount',
  'data.term',
  'data.income',
  'data.age',
  'features.',
  'score',
  'decision',
];

function flatten(v: unknown, prefix: string, out: Set<string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.add(prefix);
}

/** A draft's meaning without positions: what validation depends on. */
function structureKey(nodes: FlowNode[], edges: FlowEdge[]): string {
  return JSON.stringify([nodes.map((n) => [n.id, n.data.type, n.data.content]), edges.map((e) => [e.source, e.target, e.sourceHandle ?? null])]);
}

function Palette() {
  const { tr } = useI18n();
  return (
    <div className="palette" data-testid="palette">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tr('Drag onto the canvas', '拖到画布上')}
      </Typography.Text>
      {KINDS.map((k) => (
        <div
          key={k.key}
          className="palette-item"
          draggable
          data-testid={`palette-${k.key}`}
          onDragStart={(e) => {
            e.dataTransfer.setData(DND_TYPE, k.key);
            e.dataTransfer.effectAllowed = 'move';
          }}
        >
          <span className="jnode-icon" style={{ background: k.color }}>
            <k.icon />
          </span>
          {k.label(tr)}
        </div>
      ))}
    </div>
  );
}

function Editor({ strategyId }: { strategyId: string }) {
  const { tr } = useI18n();
  const { message, modal } = App.useApp();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const [strategy, setStrategy] = useState<Strategy | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [issues, setIssues] = useState<Map<string, Issue[]>>(new Map());
  const [paths, setPaths] = useState<string[]>([]);
  const [validating, setValidating] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [trace, setTrace] = useState<Record<string, NodeTrace> | null>(null);
  const [showTest, setShowTest] = useState(false);
  const [sample, setSample] = useState('');
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [versions, setVersions] = useState<Version[]>([]);
  const [, forceRender] = useState(0);
  const history = useRef(new History());
  const stateRef = useRef<Snapshot>({ nodes, edges });
  stateRef.current = { nodes, edges };
  const validatedKey = useRef('');

  useEffect(() => {
    api<Strategy>('GET', `/v1/strategies/${encodeURIComponent(strategyId)}`)
      .then((s) => {
        setStrategy(s);
        const f = jdmToFlow(s.draft ?? { nodes: [], edges: [] });
        setNodes(f.nodes);
        setEdges(f.edges);
        setSample(sampleEvent(s.eventTypes[0]));
      })
      .catch((e) => setLoadError((e as Error).message));
  }, [strategyId]);

  const record = useCallback((key = '') => {
    history.current.record(stateRef.current, key);
    setDirty(true);
    forceRender((x) => x + 1);
  }, []);

  const getDraft = useCallback((): JdmGraph => flowToJdm(stateRef.current.nodes, stateRef.current.edges, strategy?.draft ? { ...strategy.draft, nodes: [], edges: [] } : undefined), [strategy]);

  // Validate the draft shortly after its meaning changes (not on mere moves).
  useEffect(() => {
    if (!strategy) return;
    const t = setTimeout(async () => {
      const key = structureKey(nodes, edges);
      if (key === validatedKey.current) return;
      validatedKey.current = key;
      setValidating(true);
      try {
        const r = await api<{ valid: boolean; issues: Issue[]; paths: string[] }>('POST', `/v1/strategies/${encodeURIComponent(strategyId)}/validate`, { draft: getDraft() });
        const m = new Map<string, Issue[]>();
        for (const i of r.issues ?? []) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i]);
        setIssues(m);
        setPaths(r.paths ?? []);
      } catch (e) {
        validatedKey.current = '';
        setIssues(new Map([['', [{ nodeId: '', message: (e as Error).message }]]]));
      } finally {
        setValidating(false);
      }
    }, 400);
    return () => clearTimeout(t);
  }, [nodes, edges, strategy, strategyId, getDraft]);

  // Reflect issues and the traced path on the node cards.
  useEffect(() => {
    setNodes((ns) =>
      ns.map((n) => {
        const iss = issues.get(n.id)?.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message));
        const path = trace ? (trace[n.id] ? 'on' : 'off') : undefined;
        if ((n.data.issues ?? []).join('\n') === (iss ?? []).join('\n') && n.data.path === path) return n;
        return { ...n, data: { ...n.data, issues: iss, path } };
      }),
    );
    setEdges((es) =>
      es.map((e) => {
        const on = !!trace && !!trace[e.source] && !!trace[e.target];
        const cls = on ? 'on-path' : '';
        return (e.className ?? '') === cls ? e : { ...e, className: cls, animated: on };
      }),
    );
  }, [issues, trace]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      if (changes.some((c) => c.type === 'remove')) record();
      setNodes((ns) => applyNodeChanges(changes, ns));
      if (changes.some((c) => c.type === 'position' || c.type === 'remove')) setDirty(true);
    },
    [record],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      if (changes.some((c) => c.type === 'remove')) record();
      setEdges((es) => applyEdgeChanges(changes, es));
    },
    [record],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source === c.target) return;
      record();
      setEdges((es) => {
        if (es.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? null) === (c.sourceHandle ?? null))) return es;
        return [...es, { id: newId('e'), source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }];
      });
    },
    [record],
  );
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const key = e.dataTransfer.getData(DND_TYPE);
      const kind = kindByKey(key);
      if (!kind) return;
      record();
      const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const id = newId(kind.type === 'customNode' ? (kind.customKind ?? 'c').slice(0, 3) : kind.type.slice(0, 3));
      const count = stateRef.current.nodes.filter((n) => kind.customKind ? (n.data.content as { kind?: string })?.kind === kind.customKind : n.data.type === kind.type).length;
      const node: FlowNode = {
        id,
        type: 'jdm',
        position: { x: position.x - 80, y: position.y - 25 },
        data: { type: kind.type, name: `${kind.label(tr)} ${count + 1}`, content: kind.content(() => newId('x')) },
      };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), { ...node, selected: true }]);
      setSelectedId(id);
    },
    [flow, record, tr],
  );

  const onNodeDragStart = useCallback(() => record(), [record]);
  const onSelectionChange = useCallback(({ nodes: sel }: { nodes: FlowNode[] }) => setSelectedId(sel.length === 1 ? sel[0]!.id : null), []);

  const undo = useCallback(() => {
    const s = history.current.undo(stateRef.current);
    if (s) {
      setNodes(s.nodes);
      setEdges(s.edges);
      setDirty(true);
      forceRender((x) => x + 1);
    }
  }, []);
  const redo = useCallback(() => {
    const s = history.current.redo(stateRef.current);
    if (s) {
      setNodes(s.nodes);
      setEdges(s.edges);
      setDirty(true);
      forceRender((x) => x + 1);
    }
  }, []);
  const layout = useCallback(() => {
    record();
    setNodes((ns) => autoLayout(ns, stateRef.current.edges));
    setTimeout(() => flow.fitView({ duration: 200 }), 50);
  }, [flow, record]);

  const save = useCallback(async (): Promise<Strategy | null> => {
    if (!strategy) return null;
    setSaving(true);
    try {
      const s = await api<Strategy>('PUT', `/v1/strategies/${encodeURIComponent(strategyId)}`, { draft: getDraft(), name: strategy.name, eventTypes: strategy.eventTypes });
      setStrategy(s);
      setDirty(false);
      return s;
    } catch (e) {
      message.error(tr('Save failed: ', '保存失败：') + (e as Error).message);
      return null;
    } finally {
      setSaving(false);
    }
  }, [strategy, strategyId, getDraft, message, tr]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        void save().then((s) => s && message.success(tr('Draft saved', '草稿已保存')));
      } else if (!typing && k === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (!typing && (k === 'y' || (k === 'z' && e.shiftKey))) {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, undo, redo, message, tr]);

  const totalIssues = useMemo(() => [...issues.values()].reduce((a, b) => a + b.length, 0), [issues]);

  async function loadDiff(s: Strategy): Promise<Diff | null> {
    if (!s.latestVersion) return null;
    return api<Diff>('GET', `/v1/strategies/${encodeURIComponent(strategyId)}/diff`, undefined, { query: { from: s.latestVersion, to: 'draft' } });
  }

  async function showDiff() {
    const s = dirty ? await save() : strategy;
    if (!s) return;
    try {
      const d = await loadDiff(s);
      modal.info({
        title: tr('Draft compared with the published version', '草稿与已发布版本的差异'),
        width: 720,
        content: d ? <DiffView diff={d} /> : tr('Nothing has been published yet.', '尚未发布过任何版本。'),
      });
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  async function publish() {
    if (totalIssues > 0) {
      message.error(tr('Fix the errors in the draft before publishing.', '请先修正草稿中的错误再发布。'));
      return;
    }
    const s = await save();
    if (!s) return;
    let d: Diff | null;
    let live: Binding[] = [];
    try {
      [d, live] = await Promise.all([loadDiff(s), api<{ items: Binding[] }>('GET', '/v1/bindings').then((r) => r.items)]);
    } catch (e) {
      message.error((e as Error).message);
      return;
    }
    let comment = '';
    modal.confirm({
      title: tr(`Publish version ${s.latestVersion + 1} of “${s.name}”?`, `发布「${s.name}」的第 ${s.latestVersion + 1} 版？`),
      width: 720,
      okText: tr('Publish', '发布'),
      cancelText: tr('Cancel', '取消'),
      okButtonProps: { 'data-testid': 'publish-confirm' },
      content: (
        <div data-testid="publish-dialog">
          <p>
            {tr('It becomes live for event types: ', '发布后立即对以下事件类型生效：')}
            {s.eventTypes.map((t) => {
              const b = live.find((x) => x.eventType === t);
              const replaces = b && b.strategyId !== strategyId;
              return (
                <Tag key={t} color={replaces ? 'orange' : undefined}>
                  {t}
                  {replaces ? tr(` (replaces ${b.strategyId} v${b.version})`, `（替换 ${b.strategyId} v${b.version}）`) : ''}
                </Tag>
              );
            })}
          </p>
          {d ? <DiffView diff={d} /> : <Typography.Paragraph>{tr('This is the first version.', '这是第一个版本。')}</Typography.Paragraph>}
          <Input.TextArea placeholder={tr('Comment (what changed and why)', '备注（改了什么、为什么）')} onChange={(e) => (comment = e.target.value)} style={{ marginTop: 8 }} />
        </div>
      ),
      onOk: async () => {
        try {
          const v = await api<Version>('POST', `/v1/strategies/${encodeURIComponent(strategyId)}/publish`, { comment });
          setStrategy({ ...s, latestVersion: v.version });
          message.success(tr(`Published version ${v.version}`, `已发布第 ${v.version} 版`));
        } catch (e) {
          const fields = errorFields(e);
          if (fields.length) {
            const m = new Map<string, Issue[]>();
            for (const f of fields) {
              const nodeId = f.nodeId ?? '';
              m.set(nodeId, [...(m.get(nodeId) ?? []), { nodeId, field: f.field, message: f.message }]);
            }
            setIssues(m);
          }
          message.error(tr('Publish refused: ', '发布被拒绝：') + (e as Error).message);
        }
      },
    });
  }

  async function openVersions() {
    setVersionsOpen(true);
    try {
      const r = await api<{ items: Version[] }>('GET', `/v1/strategies/${encodeURIComponent(strategyId)}/versions`);
      setVersions(r.items);
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  async function rollback(v: number) {
    try {
      const nv = await api<Version>('POST', `/v1/strategies/${encodeURIComponent(strategyId)}/rollback`, { toVersion: v });
      message.success(tr(`Rolled back: version ${nv.version} now runs the content of version ${v}`, `已回滚：第 ${nv.version} 版采用第 ${v} 版的内容`));
      if (strategy) setStrategy({ ...strategy, latestVersion: nv.version });
      await openVersions();
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  const completions = useMemo(() => {
    const set = new Set<string>(BASE_COMPLETIONS);
    for (const p of paths) set.add(p);
    try {
      flatten(JSON.parse(sample), '', set);
    } catch {
      /* a sample being edited is often not JSON yet */
    }
    return [...set].sort();
  }, [paths, sample]);
  const ctx = useMemo(() => ({ issues, completions }), [issues, completions]);

  const selected = selectedId ? nodes.find((n) => n.id === selectedId) : undefined;
  // Stable callbacks and data-only props keep the side panel still while nodes are dragged.
  const updateNode = useCallback(
    (id: string, patch: Partial<FlowNode['data']>, key: string) => {
      record(`${key}:${id}`);
      setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)));
    },
    [record],
  );
  const onContent = useCallback((content: unknown) => selectedId && updateNode(selectedId, { content }, 'content'), [selectedId, updateNode]);
  const onRename = useCallback((name: string) => selectedId && updateNode(selectedId, { name }, 'name'), [selectedId, updateNode]);
  const deleteSelected = useCallback(() => {
    if (!selectedId) return;
    record();
    setNodes((ns) => ns.filter((n) => n.id !== selectedId));
    setEdges((es) => es.filter((e) => e.source !== selectedId && e.target !== selectedId));
    setSelectedId(null);
  }, [selectedId, record]);

  if (loadError)
    return (
      <div style={{ padding: 24 }}>
        <Typography.Text type="danger">{loadError}</Typography.Text>
      </div>
    );
  if (!strategy) return <Spin style={{ margin: 48 }} />;

  const unplaced = issues.get('') ?? [];
  return (
    <EditorContext.Provider value={ctx}>
      <div className="editor">
        <div className="editor-toolbar">
          <Button size="small" onClick={() => navigate('/strategies')}>
            ← {tr('Strategies', '策略')}
          </Button>
          <Typography.Text strong data-testid="editor-title">
            {strategy.name}
          </Typography.Text>
          <Select
            size="small"
            mode="tags"
            style={{ minWidth: 180 }}
            value={strategy.eventTypes}
            options={EVENT_TYPES.map((v) => ({ value: v }))}
            onChange={(v: string[]) => {
              setStrategy({ ...strategy, eventTypes: v });
              setDirty(true);
            }}
          />
          <Tag>{strategy.latestVersion ? tr(`published v${strategy.latestVersion}`, `已发布 v${strategy.latestVersion}`) : tr('never published', '未发布')}</Tag>
          {dirty && <Tag color="orange">{tr('unsaved', '未保存')}</Tag>}
          <span style={{ flex: 1 }} />
          <Tooltip title="Ctrl+Z">
            <Button size="small" disabled={!history.current.canUndo} onClick={undo} data-testid="undo">
              ↶ {tr('Undo', '撤销')}
            </Button>
          </Tooltip>
          <Tooltip title="Ctrl+Shift+Z">
            <Button size="small" disabled={!history.current.canRedo} onClick={redo} data-testid="redo">
              ↷ {tr('Redo', '重做')}
            </Button>
          </Tooltip>
          <Button size="small" onClick={layout} data-testid="auto-layout">
            {tr('Auto-layout', '自动布局')}
          </Button>
          <Button size="small" type={showTest ? 'primary' : 'default'} ghost={showTest} onClick={() => setShowTest((x) => !x)} data-testid="toggle-test">
            {tr('Test', '测试')}
          </Button>
          <Badge count={totalIssues} size="small" title={tr('errors', '错误')}>
            <Tag color={validating ? 'processing' : totalIssues ? 'error' : 'success'} data-testid="validation-status">
              {validating ? tr('checking…', '检查中…') : totalIssues ? tr('has errors', '有错误') : tr('valid', '校验通过')}
            </Tag>
          </Badge>
          <Button size="small" loading={saving} onClick={() => void save().then((s) => s && message.success(tr('Draft saved', '草稿已保存')))} data-testid="save">
            {tr('Save draft', '保存草稿')}
          </Button>
          <Button size="small" onClick={showDiff} data-testid="diff">
            {tr('Diff', '对比')}
          </Button>
          <Button size="small" onClick={openVersions} data-testid="versions">
            {tr('Versions', '版本')}
          </Button>
          <Button size="small" type="primary" disabled={totalIssues > 0 || validating} onClick={publish} data-testid="publish">
            {tr('Publish', '发布')}
          </Button>
        </div>
        {unplaced.length > 0 && (
          <div style={{ background: '#fff2f0', padding: '4px 12px', color: '#cf1322', fontSize: 12 }} data-testid="graph-issues">
            {unplaced.map((i) => i.message).join(' · ')}
          </div>
        )}
        <div className="editor-main">
          <Palette />
          <div style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
            <div className="canvas" onDragOver={(e) => ((e.dataTransfer.dropEffect = 'move'), e.preventDefault())} onDrop={onDrop} data-testid="canvas">
              <ReactFlow<FlowNode, FlowEdge>
                nodes={nodes}
                edges={edges}
                nodeTypes={nodeTypes}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onConnect={onConnect}
                onNodeDragStart={onNodeDragStart}
                onSelectionChange={onSelectionChange}
                deleteKeyCode={DELETE_KEYS}
                fitView
                fitViewOptions={FIT_VIEW}
                minZoom={0.1}
                proOptions={PRO_OPTIONS}
              >
                <Background gap={16} />
                <Controls />
                <MiniMap pannable zoomable style={{ width: 140, height: 90 }} />
              </ReactFlow>
            </div>
            {showTest && (
              <div className="bottom-panel">
                <TestPanel strategyId={strategyId} eventType={strategy.eventTypes[0]} getDraft={getDraft} onTrace={setTrace} sample={sample} setSample={setSample} />
              </div>
            )}
          </div>
          {selected && (
            <div className={kindKeyOf(selected.data) === 'custom:scorecard' ? 'side-panel side-panel-wide' : 'side-panel'}>
              <NodePanel key={selected.id} nodeId={selected.id} data={selected.data} trace={trace?.[selected.id]} onChange={onContent} onRename={onRename} onDelete={deleteSelected} />
            </div>
          )}
        </div>
      </div>
      <Drawer open={versionsOpen} onClose={() => setVersionsOpen(false)} width={640} title={tr('Versions', '版本')}>
        <Table
          size="small"
          rowKey="version"
          dataSource={versions}
          pagination={false}
          columns={[
            { title: tr('Version', '版本'), dataIndex: 'version', render: (v: number, r: Version) => <>v{v}{r.rolledBackFrom ? <Tag style={{ marginLeft: 4 }}>{tr(`rollback of v${r.rolledBackFrom}`, `回滚自 v${r.rolledBackFrom}`)}</Tag> : null}</> },
            { title: tr('Published', '发布时间'), dataIndex: 'publishedAt', render: (t: string) => new Date(t).toLocaleString() },
            { title: tr('By', '发布人'), dataIndex: 'publishedBy' },
            { title: tr('Comment', '备注'), dataIndex: 'comment' },
            {
              title: '',
              render: (_: unknown, r: Version) =>
                r.version === strategy.latestVersion ? (
                  <Tag color="green">{tr('current', '当前')}</Tag>
                ) : (
                  <Button
                    size="small"
                    onClick={() =>
                      modal.confirm({
                        title: tr(`Roll back to version ${r.version}?`, `回滚到第 ${r.version} 版？`),
                        content: tr('A new version with that content is published at once.', '将立即发布一个内容与该版本相同的新版本。'),
                        onOk: () => rollback(r.version),
                      })
                    }
                    data-testid={`rollback-${r.version}`}
                  >
                    {tr('Roll back', '回滚')}
                  </Button>
                ),
            },
          ]}
        />
      </Drawer>
    </EditorContext.Provider>
  );
}

export default function StrategyEditor({ strategyId }: { strategyId: string }) {
  return (
    <ReactFlowProvider>
      <Editor strategyId={strategyId} />
    </ReactFlowProvider>
  );
}
