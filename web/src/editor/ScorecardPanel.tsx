// Scorecard side panel: base points, and per characteristic its expression and a table of bins — each a range
// (min ≤ v < max, open ends allowed), a category set, the missing bin, or a unary test — with inline checks.
import { Button, Card, Input, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ExprInput } from './ExprInput.js';
import { newId } from './graph.js';
import { issuesAt, useEditor } from './context.js';
import { useI18n, type I18n } from '../i18n.js';
import { binType, checkBins, parseTag, tagOf, withBound, withType, type BinIssue, type BinType } from './scorecard-bins.js';
import { moveItem, type Obj, type PanelProps } from './panel-kit.js';



function issueText(tr: I18n['tr'], x: BinIssue): string {
  const other = x.other !== undefined ? x.other + 1 : 0;
  switch (x.code) {
    case 'inverted':
      return tr(`min must be below max (${x.detail})`, `下限须小于上限（${x.detail}）`);
    case 'overlap':
      return tr(`overlaps bin ${other} on ${x.detail}; the first matching bin wins`, `与第 ${other} 个分箱在 ${x.detail} 重叠；按顺序取先命中的分箱`);
    case 'bothOpen':
      return tr('a range needs a min or a max (use “missing” or a test to catch everything else)', '区间至少需要下限或上限（其余情况请用“缺失”或条件分箱）');
    case 'emptyValues':
      return tr('add at least one category value', '请至少添加一个类别值');
    case 'duplicateMissing':
      return tr(`only one missing bin is allowed (bin ${other} is one already)`, `只能有一个缺失分箱（第 ${other} 个已是）`);
    case 'duplicateValue':
      return tr(`${x.detail} is already in bin ${other}, which wins`, `${x.detail} 已在第 ${other} 个分箱中，以该分箱为准`);
    case 'badNumber':
      return tr(`${x.field} must be a number`, `${x.field === 'min' ? '下限' : '上限'}须为数字`);
  }
}
/**
 * Tag input for a category bin. The dropdown only opens while typing (it would otherwise list the chosen tags
 * again); Enter or a comma adds the typed value, with its JSON type (see parseTag).
 */
function CategoryTags({ values, onChange, error, testId }: { values: unknown[]; onChange(v: unknown[]): void; error: boolean; testId: string }) {
  const { tr } = useI18n();
  const [search, setSearch] = useState('');
  return (
    <Select
      size="small"
      mode="tags"
      style={{ width: '100%' }}
      value={values.map(tagOf)}
      searchValue={search}
      onSearch={setSearch}
      open={search.trim() !== ''}
      onChange={(tags: string[]) => {
        setSearch('');
        const seen = new Set<string>();
        onChange(
          tags.map(parseTag).filter((v) => {
            const key = JSON.stringify(v);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          }),
        );
      }}
      tokenSeparators={[',', '，']}
      placeholder={tr('type a value, Enter', '输入取值后回车')}
      status={error ? 'error' : undefined}
      notFoundContent={null}
      suffixIcon={null}
      tagRender={({ label, value, closable, onClose }) => {
        const typed = parseTag(String(value));
        return (
          <Tag closable={closable} onClose={onClose} color={typeof typed === 'string' ? undefined : 'blue'} style={{ marginInlineEnd: 3 }} title={typeof typed === 'string' ? tr('text', '文本') : typeof typed}>
            {label}
          </Tag>
        );
      }}
      data-testid={testId}
    />
  );
}

/** Overlaps and repeated values are legal (first match wins) but almost always a mistake: warnings, not errors. */
const WARNING = new Set<BinIssue['code']>(['overlap', 'duplicateValue']);

export function ScorecardPanel({ nodeId, content, onChange }: PanelProps) {
  const { tr } = useI18n();
  const { issues } = useEditor();
  const cfg: Obj = content.config ?? {};
  const setCfg = (patch: Obj) => onChange({ ...content, config: { ...cfg, ...patch } });
  const chars: Obj[] = Array.isArray(cfg.characteristics) ? cfg.characteristics : [];
  const setChar = (i: number, patch: Obj) => setCfg({ characteristics: chars.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  const nodeIssues = issues.get(nodeId);
  const engineErrors = (...paths: string[]): ReactNode[] =>
    paths.flatMap((p) =>
      issuesAt(nodeIssues, p).map((e, x) => (
        <div key={p + x} className="expr-error">
          {e.message}
        </div>
      )),
    );
  const typeOptions: { value: BinType; label: string }[] = [
    { value: 'range', label: tr('Range', '区间') },
    { value: 'values', label: tr('Categories', '类别') },
    { value: 'missing', label: tr('Missing', '缺失') },
    { value: 'when', label: tr('Test', '条件') },
  ];

  return (
    <div className="scorecard-panel">
      <Space style={{ marginBottom: 8 }} wrap>
        <span>{tr('Base points', '基础分')}</span>
        <InputNumber size="small" value={cfg.basePoints} onChange={(v) => setCfg({ basePoints: v ?? 0 })} data-testid="sc-base" style={{ width: 90 }} />
        <Tooltip title={tr('How many reason codes to return, largest points lost first', '返回的原因码个数，按损失分从大到小')}>
          <span>{tr('Max reasons', '原因码上限')}</span>
        </Tooltip>
        <InputNumber size="small" min={0} value={cfg.maxReasons ?? 4} onChange={(v) => setCfg({ maxReasons: v ?? 4 })} style={{ width: 60 }} />
      </Space>
      {engineErrors('config.basePoints', 'config.maxReasons', 'config.characteristics')}
      {chars.map((c, i) => {
        const bins: Obj[] = Array.isArray(c.bins) ? c.bins : [];
        const setBins = (next: Obj[]) => setChar(i, { bins: next });
        const setBin = (k: number, next: Obj) => setBins(bins.map((x, j) => (j === k ? next : x)));
        const checks = checkBins(bins);
        const at = `config.characteristics[${i}]`;
        // Keyed by position: the id is edited here, and a key that changed per keystroke would drop the focus.
        return (
          <Card key={i} size="small" style={{ marginBottom: 8 }} data-testid={`sc-char-${i}`}>
            <div className="sc-char-head">
              <Input size="small" className="mono" value={c.id} placeholder="id" data-testid={`sc-char-id-${i}`} onChange={(e) => setChar(i, { id: e.target.value })} style={{ width: 110 }} title={tr('Characteristic id (reported in traces)', '特征 id（出现在执行轨迹中）')} />
              <Input size="small" value={c.name} placeholder={tr('Name', '名称')} onChange={(e) => setChar(i, { name: e.target.value || undefined })} style={{ flex: 1, minWidth: 0 }} />
              <Space.Compact>
                <Button size="small" onClick={() => setCfg({ characteristics: moveItem(chars, i, -1) })} title={tr('Move up', '上移')}>
                  ↑
                </Button>
                <Button size="small" onClick={() => setCfg({ characteristics: moveItem(chars, i, 1) })} title={tr('Move down', '下移')}>
                  ↓
                </Button>
                <Button size="small" danger onClick={() => setCfg({ characteristics: chars.filter((_, k) => k !== i) })} title={tr('Remove characteristic', '删除特征')}>
                  ×
                </Button>
              </Space.Compact>
            </div>
            {engineErrors(`${at}.id`)}
            <div style={{ margin: '4px 0' }}>
              <ExprInput nodeId={nodeId} path={`${at}.expression`} value={c.expression} onChange={(v) => setChar(i, { expression: v })} placeholder={tr('value to bin, e.g. applicant.age', '分箱取值，如 applicant.age')} testId={`sc-expr-${i}`} />
            </div>
            <Space size={4} wrap style={{ marginBottom: 6 }}>
              <span className="sc-label">{tr('Reason code', '原因码')}</span>
              <Input size="small" className="mono" value={c.reasonCode} onChange={(e) => setChar(i, { reasonCode: e.target.value || undefined })} style={{ width: 120 }} />
              <Tooltip title={tr('Points when no bin holds the value', '没有分箱命中时的分值')}>
                <span className="sc-label">{tr('Default points', '默认分')}</span>
              </Tooltip>
              <InputNumber size="small" value={c.defaultPoints ?? 0} onChange={(v) => setChar(i, { defaultPoints: v ?? 0 })} style={{ width: 70 }} />
            </Space>
            {engineErrors(`${at}.reasonCode`, `${at}.defaultPoints`, `${at}.bins`)}
            <div className="sc-bins" role="table" aria-label={tr('Bins', '分箱')}>
              <div className="sc-bins-head" role="row">
                <span>{tr('Type', '类型')}</span>
                <span>{tr('Bin', '分箱')}</span>
                <span>{tr('Points', '分值')}</span>
                <span>{tr('Reason', '原因码')}</span>
                <span />
              </div>
              {bins.map((b, k) => {
                const t = binType(b);
                const mine = checks.filter((x) => x.bin === k);
                const bat = `${at}.bins[${k}]`;
                const bad = (f?: BinIssue['field']) => mine.some((x) => !WARNING.has(x.code) && (f === undefined || x.field === f || x.field === undefined));
                return (
                  <div key={k} className="sc-bin" role="row" data-testid={`sc-bin-${i}-${k}`}>
                    <Select size="small" value={t} options={typeOptions} onChange={(v: BinType) => setBin(k, withType(b, v))} data-testid={`sc-bin-type-${i}-${k}`} popupMatchSelectWidth={false} />
                    <div className="sc-bin-def">
                      {t === 'range' && (
                        <Space.Compact size="small" style={{ width: '100%' }}>
                          <InputNumber
                            size="small"
                            value={typeof b.min === 'number' ? b.min : null}
                            placeholder="-∞"
                            status={bad('min') ? 'error' : undefined}
                            onChange={(v) => setBin(k, withBound(b, 'min', typeof v === 'number' ? v : null))}
                            style={{ width: '42%' }}
                            data-testid={`sc-bin-min-${i}-${k}`}
                            aria-label={tr('min (inclusive)', '下限（含）')}
                          />
                          <span className="sc-range-sep" title={tr('min ≤ value < max', '下限 ≤ 取值 < 上限')}>
                            ≤ x &lt;
                          </span>
                          <InputNumber
                            size="small"
                            value={typeof b.max === 'number' ? b.max : null}
                            placeholder="+∞"
                            status={bad('max') ? 'error' : undefined}
                            onChange={(v) => setBin(k, withBound(b, 'max', typeof v === 'number' ? v : null))}
                            style={{ width: '42%' }}
                            data-testid={`sc-bin-max-${i}-${k}`}
                            aria-label={tr('max (exclusive)', '上限（不含）')}
                          />
                        </Space.Compact>
                      )}
                      {t === 'values' && (
                        <CategoryTags values={Array.isArray(b.values) ? (b.values as unknown[]) : []} onChange={(values) => setBin(k, { ...b, values })} error={bad('values')} testId={`sc-bin-values-${i}-${k}`} />
                      )}
                      {t === 'missing' && (
                        <Typography.Text type="secondary" className="sc-missing">
                          {tr('null / absent value', '取值为空或不存在')}
                        </Typography.Text>
                      )}
                      {t === 'when' && <ExprInput nodeId={nodeId} path={`${bat}.when`} value={b.when} onChange={(v) => setBin(k, { ...b, when: v })} placeholder={tr('e.g. [18..25) or > 700', '如 [18..25) 或 > 700')} />}
                    </div>
                    <InputNumber size="small" value={b.points} onChange={(v) => setBin(k, { ...b, points: v ?? 0 })} style={{ width: '100%' }} data-testid={`sc-bin-points-${i}-${k}`} />
                    <Input size="small" className="mono" value={b.reasonCode} placeholder={c.reasonCode} title={tr('Reason code of this bin (defaults to the characteristic’s)', '该分箱的原因码（默认取特征的原因码）')} onChange={(e) => setBin(k, { ...b, reasonCode: e.target.value || undefined })} />
                    <Space.Compact>
                      <Button size="small" onClick={() => setBins(moveItem(bins, k, -1))} disabled={k === 0} title={tr('Move up', '上移')}>
                        ↑
                      </Button>
                      <Button size="small" onClick={() => setBins(moveItem(bins, k, 1))} disabled={k === bins.length - 1} title={tr('Move down', '下移')}>
                        ↓
                      </Button>
                      <Button size="small" danger onClick={() => setBins(bins.filter((_, j) => j !== k))} title={tr('Remove bin', '删除分箱')} data-testid={`sc-bin-remove-${i}-${k}`}>
                        ×
                      </Button>
                    </Space.Compact>
                    {(mine.length > 0 || issuesAt(nodeIssues, bat).length + issuesAt(nodeIssues, `${bat}.min`).length + issuesAt(nodeIssues, `${bat}.max`).length + issuesAt(nodeIssues, `${bat}.values`).length + issuesAt(nodeIssues, `${bat}.points`).length + issuesAt(nodeIssues, `${bat}.missing`).length > 0) && (
                      <div className="sc-bin-msgs" data-testid={`sc-bin-msg-${i}-${k}`}>
                        {mine.map((x, j) => (
                          <div key={j} className={WARNING.has(x.code) ? 'bin-warn' : 'expr-error'}>
                            {issueText(tr, x)}
                          </div>
                        ))}
                        {/* The engine's own messages, unless the form already said the same thing. */}
                        {mine.some((x) => !WARNING.has(x.code)) ? null : engineErrors(bat, `${bat}.min`, `${bat}.max`, `${bat}.values`, `${bat}.missing`)}
                        {engineErrors(`${bat}.points`)}
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
            <Space size={4} style={{ marginTop: 4 }} wrap>
              <Button size="small" type="dashed" onClick={() => setBins([...bins, { min: 0, points: 0 }])} data-testid={`sc-add-range-${i}`}>
                + {tr('Range', '区间')}
              </Button>
              <Button size="small" type="dashed" onClick={() => setBins([...bins, { values: [], points: 0 }])} data-testid={`sc-add-values-${i}`}>
                + {tr('Categories', '类别')}
              </Button>
              <Button size="small" type="dashed" onClick={() => setBins([...bins, { missing: true, points: 0 }])} data-testid={`sc-add-missing-${i}`}>
                + {tr('Missing', '缺失')}
              </Button>
              <Button size="small" type="dashed" onClick={() => setBins([...bins, { when: '', points: 0 }])}>
                + {tr('Test', '条件')}
              </Button>
            </Space>
          </Card>
        );
      })}
      <Button size="small" type="dashed" block onClick={() => setCfg({ characteristics: [...chars, { id: newId('c'), name: '', expression: '', bins: [{ min: 0, points: 0 }] }] })} data-testid="sc-add-char">
        + {tr('Characteristic', '特征')}
      </Button>
    </div>
  );
}
