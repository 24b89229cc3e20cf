// Runs GBDT training in a worker thread so the caller's event loop (HTTP server, progress bar) stays live.
import { Worker } from 'node:worker_threads';
import type { EnsembleModel } from '../ensemble.js';
import { ModelError } from '../errors.js';
import type { GbdtOptions, GbdtProgress, TrainInput } from './train.js';

export function trainGbdtInWorker(input: TrainInput, options: GbdtOptions = {}, onProgress?: (p: GbdtProgress) => void): Promise<EnsembleModel> {
  // From source (tsx) the worker must register tsx's loader itself: loader hooks are per thread.
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { input, options } })
    : new Worker(url, { workerData: { input, options } });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (msg: { kind: string; progress?: GbdtProgress; model?: EnsembleModel; message?: string; code?: string; zh?: string }) => {
      if (msg.kind === 'progress' && msg.progress) onProgress?.(msg.progress);
      else if (msg.kind === 'done') {
        settled = true;
        resolve(msg.model!);
        void worker.terminate();
      } else if (msg.kind === 'error') {
        settled = true;
        reject(new ModelError(msg.code ?? 'train_failed', msg.message ?? 'training failed', msg.zh ?? '训练失败'));
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    worker.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new ModelError('train_failed', `training worker exited with code ${code}`, `训练线程异常退出（代码 ${code}）`));
      }
    });
  });
}
