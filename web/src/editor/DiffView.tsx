// Shows a strategy diff (GET /v1/strategies/:id/diff) as added / removed / changed nodes and edges.
import { Empty, Tag, Typography } from 'antd';
import type { Diff } from '../types.js';
import { useI18n } from '../i18n.js';

function label(x: unknown): string {
  if (typeof x === 'string') return x;
  const o = (x ?? {}) as { id?: string; name?: string; sourceId?: string; targetId?: string };
  if (o.sourceId) return `${o.sourceId} → ${o.targetId}`;
  return o.name ? `${o.name} (${o.id})` : String(o.id ?? JSON.stringify(x));
}

function short(v: unknown): string {
  const s = v === undefined ? '∅' : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

export function DiffView({ diff }: { diff: Diff }) {
  const { tr } = useI18n();
  const n = diff.nodes;
  const empty = !n.added.length && !n.removed.length && !n.changed.length && !diff.edges.added.length && !diff.edges.removed.length && diff.eventTypes.from.join() === diff.eventTypes.to.join();
  if (empty) return <Empty description={tr('No differences', '没有差异')} />;
  return (
    <div data-testid="diff-view" style={{ maxHeight: 420, overflow: 'auto' }}>
      <Typography.Text type="secondary">
        {tr('From', '从')} v{String(diff.from)} {tr('to', '到')} {diff.to === 'draft' ? tr('draft', '草稿') : 'v' + String(diff.to)}
      </Typography.Text>
      {n.added.map((x, i) => (
        <div key={'a' + i} className="diff-line diff-add">
          + {tr('node', '节点')} {label(x)}
        </div>
      ))}
      {n.removed.map((x, i) => (
        <div key={'r' + i} className="diff-line diff-del">
          − {tr('node', '节点')} {label(x)}
        </div>
      ))}
      {n.changed.map((c) => (
        <div key={c.id} style={{ marginTop: 4 }}>
          <Tag color="blue">{tr('changed', '修改')}</Tag>
          {label(c)}
          {c.changes.map((ch, i) => (
            <div key={i}>
              <div className="diff-line diff-del">
                − {ch.path}: {short(ch.from)}
              </div>
              <div className="diff-line diff-add">
                + {ch.path}: {short(ch.to)}
              </div>
            </div>
          ))}
        </div>
      ))}
      {diff.edges.added.map((x, i) => (
        <div key={'ea' + i} className="diff-line diff-add">
          + {tr('edge', '连线')} {label(x)}
        </div>
      ))}
      {diff.edges.removed.map((x, i) => (
        <div key={'er' + i} className="diff-line diff-del">
          − {tr('edge', '连线')} {label(x)}
        </div>
      ))}
      {diff.eventTypes.from.join() !== diff.eventTypes.to.join() && (
        <div className="diff-line">
          {tr('event types', '事件类型')}: {diff.eventTypes.from.join(', ') || '∅'} → {diff.eventTypes.to.join(', ') || '∅'}
        </div>
      )}
    </div>
  );
}
