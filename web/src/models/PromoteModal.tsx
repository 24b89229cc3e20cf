// "Promote to a strategy": choose a strategy; its draft's model nodes using this model are pinned to the
// version and, for a scorecard, a chosen scorecard node takes the version's bins and points. The draft is
// then tested and published in the strategy editor as usual.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Form, Input, List, Modal, Select, Space, Typography } from 'antd';
import { api, promoteModel } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../route.js';
import type { JdmNode, PromoteResult, Strategy } from '../types.js';

const kindOf = (n: JdmNode): string | undefined => (n.type === 'customNode' ? (n.content as { kind?: string } | undefined)?.kind : undefined);
const cfgOf = (n: JdmNode): Record<string, unknown> => ((n.content as { config?: Record<string, unknown> } | undefined)?.config ?? {}) as Record<string, unknown>;

export function PromoteModal({ open, model, onClose }: { open: boolean; model: { id: string; version: number; type: string }; onClose: () => void }) {
  const { tr } = useI18n();
  const [strategies, setStrategies] = useState<Strategy[]>([]);
  const [strategyId, setStrategyId] = useState<string>();
  const [scorecardNode, setScorecardNode] = useState<string>();
  const [prefix, setPrefix] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PromoteResult | null>(null);

  useEffect(() => {
    if (!open) return;
    setResult(null);
    setError(null);
    api<{ items: Strategy[] }>('GET', '/v1/strategies')
      .then((r) => setStrategies(r.items))
      .catch((e: Error) => setError(e.message));
  }, [open]);

  const chosen = strategies.find((s) => s.id === strategyId);
  const nodes = useMemo(() => chosen?.draft?.nodes ?? [], [chosen]);
  const modelNodes = nodes.filter((n) => kindOf(n) === 'model' && cfgOf(n).modelId === model.id);
  const scorecardNodes = nodes.filter((n) => kindOf(n) === 'scorecard');
  const isScorecard = model.type === 'scorecard';

  async function promote() {
    if (!strategyId) return;
    setBusy(true);
    setError(null);
    try {
      const r = await promoteModel(model.id, model.version, { strategyId, ...(scorecardNode ? { scorecardNode } : {}), ...(prefix.trim() ? { prefix: prefix.trim() } : {}) });
      setResult(r);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={tr(`Promote ${model.id} version ${model.version} to a strategy`, `将 ${model.id} 第 ${model.version} 版推送到策略`)}
      width={620}
      footer={
        result ? (
          <Space>
            <Button onClick={onClose}>{tr('Close', '关闭')}</Button>
            <Button type="primary" onClick={() => navigate(`/strategies/${encodeURIComponent(result.strategy.id)}`)} data-testid="promote-open">
              {tr('Open the draft', '打开草稿')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={onClose}>{tr('Cancel', '取消')}</Button>
            <Button type="primary" loading={busy} disabled={!strategyId} onClick={promote} data-testid="promote-submit">
              {tr('Write to draft', '写入草稿')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {tr(
          'A new draft is written: model nodes using this model are pinned to this version; for a scorecard you may also replace a scorecard node with its bins and points. Nothing is published: test and publish the draft in the editor.',
          '将写入新的草稿：使用该模型的模型节点固定为此版本；评分卡还可以替换一个评分卡节点的分箱与分值。不会自动发布：请在编辑器中测试并发布草稿。',
        )}
      </Typography.Paragraph>
      <Form layout="vertical" disabled={!!result}>
        <Form.Item label={tr('Strategy', '策略')} required>
          <Select
            showSearch
            value={strategyId}
            onChange={(v: string) => {
              setStrategyId(v);
              setScorecardNode(undefined);
            }}
            optionFilterProp="label"
            options={strategies.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
            data-testid="promote-strategy"
          />
        </Form.Item>
        {chosen && (
          <Alert
            type={modelNodes.length || (isScorecard && scorecardNodes.length) ? 'info' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            message={
              modelNodes.length
                ? tr(`${modelNodes.length} model node(s) use ${model.id}: ${modelNodes.map((n) => n.name ?? n.id).join(', ')}`, `${modelNodes.length} 个模型节点使用 ${model.id}：${modelNodes.map((n) => n.name ?? n.id).join('、')}`)
                : isScorecard && scorecardNodes.length
                  ? tr(`No model node uses ${model.id}: choose a scorecard node to replace`, `没有模型节点使用 ${model.id}：请选择要替换的评分卡节点`)
                  : tr(`This strategy has no model node using ${model.id}${isScorecard ? ' and no scorecard node' : ''}`, `该策略没有使用 ${model.id} 的模型节点${isScorecard ? '，也没有评分卡节点' : ''}`)
            }
          />
        )}
        {isScorecard && chosen && scorecardNodes.length > 0 && (
          <>
            <Form.Item label={tr('Scorecard node to replace (optional)', '要替换的评分卡节点（可选）')}>
              <Select allowClear value={scorecardNode} onChange={(v?: string) => setScorecardNode(v)} options={scorecardNodes.map((n) => ({ value: n.id, label: `${n.name ?? n.id} (${n.id})` }))} data-testid="promote-scorecard-node" />
            </Form.Item>
            {scorecardNode && (
              <Form.Item label={tr('Where the node reads new features (e.g. data. or features.)', '新特征的读取前缀（如 data. 或 features.）')} tooltip={tr('Characteristics the node already has keep their expressions', '节点已有的特征项保留原表达式')}>
                <Input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder={tr('as the node does now, else data.', '默认沿用节点现有前缀，否则为 data.')} />
              </Form.Item>
            )}
          </>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="promote-error" />}
      {result && (
        <div data-testid="promote-result">
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 8 }}
            message={tr(`Draft of ${result.strategy.name} updated by ${result.strategy.updatedBy ?? '-'}`, `策略 ${result.strategy.name} 的草稿已由 ${result.strategy.updatedBy ?? '-'} 更新`)}
          />
          <List
            size="small"
            bordered
            dataSource={[
              ...result.changes.modelNodes.map((n) => tr(`model node ${n.name ?? n.id}: version ${n.from ?? 'latest'} → ${result.model.version}`, `模型节点 ${n.name ?? n.id}：版本 ${n.from ?? '最新'} → ${result.model.version}`)),
              ...(result.changes.scorecardNode
                ? [tr(`scorecard node ${result.changes.scorecardNode.name ?? result.changes.scorecardNode.id}: replaced (${result.changes.scorecardNode.characteristics} characteristics)`, `评分卡节点 ${result.changes.scorecardNode.name ?? result.changes.scorecardNode.id}：已替换（${result.changes.scorecardNode.characteristics} 个特征）`)]
                : []),
            ]}
            renderItem={(x) => <List.Item>{x}</List.Item>}
          />
          {result.issues.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              message={tr('Fix these before publishing:', '发布前请修正：')}
              description={result.issues.map((i, k) => (
                <div key={k}>
                  {i.nodeId}
                  {i.field ? `.${i.field}` : ''}: {i.message}
                </div>
              ))}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
