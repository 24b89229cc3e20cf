// "Train a new version": pick a CSV, the target and its good/bad values, the model type; the service checks
// the file at once (errors show here) and trains in the background while this polls the job's progress.
import { useEffect, useRef, useState } from 'react';
import { Alert, AutoComplete, Button, Collapse, Drawer, Form, Input, InputNumber, Progress, Radio, Select, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { cancelTrainingJob, getTrainingJob, startTraining } from '../api.js';
import { trainingStageLabel, useI18n } from '../i18n.js';
import type { TrainingJob } from '../types.js';
import { distinctValues, guessBad, previewCsv, type CsvPreview } from './csv-preview.js';

interface Values {
  id: string;
  type: 'scorecard' | 'gbdt';
  target: string;
  bad?: string[];
  good?: string[];
  drop?: string[];
  testFraction?: number;
  seed?: number;
  binning?: string;
  maxBins?: number;
  trees?: number;
  depth?: number;
  learningRate?: number;
  description?: string;
}

const POLL_MS = 500;

export function TrainDrawer({ open, modelIds, onClose, onTrained, onOpenVersion }: { open: boolean; modelIds: string[]; onClose: () => void; onTrained: (id: string, version: number) => void; onOpenVersion: (id: string, version: number) => void }) {
  const { tr, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<TrainingJob | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const stopped = useRef(false);
  const target = Form.useWatch('target', form);
  const type = Form.useWatch('type', form);
  const values = target && preview ? distinctValues(preview, target) : [];

  useEffect(() => () => void (stopped.current = true), []);

  async function choose(f: File) {
    setFile(f);
    setError(null);
    try {
      const p = await previewCsv(f);
      setPreview(p);
      // A last column named like a label is the usual layout; otherwise the user picks.
      const guess = p.header.find((h) => /^(target|label|y|bad|default|creditability|is_bad)$/i.test(h)) ?? undefined;
      if (guess && !form.getFieldValue('target')) pickTarget(guess, p);
      // Row ids are not features: suggest leaving them out (the user can remove the suggestion).
      const ids = p.header.filter((h) => /^(id|row_?id|no|index)$/i.test(h));
      if (ids.length && !form.getFieldValue('drop')?.length) form.setFieldValue('drop', ids);
    } catch {
      setPreview(null);
    }
  }

  function pickTarget(t: string, p = preview) {
    form.setFieldValue('target', t);
    const vals = p ? distinctValues(p, t).map((x) => x.value) : [];
    if (vals.length === 2) {
      const bad = guessBad(vals);
      if (bad === undefined) form.setFieldsValue({ bad: undefined, good: undefined });
      else form.setFieldsValue({ bad: [bad], good: vals.filter((v) => v !== bad) });
    } else form.setFieldsValue({ bad: undefined, good: undefined });
  }

  async function poll(id: string) {
    while (!stopped.current) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      let j: TrainingJob;
      try {
        j = await getTrainingJob(id);
      } catch (e) {
        setError((e as Error).message);
        return;
      }
      setJob(j);
      if (j.status === 'succeeded' && j.result) {
        onTrained(j.result.id, j.result.version);
        return;
      }
      if (j.status !== 'running') return;
    }
  }

  async function cancel(id: string) {
    setCancelling(true);
    try {
      setJob(await cancelTrainingJob(id));
    } catch (e) {
      // 409: it finished meanwhile; the next poll shows how.
      setError((e as Error).message);
    } finally {
      setCancelling(false);
    }
  }

  async function submit(v: Values) {
    if (!file) {
      setError(tr('Choose a CSV file first', '请先选择 CSV 文件'));
      return;
    }
    const fd = new FormData();
    const put = (k: string, x: unknown) => {
      if (x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0)) return;
      fd.set(k, Array.isArray(x) ? x.join(',') : String(x));
    };
    for (const [k, x] of Object.entries(v)) put(k, x);
    fd.set('file', file, file.name);
    setSubmitting(true);
    setError(null);
    setJob(null);
    try {
      const j = await startTraining(fd);
      setJob(j);
      void poll(j.id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  }

  const running = job?.status === 'running';
  const reset = () => {
    setJob(null);
    setError(null);
  };

  return (
    <Drawer
      open={open}
      width={560}
      title={tr('Train a new model version', '训练新模型版本')}
      onClose={onClose}
      extra={
        <Space>
          {job && !running && <Button onClick={reset}>{tr('Train another', '再训练一个')}</Button>}
          {running && job.stage !== 'registering' && (
            <Button danger loading={cancelling} onClick={() => void cancel(job.id)} data-testid="train-cancel">
              {tr('Cancel', '取消')}
            </Button>
          )}
          <Button type="primary" loading={submitting || running} disabled={running} onClick={() => form.submit()} data-testid="train-submit">
            {tr('Start training', '开始训练')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={{ type: 'scorecard' }} onFinish={submit} disabled={running}>
        <Form.Item label={tr('CSV file (UTF-8 or GBK, one row per applicant, a header row)', 'CSV 文件（UTF-8 或 GBK，每行一个样本，首行为表头）')} required>
          <Upload
            accept=".csv,text/csv"
            maxCount={1}
            beforeUpload={(f) => {
              void choose(f);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setPreview(null);
            }}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
          >
            <Button icon={<UploadOutlined />} data-testid="train-file">
              {tr('Choose file', '选择文件')}
            </Button>
          </Upload>
          {preview && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tr(`${preview.header.length} columns`, `${preview.header.length} 列`)}
            </Typography.Text>
          )}
        </Form.Item>
        <Form.Item name="id" label={tr('Model id (a new version of it is registered)', '模型 id（登记为该模型的新版本）')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/, message: tr('lowercase letters, digits, ".", "_" or "-"', '只能包含小写字母、数字、"."、"_"、"-"') }]}>
          <AutoComplete options={modelIds.map((x) => ({ value: x }))} placeholder="credit-scorecard" data-testid="train-id" />
        </Form.Item>
        <Form.Item name="type" label={tr('Model type', '模型类型')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'scorecard', label: tr('Scorecard', '评分卡') },
              { value: 'gbdt', label: tr('GBDT', '梯度提升树') },
            ]}
          />
        </Form.Item>
        <Form.Item name="target" label={tr('Target (label) column', '目标（标签）列')} rules={[{ required: true, message: tr('choose the label column', '请选择标签列') }]}>
          {preview ? (
            <Select showSearch options={preview.header.map((h) => ({ value: h, label: h }))} onChange={(t: string) => pickTarget(t)} data-testid="train-target" />
          ) : (
            <Input data-testid="train-target" />
          )}
        </Form.Item>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="bad" label={tr('Bad values', '坏样本取值')} style={{ flex: 1 }} tooltip={tr('Default: 1, bad, yes, true, default, y', '默认：1、bad、yes、true、default、y')}>
            <Select mode="tags" options={values.map((x) => ({ value: x.value, label: `${x.value} (${x.count})` }))} data-testid="train-bad" />
          </Form.Item>
          <Form.Item name="good" label={tr('Good values', '好样本取值')} style={{ flex: 1 }} tooltip={tr('Default: 0, good, no, false, n', '默认：0、good、no、false、n')}>
            <Select mode="tags" options={values.map((x) => ({ value: x.value, label: `${x.value} (${x.count})` }))} data-testid="train-good" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="drop" label={tr('Columns that are not features (ids, dates)', '非特征列（ID、日期等）')}>
          <Select mode="tags" options={(preview?.header ?? []).filter((h) => h !== target).map((h) => ({ value: h, label: h }))} />
        </Form.Item>
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'adv',
              label: tr('Advanced options', '高级选项'),
              forceRender: true,
              children: (
                <>
                  <Space wrap>
                    <Form.Item name="testFraction" label={tr('Test share', '测试集比例')}>
                      <InputNumber min={0.05} max={0.5} step={0.05} placeholder="0.3" />
                    </Form.Item>
                    <Form.Item name="seed" label={tr('Seed', '随机种子')}>
                      <InputNumber min={0} precision={0} placeholder="42" />
                    </Form.Item>
                    {type !== 'gbdt' ? (
                      <>
                        <Form.Item name="binning" label={tr('Binning', '分箱方法')}>
                          <Select style={{ width: 150 }} placeholder="tree" options={[{ value: 'tree', label: tr('decision tree', '决策树') }, { value: 'quantile', label: tr('equal frequency', '等频') }, { value: 'chimerge', label: 'ChiMerge' }]} />
                        </Form.Item>
                        <Form.Item name="maxBins" label={tr('Max bins', '最大箱数')}>
                          <InputNumber min={2} max={20} placeholder="6" />
                        </Form.Item>
                      </>
                    ) : (
                      <>
                        <Form.Item name="trees" label={tr('Trees', '树的数量')}>
                          <InputNumber min={1} max={2000} placeholder="300" />
                        </Form.Item>
                        <Form.Item name="depth" label={tr('Depth', '深度')}>
                          <InputNumber min={1} max={12} placeholder="4" />
                        </Form.Item>
                        <Form.Item name="learningRate" label={tr('Learning rate', '学习率')}>
                          <InputNumber min={0.001} max={1} step={0.01} placeholder="0.1" />
                        </Form.Item>
                      </>
                    )}
                  </Space>
                  <Form.Item name="description" label={tr('Description', '说明')}>
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="train-error" />}
      {job && (
        <div data-testid="train-progress">
          <Typography.Text strong>
            {job.modelId} · {trainingStageLabel(tr, job.stage)}
          </Typography.Text>
          <Progress percent={Math.round(job.percent)} format={(p) => `${p}%`} status={job.status === 'failed' ? 'exception' : job.status === 'succeeded' ? 'success' : job.status === 'cancelled' ? 'normal' : 'active'} data-testid="train-percent" />
          {(job.status === 'failed' || job.status === 'cancelled') && job.error && (
            <Alert type={job.status === 'failed' ? 'error' : 'warning'} showIcon message={lang === 'zh-CN' ? job.error.zh : job.error.message} style={{ marginBottom: 8 }} data-testid={job.status === 'failed' ? 'train-failed' : 'train-cancelled'} />
          )}
          {job.status === 'succeeded' && job.result && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 8 }}
              data-testid="train-done"
              action={
                <Button size="small" type="primary" onClick={() => onOpenVersion(job.result!.id, job.result!.version)} data-testid="train-open-version">
                  {tr('Open version', '查看版本')}
                </Button>
              }
              message={tr(`Registered ${job.result.id} version ${job.result.version}: test AUC ${Number(job.result.metrics.auc).toFixed(3)}`, `已登记 ${job.result.id} 第 ${job.result.version} 版：测试集 AUC ${Number(job.result.metrics.auc).toFixed(3)}`)}
            />
          )}
          <div style={{ maxHeight: 220, overflowY: "auto", background: "#fafafa", border: "1px solid #eee", padding: 6 }} data-testid="train-log">
            {job.messages.slice(-12).map((m, i) => (
              <div key={i} className="mono">
                <Typography.Text type="secondary">{new Date(m.at).toLocaleTimeString()}</Typography.Text> {lang === 'zh-CN' ? m.zh : m.en}
              </div>
            ))}
          </div>
        </div>
      )}
    </Drawer>
  );
}
