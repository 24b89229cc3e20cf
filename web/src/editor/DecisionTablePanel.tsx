// The decision-table grid: rows are rules, columns are inputs (unary tests) then outputs (expressions).
import { Button, Input, Select, Space, Tooltip } from 'antd';
import { ExprInput } from './ExprInput.js';
import { newId } from './graph.js';
import { useI18n } from '../i18n.js';
import { moveItem } from './panel-kit.js';

interface Column {
  id: string;
  name?: string;
  field?: string;
}
interface TableContent {
  hitPolicy?: string;
  inputs: Column[];
  outputs: Column[];
  rules: Record<string, string>[];
  [k: string]: unknown;
}


export function DecisionTablePanel({ nodeId, content, onChange }: { nodeId: string; content: unknown; onChange(c: unknown): void }) {
  const { tr } = useI18n();
  const c0 = (content ?? {}) as Partial<TableContent>;
  const c: TableContent = { ...c0, inputs: c0.inputs ?? [], outputs: c0.outputs ?? [], rules: c0.rules ?? [] };
  const set = (patch: Partial<TableContent>) => onChange({ ...c, ...patch });
  const setCol = (side: 'inputs' | 'outputs', i: number, patch: Partial<Column>) => set({ [side]: c[side].map((col, k) => (k === i ? { ...col, ...patch } : col)) });
  const removeCol = (side: 'inputs' | 'outputs', i: number) => {
    const col = c[side][i]!;
    set({ [side]: c[side].filter((_, k) => k !== i), rules: c.rules.map(({ [col.id]: _drop, ...rest }) => rest) });
  };
  const setCell = (r: number, colId: string, v: string) => set({ rules: c.rules.map((row, k) => (k === r ? { ...row, [colId]: v } : row)) });

  const header = (side: 'inputs' | 'outputs', col: Column, i: number) => (
    <th key={col.id} style={{ minWidth: 150, background: side === 'inputs' ? '#f0f5ff' : '#f6ffed', verticalAlign: 'top' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input size="small" value={col.name} placeholder={tr('Label', '名称')} onChange={(e) => setCol(side, i, { name: e.target.value })} data-testid={`dt-${side}-name-${i}`} />
        <Tooltip title={tr('Move left', '左移')}>
          <Button size="small" onClick={() => set({ [side]: moveItem(c[side], i, -1) })}>
            ‹
          </Button>
        </Tooltip>
        <Tooltip title={tr('Move right', '右移')}>
          <Button size="small" onClick={() => set({ [side]: moveItem(c[side], i, 1) })}>
            ›
          </Button>
        </Tooltip>
        <Tooltip title={tr('Remove column', '删除列')}>
          <Button size="small" danger onClick={() => removeCol(side, i)} data-testid={`dt-${side}-remove-${i}`}>
            ×
          </Button>
        </Tooltip>
      </Space.Compact>
      <div style={{ marginTop: 2 }}>
        {side === 'inputs' ? (
          <ExprInput nodeId={nodeId} path={`inputs[${i}].field`} value={col.field} onChange={(v) => setCol(side, i, { field: v })} placeholder={tr('field, e.g. data.amount', '字段，如 data.amount')} testId={`dt-inputs-field-${i}`} />
        ) : (
          <Input size="small" className="mono" value={col.field} placeholder={tr('output key', '输出字段')} onChange={(e) => setCol(side, i, { field: e.target.value })} data-testid={`dt-outputs-field-${i}`} />
        )}
      </div>
    </th>
  );

  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <span>{tr('Hit policy', '命中策略')}</span>
        <Select
          size="small"
          value={c.hitPolicy ?? 'first'}
          style={{ width: 180 }}
          onChange={(v) => set({ hitPolicy: v })}
          options={[
            { value: 'first', label: tr('first — first matching row', 'first — 首个命中行') },
            { value: 'collect', label: tr('collect — every matching row', 'collect — 所有命中行') },
          ]}
          data-testid="dt-hit-policy"
        />
      </Space>
      <Space wrap style={{ marginBottom: 8 }}>
        <Button size="small" onClick={() => set({ inputs: [...c.inputs, { id: newId('i'), name: tr('Input', '输入'), field: '' }] })} data-testid="dt-add-input">
          + {tr('Input column', '输入列')}
        </Button>
        <Button size="small" onClick={() => set({ outputs: [...c.outputs, { id: newId('o'), name: tr('Output', '输出'), field: '' }] })} data-testid="dt-add-output">
          + {tr('Output column', '输出列')}
        </Button>
        <Button size="small" type="primary" onClick={() => set({ rules: [...c.rules, { _id: newId('r') }] })} data-testid="dt-add-row">
          + {tr('Row', '行')}
        </Button>
      </Space>
      <div style={{ overflowX: 'auto' }}>
        <table className="dt-grid" style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              <th style={{ width: 70 }}>#</th>
              {c.inputs.map((col, i) => header('inputs', col, i))}
              {c.outputs.map((col, i) => header('outputs', col, i))}
            </tr>
          </thead>
          <tbody>
            {c.rules.map((row, r) => (
              <tr key={row._id ?? r} data-testid={`dt-row-${r}`}>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <Space.Compact>
                    <Button size="small" onClick={() => set({ rules: moveItem(c.rules, r, -1) })} title={tr('Move up', '上移')}>
                      ↑
                    </Button>
                    <Button size="small" onClick={() => set({ rules: moveItem(c.rules, r, 1) })} title={tr('Move down', '下移')}>
                      ↓
                    </Button>
                    <Button size="small" danger onClick={() => set({ rules: c.rules.filter((_, k) => k !== r) })} title={tr('Remove row', '删除行')} data-testid={`dt-remove-row-${r}`}>
                      ×
                    </Button>
                  </Space.Compact>
                </td>
                {c.inputs.map((col, i) => (
                  <td key={col.id}>
                    <ExprInput nodeId={nodeId} path={`rules[${r}].${col.id}`} value={row[col.id]} onChange={(v) => setCell(r, col.id, v)} placeholder="-" testId={`dt-cell-${r}-in-${i}`} />
                  </td>
                ))}
                {c.outputs.map((col, i) => (
                  <td key={col.id}>
                    <ExprInput nodeId={nodeId} path={`rules[${r}].${col.id}`} value={row[col.id]} onChange={(v) => setCell(r, col.id, v)} placeholder="-" testId={`dt-cell-${r}-out-${i}`} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {c.rules.length === 0 && <div style={{ color: '#999', padding: 8 }}>{tr('No rows yet: add one.', '还没有行：请添加。')}</div>}
      </div>
      <div style={{ color: '#999', fontSize: 12, marginTop: 6 }}>
        {tr(
          "Input cells are unary tests against the column field (e.g. > 1000, 'auto', [1..5]); empty matches anything. Output cells are expressions.",
          "输入单元格是针对该列字段的一元判断（如 > 1000、'auto'、[1..5]），留空表示任意值；输出单元格是表达式。",
        )}
      </div>
    </div>
  );
}
