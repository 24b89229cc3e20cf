// The node kinds of the palette: JDM node types and the risk customNode kinds, with their default content,
// colour and a one-line summary shown on the canvas.
import type { ComponentType } from 'react';
import {
  ApartmentOutlined,
  FlagOutlined,
  ForkOutlined,
  FunctionOutlined,
  LoginOutlined,
  LogoutOutlined,
  QuestionOutlined,
  RobotOutlined,
  SplitCellsOutlined,
  StarOutlined,
  StopOutlined,
  TableOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { JdmNode } from '../types.js';

export type Tr = (en: string, zh: string) => string;

export interface KindDef {
  /** Palette key: the JDM type, or `custom:<kind>` for customNode kinds. */
  key: string;
  type: string;
  customKind?: string;
  icon: ComponentType;
  color: string;
  label(tr: Tr): string;
  /** Default `content` for a new node. */
  content(newId: () => string): unknown;
}

export const KINDS: KindDef[] = [
  { key: 'inputNode', type: 'inputNode', icon: LoginOutlined, color: '#595959', label: (tr) => tr('Input', '输入'), content: () => ({ schema: '' }) },
  { key: 'outputNode', type: 'outputNode', icon: LogoutOutlined, color: '#595959', label: (tr) => tr('Output', '输出'), content: () => ({ schema: '' }) },
  {
    key: 'decisionTableNode',
    type: 'decisionTableNode',
    icon: TableOutlined,
    color: '#1677ff',
    label: (tr) => tr('Decision table', '决策表'),
    content: (id) => ({
      hitPolicy: 'first',
      inputs: [{ id: id(), name: 'Input', field: '' }],
      outputs: [{ id: id(), name: 'Output', field: 'output' }],
      rules: [],
      passThrough: false,
      inputField: null,
      outputPath: null,
      executionMode: 'single',
    }),
  },
  {
    key: 'expressionNode',
    type: 'expressionNode',
    icon: FunctionOutlined,
    color: '#722ed1',
    label: (tr) => tr('Expression', '表达式'),
    content: (id) => ({ expressions: [{ id: id(), key: '', value: '' }], passThrough: true, inputField: null, outputPath: null, executionMode: 'single' }),
  },
  {
    key: 'switchNode',
    type: 'switchNode',
    icon: ForkOutlined,
    color: '#fa8c16',
    label: (tr) => tr('Switch', '分支'),
    content: (id) => ({ hitPolicy: 'first', statements: [{ id: id(), condition: '', isDefault: false }, { id: id(), condition: '', isDefault: true }] }),
  },
  {
    key: 'custom:ruleSet',
    type: 'customNode',
    customKind: 'ruleSet',
    icon: UnorderedListOutlined,
    color: '#cf1322',
    label: (tr) => tr('Rule set', '规则集'),
    content: (id) => ({ kind: 'ruleSet', config: { mode: 'allHits', rules: [{ id: id(), name: '', condition: '', score: 10, enabled: true }] } }),
  },
  {
    key: 'custom:scorecard',
    type: 'customNode',
    customKind: 'scorecard',
    icon: StarOutlined,
    color: '#d48806',
    label: (tr) => tr('Scorecard', '评分卡'),
    content: (id) => ({ kind: 'scorecard', config: { basePoints: 600, characteristics: [{ id: id(), name: '', expression: '', bins: [{ min: 0, points: 0 }, { missing: true, points: 0 }] }] } }),
  },
  {
    key: 'custom:list',
    type: 'customNode',
    customKind: 'list',
    icon: StopOutlined,
    color: '#262626',
    label: (tr) => tr('Name list', '名单'),
    content: () => ({ kind: 'list', config: { checks: [{ dimension: 'phone', value: 'subject.phone' }] } }),
  },
  {
    key: 'custom:model',
    type: 'customNode',
    customKind: 'model',
    icon: RobotOutlined,
    color: '#08979c',
    label: (tr) => tr('Model', '模型'),
    content: () => ({ kind: 'model', config: { modelId: '', features: {} } }),
  },
  {
    key: 'custom:abSplit',
    type: 'customNode',
    customKind: 'abSplit',
    icon: SplitCellsOutlined,
    color: '#13c2c2',
    label: (tr) => tr('A/B split', 'A/B 分流'),
    content: () => ({ kind: 'abSplit', config: { field: 'subject.userId', salt: 'exp-1', branches: [{ id: 'champion', weight: 90 }, { id: 'challenger', weight: 10 }] } }),
  },
  {
    key: 'custom:decision',
    type: 'customNode',
    customKind: 'decision',
    icon: FlagOutlined,
    color: '#389e0d',
    label: (tr) => tr('Decision', '决策'),
    content: () => ({
      kind: 'decision',
      config: { score: 'score', direction: 'higherIsRiskier', thresholds: { review: 40, reject: 80 }, rules: [] },
    }),
  },
  {
    key: 'decisionNode',
    type: 'decisionNode',
    icon: ApartmentOutlined,
    color: '#2f54eb',
    label: (tr) => tr('Sub-decision', '子决策'),
    content: () => ({ key: '', passThrough: true, inputField: null, outputPath: null, executionMode: 'single' }),
  },
];

const BY_KEY = new Map(KINDS.map((k) => [k.key, k]));
const FALLBACK: KindDef = { key: 'unknown', type: 'unknown', icon: QuestionOutlined, color: '#8c8c8c', label: () => 'Node', content: () => ({}) };

export function kindKeyOf(node: Pick<JdmNode, 'type' | 'content'>): string {
  if (node.type === 'customNode') {
    const c = node.content as { kind?: string } | undefined;
    return `custom:${c?.kind ?? ''}`;
  }
  return node.type;
}

export function kindOf(node: Pick<JdmNode, 'type' | 'content'>): KindDef {
  return BY_KEY.get(kindKeyOf(node)) ?? { ...FALLBACK, label: () => node.type };
}

export function kindByKey(key: string): KindDef | undefined {
  return BY_KEY.get(key);
}

function arr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/** One line on the canvas card telling what is inside the node. */
export function summary(node: Pick<JdmNode, 'type' | 'content'>, tr: Tr): string {
  const c = (node.content ?? {}) as Record<string, any>;
  const cfg = (c.config ?? {}) as Record<string, any>;
  switch (kindKeyOf(node)) {
    case 'decisionTableNode':
      return `${arr(c.rules).length} ${tr('rows', '行')} · ${arr(c.inputs).length}→${arr(c.outputs).length} · ${c.hitPolicy ?? 'first'}`;
    case 'expressionNode':
      return `${arr(c.expressions).length} ${tr('expressions', '个表达式')}`;
    case 'switchNode':
      return `${arr(c.statements).length} ${tr('branches', '个分支')}`;
    case 'custom:ruleSet': {
      const rules = arr(cfg.rules) as { enabled?: boolean }[];
      return `${rules.filter((r) => r.enabled !== false).length}/${rules.length} ${tr('rules on', '条规则启用')}`;
    }
    case 'custom:scorecard':
      return `${arr(cfg.characteristics).length} ${tr('characteristics', '个特征')}`;
    case 'custom:decision':
      return `${tr('review', '审核')} ≥ ${cfg.thresholds?.review ?? '?'} · ${tr('reject', '拒绝')} ≥ ${cfg.thresholds?.reject ?? '?'}${arr(cfg.rules).length ? ` · ${arr(cfg.rules).length} ${tr('flags', '个标记')}` : ''}`;
    case 'custom:list':
      return `${arr(cfg.checks).length} ${tr('checks', '项检查')}`;
    case 'custom:model':
      return cfg.modelId ? String(cfg.modelId) : tr('no model chosen', '未选择模型');
    case 'custom:abSplit':
      return arr(cfg.branches).map((v: any) => `${v.id}:${v.weight}`).join(' / ');
    case 'decisionNode':
      return c.key ? String(c.key) : tr('no decision chosen', '未选择决策');
    default:
      return '';
  }
}
