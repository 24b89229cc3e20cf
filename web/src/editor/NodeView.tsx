// The card drawn for every node on the canvas. Memoised: with 200 nodes, a drag re-renders only the moved node.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { Tooltip } from 'antd';
import { kindOf, summary } from './kinds.js';
import type { FlowNode } from './graph.js';
import { useI18n } from '../i18n.js';

/** Routing nodes leave through one handle per branch: switch statements, A/B split variants. */
function routeHandles(data: FlowNode['data'], tr: (en: string, zh: string) => string): { id: string; label: string }[] | null {
  const c = (data.content ?? {}) as { statements?: { id: string; condition?: string; isDefault?: boolean }[]; kind?: string; config?: { branches?: { id: string; weight?: number }[] } };
  if (data.type === 'switchNode') return (c.statements ?? []).map((s, i) => ({ id: s.id, label: s.isDefault ? tr('else', '否则') : s.condition || `#${i + 1}` }));
  if (data.type === 'customNode' && c.kind === 'abSplit') return (c.config?.branches ?? []).map((v) => ({ id: v.id, label: `${v.id} · ${v.weight ?? 0}` }));
  return null;
}

function NodeViewImpl({ data, selected, id }: NodeProps<FlowNode>) {
  const { tr } = useI18n();
  const kind = kindOf(data);
  const routes = routeHandles(data, tr);
  const cls = ['jnode', selected ? 'selected' : '', data.issues?.length ? 'has-error' : '', data.path === 'on' ? 'on-path' : data.path === 'off' ? 'off-path' : ''].join(' ');
  return (
    <div className={cls} data-testid={`node-${id}`} data-kind={kind.key}>
      {data.type !== 'inputNode' && <Handle type="target" position={Position.Left} />}
      <div className="jnode-head">
        <span className="jnode-icon" style={{ background: kind.color }}>
          <kind.icon />
        </span>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{data.name}</span>
        {data.issues?.length ? (
          <Tooltip title={data.issues.join('\n')}>
            <span style={{ color: '#ff4d4f', marginLeft: 'auto' }} data-testid="node-issue">
              ⚠ {data.issues.length}
            </span>
          </Tooltip>
        ) : null}
      </div>
      <div className="jnode-body">{summary(data, tr) || kind.label(tr)}</div>
      {routes ? (
        <div>
          {routes.map((r) => (
            <div key={r.id} style={{ position: 'relative', padding: '2px 14px 2px 8px', borderTop: '1px dashed #eee', color: '#666', fontSize: 11 }}>
              <span className="mono">{r.label}</span>
              <Handle type="source" id={r.id} position={Position.Right} style={{ top: '50%' }} />
            </div>
          ))}
        </div>
      ) : (
        data.type !== 'outputNode' && <Handle type="source" position={Position.Right} />
      )}
    </div>
  );
}

export const NodeView = memo(NodeViewImpl);
