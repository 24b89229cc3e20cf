// Worker-thread entry: trains one GBDT off the main thread and streams progress messages back.
import { parentPort, workerData } from 'node:worker_threads';
import { trainGbdt, type GbdtOptions, type TrainInput } from './train.js';

const { input, options } = workerData as { input: TrainInput; options: GbdtOptions };
try {
  const model = trainGbdt(input, options, (p) => parentPort!.postMessage({ kind: 'progress', progress: p }));
  parentPort!.postMessage({ kind: 'done', model });
} catch (err) {
  const e = err as Error & { code?: string; zh?: string };
  parentPort!.postMessage({ kind: 'error', message: e.message, code: e.code, zh: e.zh });
}
