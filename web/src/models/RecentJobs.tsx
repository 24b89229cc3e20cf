// Training jobs of the last hour that are still running or failed, so progress stays visible after leaving the
// training form (the service keeps jobs in memory for an hour); a running one can be cancelled here. Polls while
// any job runs.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Space, Typography } from 'antd';
import { cancelTrainingJob, listTrainingJobs } from '../api.js';
import { trainingStageLabel, useI18n } from '../i18n.js';
import type { TrainingJob } from '../types.js';

export function RecentJobs({ refresh, onFinished }: { refresh: number; onFinished: () => void }) {
  const { tr } = useI18n();
  const [jobs, setJobs] = useState<TrainingJob[]>([]);
  const running = useRef(new Set<string>());
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [poke, setPoke] = useState(0);

  async function cancel(id: string) {
    setCancelling(id);
    try {
      await cancelTrainingJob(id);
    } catch {
      // 409: it finished meanwhile; the refresh below shows how.
    } finally {
      setCancelling(null);
      setPoke((n) => n + 1);
    }
  }

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let items: TrainingJob[];
      try {
        items = await listTrainingJobs();
      } catch {
        return;
      }
      if (stop) return;
      const now = new Set(items.filter((j) => j.status === 'running').map((j) => j.id));
      // A job we saw running has finished: the model list has a new version (or the failure shows here).
      if ([...running.current].some((id) => !now.has(id))) onFinished();
      running.current = now;
      // Failures stay listed for a quarter of an hour.
      const recent = Date.now() - 15 * 60_000;
      setJobs(items.filter((j) => j.status === 'running' || (j.status === 'failed' && Date.parse(j.finishedAt ?? j.updatedAt) > recent)).slice(0, 5));
      if (now.size) timer = setTimeout(tick, 1000);
    };
    void tick();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [refresh, poke, onFinished]);

  if (!jobs.length) return null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }} data-testid="recent-jobs">
      {jobs.map((j) =>
        j.status === 'running' ? (
          <Alert
            key={j.id}
            type="info"
            message={
              <Space style={{ width: '100%' }}>
                <Typography.Text className="mono">{j.modelId}</Typography.Text>
                <span>{trainingStageLabel(tr, j.stage)}</span>
                <Progress percent={Math.round(j.percent)} size="small" style={{ width: 240, margin: 0 }} />
              </Space>
            }
            action={
              j.stage !== 'registering' && (
                <Button size="small" danger loading={cancelling === j.id} onClick={() => void cancel(j.id)} data-testid="recent-job-cancel">
                  {tr('Cancel', '取消')}
                </Button>
              )
            }
          />
        ) : (
          <Alert key={j.id} type="warning" showIcon closable message={tr(`Training ${j.modelId} failed: ${j.error?.message ?? ''}`, `训练 ${j.modelId} 失败：${j.error?.zh ?? ''}`)} />
        ),
      )}
    </Space>
  );
}
