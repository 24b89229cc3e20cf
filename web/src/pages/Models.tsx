// Models: every registered version with its metrics; a version's charts and tables; training a new version
// from a CSV with live progress; promoting a version into a strategy draft. Route: #/models[/<id>/<version>].
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { ExperimentOutlined, SendOutlined } from '@ant-design/icons';
import { getModelVersion, listModels } from '../api.js';
import { modelTypeLabel, useI18n } from '../i18n.js';
import { navigate } from '../route.js';
import type { ModelSummary, ModelVersionDetail } from '../types.js';
import { VersionDetail } from '../models/VersionDetail.js';
import { TrainDrawer } from '../models/TrainDrawer.js';
import { PromoteModal } from '../models/PromoteModal.js';
import { RecentJobs } from '../models/RecentJobs.js';

const f3 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '-');
const f4 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : '-');

/** PSI between train and test: < 0.1 stable, < 0.25 watch, else shifted. */
function psiTag(x: unknown) {
  if (typeof x !== 'number') return '-';
  return <Tag color={x < 0.1 ? 'green' : x < 0.25 ? 'gold' : 'red'}>{f4(x)}</Tag>;
}

export default function Models({ modelId, version }: { modelId?: string; version?: string }) {
  const { tr } = useI18n();
  const [items, setItems] = useState<ModelSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<ModelVersionDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [training, setTraining] = useState(false);
  const [promoting, setPromoting] = useState(false);
  const [jobsRefresh, setJobsRefresh] = useState(0);

  const load = useCallback(
    () =>
      listModels()
        .then((x) => {
          setItems(x);
          setError(null);
        })
        .catch((e: Error) => {
          setError(e.message);
          setItems([]);
        }),
    [],
  );
  useEffect(() => void load(), [load]);

  useEffect(() => {
    setDetail(null);
    setDetailError(null);
    if (!modelId || !version) return;
    let stop = false;
    getModelVersion(modelId, version === 'latest' ? 'latest' : Number(version))
      .then((d) => !stop && setDetail(d))
      .catch((e: Error) => !stop && setDetailError(e.message));
    return () => {
      stop = true;
    };
  }, [modelId, version]);

  const rows = useMemo(() => [...(items ?? [])].sort((a, b) => (a.id === b.id ? b.version - a.version : a.id.localeCompare(b.id))), [items]);
  const ids = useMemo(() => [...new Set(rows.map((r) => r.id))], [rows]);
  const open = (id: string, v: number) => navigate(`/models/${encodeURIComponent(id)}/${v}`);

  return (
    <div data-testid="models-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} className="page-title" style={{ marginBottom: 0 }}>
          {tr('Models', '模型')}
        </Typography.Title>
        <Button type="primary" icon={<ExperimentOutlined />} onClick={() => setTraining(true)} data-testid="train-open">
          {tr('Train a new version', '训练新版本')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {!training && <RecentJobs refresh={jobsRefresh} onFinished={load} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Table
          size="small"
          loading={items === null}
          rowKey={(r) => `${r.id}@${r.version}`}
          dataSource={rows}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={tr('No models yet: train one from a CSV, or register a file with POST /v1/models', '还没有模型：可上传 CSV 训练，或通过 POST /v1/models 登记模型文件')} /> }}
          onRow={(r) => ({ onClick: () => open(r.id, r.version), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.id === detail?.id && r.version === detail?.version ? 'ant-table-row-selected' : '')}
          data-testid="models-table"
          columns={[
            { title: tr('Model', '模型'), dataIndex: 'id', render: (id: string) => <span className="mono">{id}</span> },
            { title: tr('Version', '版本'), dataIndex: 'version', render: (v: number) => `v${v}` },
            { title: tr('Type', '类型'), dataIndex: 'type', render: (t: string) => modelTypeLabel(tr, t) },
            { title: 'AUC', key: 'auc', align: 'right', render: (_, r) => f3(r.metrics?.auc) },
            { title: 'KS', key: 'ks', align: 'right', render: (_, r) => f3(r.metrics?.ks) },
            { title: 'Gini', key: 'gini', align: 'right', render: (_, r) => f3(r.metrics?.gini) },
            { title: 'PSI', key: 'psi', align: 'right', render: (_, r) => psiTag(r.metrics?.psi) },
            { title: tr('Author', '作者'), dataIndex: 'author', render: (a?: string) => a ?? '-' },
            { title: tr('Created', '创建时间'), dataIndex: 'createdAt', render: (t: string) => new Date(t).toLocaleString() },
          ]}
        />
      </Card>
      {modelId && version && (
        <Card
          size="small"
          title={
            <span>
              <span className="mono">{modelId}</span> · v{detail?.version ?? version}
            </span>
          }
          extra={
            detail && (
              <Button icon={<SendOutlined />} onClick={() => setPromoting(true)} data-testid="promote-open-modal">
                {tr('Promote to strategy', '推送到策略')}
              </Button>
            )
          }
        >
          {detailError ? <Alert type="error" showIcon message={detailError} /> : detail ? <VersionDetail v={detail} /> : <Spin />}
        </Card>
      )}
      <TrainDrawer
        open={training}
        modelIds={ids}
        onClose={() => {
          setTraining(false);
          setJobsRefresh((n) => n + 1);
        }}
        onTrained={() => void load()}
        onOpenVersion={(id, v) => {
          setTraining(false);
          setJobsRefresh((n) => n + 1);
          open(id, v);
        }}
      />
      {detail && <PromoteModal open={promoting} model={{ id: detail.id, version: detail.version, type: detail.type }} onClose={() => setPromoting(false)} />}
    </div>
  );
}
