// Worker-thread entry of a training job: checks the file (answering "accepted" or an input error at once),
// then trains and posts progress and the version, serialised ready to store. See model-training.ts for the
// other side.
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset } from '../models/data.js';
import { preparedVersion, trainOnDataset, trainingDataset, type TrainingRequest } from './model-training-run.js';

const { csv, request, author, description } = workerData as { csv: Uint8Array; request: TrainingRequest; author: string; description?: string };
const post = (m: unknown) => parentPort!.postMessage(m);

function failure(err: unknown, phase: 'input' | 'training') {
  const e = err as Error & { code?: string; zh?: string; name?: string };
  const msg = e?.message ?? String(err);
  if (e?.name === 'ModelError') return { kind: 'error', phase, code: e.code, en: msg, zh: e.zh };
  // Anything else thrown while reading the upload is still the file's problem (a 4xx, not a 500).
  if (phase === 'input') return { kind: 'error', phase, code: 'bad_csv', en: `the file could not be read as CSV: ${msg}`, zh: `文件无法按 CSV 读取：${msg}` };
  return { kind: 'error', phase, code: 'train_failed', en: `training failed: ${msg}`, zh: `训练失败：${msg}` };
}

let ds: Dataset | undefined;
try {
  ds = trainingDataset(csv, request);
  let bad = 0;
  for (let i = 0; i < ds.n; i++) bad += ds.y[i]!;
  post({ kind: 'accepted', dataset: { rows: ds.n, features: ds.columns.length, badRate: bad / ds.n, fingerprint: ds.fingerprint } });
} catch (err) {
  post(failure(err, 'input'));
}
if (ds) {
  try {
    const result = await trainOnDataset(ds, request, post);
    // Serialised here so that storing it is a single insert on the service's event loop.
    post({ kind: 'done', version: preparedVersion(result, request, { author, ...(description ? { description } : {}) }) });
  } catch (err) {
    post(failure(err, 'training'));
  }
}
