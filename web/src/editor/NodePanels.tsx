// Side-panel editors for each node kind, and the dispatcher that picks one for the selected node.
import { memo, useEffect, useState } from 'react';
import { Alert, Button, Card, Input, InputNumber, Select, Space, Switch, Tabs, Typography } from 'antd';
import { ExprInput } from './ExprInput.js';
import { DecisionTablePanel } from './DecisionTablePanel.js';
import { ScorecardPanel } from './ScorecardPanel.js';
import { newId, type FlowNode } from './graph.js';
import { kindKeyOf, kindOf } from './kinds.js';
import { issuesAt, normPath, useEditor } from './context.js';
import { useI18n } from '../i18n.js';
import type { NodeTrace } from '../types.js';
import { moveItem, type Obj, type PanelProps } from './panel-kit.js';



/** Edits `content.config.<key>` arrays of customNode kinds. */
function useConfig({ content, onChange }: PanelProps) {
  const cfg: Obj = content.config ?? {};
  const setCfg = (patch: Obj) => onChange({ ...content, config: { ...cfg, ...patch } });
  return { cfg, setCfg };
}

function RowButtons({ onUp, onDown, onRemove, testId }: { onUp(): void; onDown(): void; onRemove(): void; testId?: string }) {
  return (
    <Space.Compact>
      <Button size="small" onClick={onUp}>
        ↑
      </Button>
      <Button size="small" onClick={onDown}>
        ↓
      </Button>
      <Button size="small" danger onClick={onRemove} data-testid={testId}>
        ×
      </Button>
    </Space.Compact>
  );
}

function RuleSetPanel(p: PanelProps) {
  const { tr } = useI18n();
  const { cfg, setCfg } = useConfig(p);
  const rules: Obj[] = cfg.rules ?? [];
  const setRule = (i: number, patch: Obj) => setCfg({ rules: rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <span>{tr('Mode', '模式')}</span>
        <Select
          size="small"
          value={cfg.mode ?? 'allHits'}
          onChange={(v) => setCfg({ mode: v })}
          style={{ width: 220 }}
          options={[
            { value: 'allHits', label: tr('all hits — add up every rule', 'allHits — 累计所有命中规则') },
            { value: 'firstHit', label: tr('first hit — stop at the first', 'firstHit — 首个命中即停') },
          ]}
        />
      </Space>
      {rules.map((r, i) => (
        <Card key={r.id ?? i} size="small" style={{ marginBottom: 8, opacity: r.enabled === false ? 0.55 : 1 }} data-testid={`rule-${i}`}>
          <Space style={{ width: '100%', marginBottom: 4 }} styles={{ item: { minWidth: 0 } }}>
            <Space>
              <Switch size="small" checked={r.enabled !== false} onChange={(v) => setRule(i, { enabled: v })} />
              <Input size="small" value={r.name} placeholder={tr('Rule name', '规则名称')} onChange={(e) => setRule(i, { name: e.target.value })} style={{ width: 250 }} />
            </Space>
            <RowButtons onUp={() => setCfg({ rules: moveItem(rules, i, -1) })} onDown={() => setCfg({ rules: moveItem(rules, i, 1) })} onRemove={() => setCfg({ rules: rules.filter((_, k) => k !== i) })} />
          </Space>
          <ExprInput nodeId={p.nodeId} path={`config.rules[${i}].condition`} value={r.condition} onChange={(v) => setRule(i, { condition: v })} placeholder={tr('condition, e.g. data.amount > 50000', '条件，如 data.amount > 50000')} testId={`rule-condition-${i}`} />
          <Space style={{ marginTop: 4 }}>
            <span>{tr('Score', '分数')}</span>
            <InputNumber size="small" value={r.score} onChange={(v) => setRule(i, { score: v ?? 0 })} style={{ width: 80 }} />
            <span>{tr('Reason code', '原因码')}</span>
            <Input size="small" className="mono" value={r.reasonCode} onChange={(e) => setRule(i, { reasonCode: e.target.value || undefined })} style={{ width: 140 }} />
          </Space>
        </Card>
      ))}
      <Button size="small" type="dashed" block onClick={() => setCfg({ rules: [...rules, { id: newId('rule'), name: '', condition: '', score: 10, enabled: true }] })} data-testid="rule-add">
        + {tr('Rule', '规则')}
      </Button>
    </div>
  );
}

function DecisionPanel(p: PanelProps) {
  const { tr } = useI18n();
  const { cfg, setCfg } = useConfig(p);
  const rules: Obj[] = cfg.rules ?? [];
  const th: Obj = cfg.thresholds ?? {};
  const outcomes = [
    { value: 'approve', label: tr('Approve', '通过') },
    { value: 'review', label: tr('Review', '人工审核') },
    { value: 'reject', label: tr('Reject', '拒绝') },
  ];
  const setRule = (i: number, patch: Obj) => setCfg({ rules: rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const { issues } = useEditor();
  const errs = (path: string) =>
    issuesAt(issues.get(p.nodeId), path).map((e, k) => (
      <div key={k} className="expr-error">
        {e.message}
      </div>
    ));
  return (
    <div>
      <Space direction="vertical" style={{ width: '100%' }}>
        <div>
          <div>{tr('Risk score (expression)', '风险分（表达式）')}</div>
          <ExprInput nodeId={p.nodeId} path="config.score" value={cfg.score} onChange={(v) => setCfg({ score: v })} placeholder="score" testId="decision-score" />
        </div>
        <Space wrap>
          <Select
            size="small"
            value={cfg.direction ?? 'higherIsRiskier'}
            onChange={(v) => setCfg({ direction: v })}
            style={{ width: 200 }}
            options={[
              { value: 'higherIsRiskier', label: tr('higher score = riskier', '分数越高越危险') },
              { value: 'higherIsSafer', label: tr('higher score = safer', '分数越高越安全') },
            ]}
          />
          <span>{tr('Review at', '审核阈值')}</span>
          <InputNumber size="small" value={th.review} onChange={(v) => setCfg({ thresholds: { ...th, review: v ?? 0 } })} style={{ width: 80 }} data-testid="decision-review" />
          <span>{tr('Reject at', '拒绝阈值')}</span>
          <InputNumber size="small" value={th.reject} onChange={(v) => setCfg({ thresholds: { ...th, reject: v ?? 0 } })} style={{ width: 80 }} data-testid="decision-reject" />
        </Space>
        {errs('config.thresholds')}
        {errs('config.direction')}
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 4 }}>
        {tr('Flags make the decision stricter when they hold; with “override” they set it outright (e.g. a whitelist forcing approve).', '标记条件成立时只会让决策更严格；勾选“强制”则直接决定结果（如白名单强制通过）。')}
      </Typography.Paragraph>
      {rules.map((r, i) => (
        <Card key={r.id ?? i} size="small" style={{ marginBottom: 6 }}>
          <ExprInput nodeId={p.nodeId} path={`config.rules[${i}].when`} value={r.when} onChange={(v) => setRule(i, { when: v })} placeholder="hitCount > 2" testId={`decision-when-${i}`} />
          <Space style={{ marginTop: 4 }}>
            <Select size="small" value={r.decision} options={outcomes} onChange={(v) => setRule(i, { decision: v })} style={{ width: 100 }} />
            <Switch size="small" checked={r.override === true} onChange={(v) => setRule(i, { override: v })} checkedChildren={tr('override', '强制')} unCheckedChildren={tr('stricter', '加严')} />
            <Input size="small" className="mono" placeholder={tr('reason code', '原因码')} value={typeof r.reason === 'string' ? r.reason : r.reason?.code} onChange={(e) => setRule(i, { reason: e.target.value || undefined })} style={{ width: 110 }} />
            <RowButtons onUp={() => setCfg({ rules: moveItem(rules, i, -1) })} onDown={() => setCfg({ rules: moveItem(rules, i, 1) })} onRemove={() => setCfg({ rules: rules.filter((_, k) => k !== i) })} />
          </Space>
        </Card>
      ))}
      <Button size="small" type="dashed" onClick={() => setCfg({ rules: [...rules, { id: newId('f'), when: '', decision: 'review' }] })}>
        + {tr('Flag', '标记')}
      </Button>
    </div>
  );
}

function ListPanel(p: PanelProps) {
  const { tr } = useI18n();
  const { cfg, setCfg } = useConfig(p);
  const checks: Obj[] = cfg.checks ?? [];
  const setCheck = (i: number, patch: Obj) => setCfg({ checks: checks.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  return (
    <div>
      {checks.map((c, i) => (
        <Space key={i} align="start" size={4} style={{ display: 'flex', marginBottom: 4 }}>
          <Select size="small" value={c.dimension} onChange={(v) => setCheck(i, { dimension: v })} style={{ width: 96 }} options={['phone', 'idNumber', 'deviceId', 'ip', 'bankCard', 'userId', 'email', 'address'].map((v) => ({ value: v }))} />
          <div style={{ width: 140 }}>
            <ExprInput nodeId={p.nodeId} path={`config.checks[${i}].value`} value={c.value} onChange={(v) => setCheck(i, { value: v })} placeholder="subject.phone" />
          </div>
          <Select size="small" mode="tags" placeholder={tr('all lists', '全部名单')} value={c.lists ?? []} onChange={(v: string[]) => setCheck(i, { lists: v.length ? v : undefined })} style={{ width: 120 }} />
          <Button size="small" danger onClick={() => setCfg({ checks: checks.filter((_, k) => k !== i) })}>
            ×
          </Button>
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => setCfg({ checks: [...checks, { dimension: 'phone', value: 'subject.phone' }] })}>
        + {tr('Check', '检查项')}
      </Button>
    </div>
  );
}

function AbSplitPanel(p: PanelProps) {
  const { tr } = useI18n();
  const { cfg, setCfg } = useConfig(p);
  const branches: Obj[] = cfg.branches ?? [];
  const setB = (i: number, patch: Obj) => setCfg({ branches: branches.map((b, k) => (k === i ? { ...b, ...patch } : b)) });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <div>{tr('Split by (expression; the same value always takes the same branch)', '分流依据（表达式；同一值总走同一分支）')}</div>
      <ExprInput nodeId={p.nodeId} path="config.field" value={cfg.field} onChange={(v) => setCfg({ field: v })} placeholder="subject.userId" />
      <Input size="small" addonBefore={tr('Salt', '盐值')} value={cfg.salt} onChange={(e) => setCfg({ salt: e.target.value })} />
      {branches.map((b, i) => (
        <Space key={i}>
          <Input size="small" className="mono" value={b.id} onChange={(e) => setB(i, { id: e.target.value })} style={{ width: 140 }} />
          <InputNumber size="small" min={0} value={b.weight} onChange={(v) => setB(i, { weight: v ?? 0 })} addonAfter={tr('weight', '权重')} />
          <Button size="small" danger onClick={() => setCfg({ branches: branches.filter((_, k) => k !== i) })}>
            ×
          </Button>
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => setCfg({ branches: [...branches, { id: newId('branch'), weight: 0 }] })}>
        + {tr('Branch', '分支')}
      </Button>
    </Space>
  );
}

function ModelPanel(p: PanelProps) {
  const { tr } = useI18n();
  const { cfg, setCfg } = useConfig(p);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input size="small" className="mono" addonBefore={tr('Model id', '模型 ID')} value={cfg.modelId} onChange={(e) => setCfg({ modelId: e.target.value })} />
      <InputNumber size="small" min={1} addonBefore={tr('Version', '版本')} placeholder={tr('active', '当前生效')} value={cfg.version} onChange={(v) => setCfg({ version: v ?? undefined })} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tr('Feature mapping (name → expression) is edited in the JSON tab.', '特征映射（名称 → 表达式）请在 JSON 标签页编辑。')}
      </Typography.Text>
    </Space>
  );
}

function SwitchPanel({ nodeId, content, onChange }: PanelProps) {
  const { tr } = useI18n();
  const st: Obj[] = content.statements ?? [];
  const setSt = (i: number, patch: Obj) => onChange({ ...content, statements: st.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <span>{tr('Hit policy', '命中策略')}</span>
        <Select size="small" value={content.hitPolicy ?? 'first'} onChange={(v) => onChange({ ...content, hitPolicy: v })} options={[{ value: 'first' }, { value: 'collect' }]} style={{ width: 110 }} />
      </Space>
      {st.map((s, i) => (
        <Space key={s.id} align="start" style={{ display: 'flex', marginBottom: 4 }}>
          <div style={{ width: 220 }}>
            {s.isDefault ? (
              <Input size="small" disabled value={tr('else (default branch)', '否则（默认分支）')} />
            ) : (
              <ExprInput nodeId={nodeId} path={`statements[${i}].condition`} value={s.condition} onChange={(v) => setSt(i, { condition: v })} placeholder="data.amount > 1000" />
            )}
          </div>
          <Switch size="small" checked={!!s.isDefault} onChange={(v) => setSt(i, { isDefault: v })} checkedChildren={tr('else', '否则')} unCheckedChildren={tr('if', '如果')} />
          <RowButtons onUp={() => onChange({ ...content, statements: moveItem(st, i, -1) })} onDown={() => onChange({ ...content, statements: moveItem(st, i, 1) })} onRemove={() => onChange({ ...content, statements: st.filter((_, k) => k !== i) })} />
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => onChange({ ...content, statements: [...st, { id: newId('s'), condition: '', isDefault: false }] })}>
        + {tr('Branch', '分支')}
      </Button>
    </div>
  );
}

function ExpressionPanel({ nodeId, content, onChange }: PanelProps) {
  const { tr } = useI18n();
  const ex: Obj[] = content.expressions ?? [];
  const setEx = (i: number, patch: Obj) => onChange({ ...content, expressions: ex.map((e, k) => (k === i ? { ...e, ...patch } : e)) });
  return (
    <div>
      {ex.map((e, i) => (
        <Space key={e.id ?? i} align="start" style={{ display: 'flex', marginBottom: 4 }}>
          <Input size="small" className="mono" value={e.key} placeholder={tr('key', '输出键')} onChange={(x) => setEx(i, { key: x.target.value })} style={{ width: 110 }} data-testid={`expr-key-${i}`} />
          <div style={{ width: 210 }}>
            <ExprInput nodeId={nodeId} path={`expressions[${i}].value`} value={e.value} onChange={(v) => setEx(i, { value: v })} placeholder="data.amount / 100" testId={`expr-value-${i}`} />
          </div>
          <RowButtons onUp={() => onChange({ ...content, expressions: moveItem(ex, i, -1) })} onDown={() => onChange({ ...content, expressions: moveItem(ex, i, 1) })} onRemove={() => onChange({ ...content, expressions: ex.filter((_, k) => k !== i) })} />
        </Space>
      ))}
      <Button size="small" type="dashed" onClick={() => onChange({ ...content, expressions: [...ex, { id: newId('e'), key: '', value: '' }] })} data-testid="expr-add">
        + {tr('Expression', '表达式')}
      </Button>
      <div style={{ marginTop: 8 }}>
        <Switch size="small" checked={content.passThrough !== false} onChange={(v) => onChange({ ...content, passThrough: v })} /> {tr('Pass input through', '透传输入')}
      </div>
    </div>
  );
}

function SubDecisionPanel({ content, onChange }: PanelProps) {
  const { tr } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <span>{tr('Decision key (another strategy id)', '决策键（另一个策略 ID）')}</span>
      <Input size="small" className="mono" value={content.key} onChange={(e) => onChange({ ...content, key: e.target.value })} />
    </Space>
  );
}

/** Raw JSON of the node content: the escape hatch for kinds without a form and for power users. */
function JsonPanel({ content, onChange }: { content: unknown; onChange(c: unknown): void }) {
  const { tr } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(content ?? {}, null, 2));
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    setText(JSON.stringify(content ?? {}, null, 2));
    setErr(null);
  }, [content]);
  return (
    <div>
      <Input.TextArea
        className="mono"
        autoSize={{ minRows: 8, maxRows: 30 }}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const v = JSON.parse(e.target.value);
            setErr(null);
            onChange(v);
          } catch (x) {
            setErr((x as Error).message);
          }
        }}
      />
      {err && <div className="expr-error">{tr('Invalid JSON: ', 'JSON 无效：') + err}</div>}
    </div>
  );
}

function FormFor(props: PanelProps & { kindKey: string }) {
  switch (props.kindKey) {
    case 'decisionTableNode':
      return <DecisionTablePanel nodeId={props.nodeId} content={props.content} onChange={props.onChange} />;
    case 'expressionNode':
      return <ExpressionPanel {...props} />;
    case 'switchNode':
      return <SwitchPanel {...props} />;
    case 'custom:ruleSet':
      return <RuleSetPanel {...props} />;
    case 'custom:scorecard':
      return <ScorecardPanel {...props} />;
    case 'custom:decision':
      return <DecisionPanel {...props} />;
    case 'decisionNode':
      return <SubDecisionPanel {...props} />;
    case 'custom:list':
      return <ListPanel {...props} />;
    case 'custom:abSplit':
      return <AbSplitPanel {...props} />;
    case 'custom:model':
      return <ModelPanel {...props} />;
    default:
      return null;
  }
}

const FORM_KINDS = new Set(['decisionTableNode', 'expressionNode', 'switchNode', 'custom:ruleSet', 'custom:scorecard', 'custom:decision', 'custom:list', 'custom:abSplit', 'custom:model', 'decisionNode']);
/** Fields the forms show errors beside (expression inputs); anything else is listed above the form. */
const PLACED_FIELD = /(condition|when|value|expression|field|score|thresholds|direction|rules\.\d+\.[^.]+)$/;
/** Scorecard fields its panel shows errors beside. */
const PLACED_SCORECARD = /^(basePoints|maxReasons|characteristics|characteristics\.\d+\.(id|reasonCode|defaultPoints|bins)|characteristics\.\d+\.bins\.\d+(\.(min|max|values|missing|points))?)$/;

export const NodePanel = memo(function NodePanel({
  nodeId,
  data,
  trace,
  onChange,
  onRename,
  onDelete,
}: {
  nodeId: string;
  data: FlowNode['data'];
  trace?: NodeTrace;
  onChange(content: unknown): void;
  onRename(name: string): void;
  onDelete(): void;
}) {
  const { tr } = useI18n();
  const { issues } = useEditor();
  const kind = kindOf(data);
  const kindKey = kindKeyOf(data);
  const content = (data.content ?? {}) as Obj;
  const nodeIssues = issues.get(nodeId) ?? [];
  // Issues the form cannot place next to a field are listed on top.
  const fieldsShown = FORM_KINDS.has(kindKey);
  const loose = nodeIssues.filter((i) => !fieldsShown || !i.field || !(PLACED_FIELD.test(normPath(i.field)) || (kindKey === 'custom:scorecard' && PLACED_SCORECARD.test(normPath(i.field)))));
  const form = <FormFor kindKey={kindKey} nodeId={nodeId} content={content} onChange={onChange} />;
  return (
    <div data-testid="node-panel">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Space>
          <span className="jnode-icon" style={{ background: kind.color }}>
            <kind.icon />
          </span>
          <Typography.Text strong>{kind.label(tr)}</Typography.Text>
        </Space>
        <Button size="small" danger onClick={onDelete} data-testid="node-delete">
          {tr('Delete node', '删除节点')}
        </Button>
      </Space>
      <Input value={data.name} onChange={(e) => onRename(e.target.value)} addonBefore={tr('Name', '名称')} style={{ marginBottom: 8 }} data-testid="node-name" />
      {loose.map((i, k) => (
        <Alert key={k} type="error" showIcon style={{ marginBottom: 6 }} message={(i.field ? i.field + ': ' : '') + i.message} data-testid="node-issue-alert" />
      ))}
      <Tabs
        size="small"
        items={[
          ...(fieldsShown ? [{ key: 'form', label: tr('Edit', '编辑'), children: form }] : []),
          { key: 'json', label: 'JSON', children: <JsonPanel content={data.content} onChange={onChange} /> },
          ...(trace
            ? [
                {
                  key: 'trace',
                  label: tr('Trace', '执行轨迹'),
                  children: (
                    <div data-testid="node-trace">
                      {trace.matched?.length ? (
                        <div>
                          {tr('Matched', '命中')}: <span className="mono">{trace.matched.join(', ')}</span>
                        </div>
                      ) : null}
                      {trace.micros !== undefined && <div>{tr('Time', '耗时')}: {trace.micros} µs</div>}
                      <div>{tr('Input', '输入')}</div>
                      <pre className="json">{JSON.stringify(trace.input, null, 2)}</pre>
                      <div>{tr('Output', '输出')}</div>
                      <pre className="json">{JSON.stringify(trace.output, null, 2)}</pre>
                    </div>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
});
