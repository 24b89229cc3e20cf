// A helper thread for the row-parallel part of each boosting round (margins, gradients, root histogram).
// The trainer stays synchronous: it posts a job through Atomics on shared memory, claims chunks itself and
// only waits for chunks the helper has already started. On a busy machine where the helper is not
// scheduled, the trainer simply does every chunk, so a loaded box costs little more than one thread does.
// The helper lives as long as the process (unref'd, so it never keeps it alive) and serves trainings one
// after another: cross-validation folds skip its start-up and reuse its warmed-up, optimised kernels.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ModelError } from '../errors.js';
import { CTRL, claimChunks, roundChunk, type RoundShared } from './kernels.js';

/** The helper's doorbell: a job counter it sleeps on, and the generation of the arrays it should use. */
const BELL = { job: 0, gen: 1 } as const;

// Plain JavaScript (no loader needed): the two functions' own compiled source, then the wait loop. A new
// training's arrays arrive on the port, tagged with the generation the trainer set before waking it.
const HELPER_SOURCE = `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const roundChunk = (${roundChunk.toString()});
const claimChunks = (${claimChunks.toString()});
const { bell, port } = workerData;
const kernels = new Map();
let s = null;
let gen = 0;
let seen = Atomics.load(bell, ${BELL.job});
for (;;) {
  Atomics.wait(bell, ${BELL.job}, seen);
  seen = Atomics.load(bell, ${BELL.job});
  const g = Atomics.load(bell, ${BELL.gen});
  while (gen !== g) {
    const m = receiveMessageOnPort(port);
    if (!m) continue;
    gen = m.message.gen;
    s = m.message.shared;
    if (s) {
      let k = kernels.get(s.kernelSource);
      if (!k) {
        k = new Function(s.kernelSource)();
        kernels.set(s.kernelSource, k);
      }
      s.kernel = k;
    }
  }
  if (s) claimChunks(s);
}
`;

interface Helper {
  worker: Worker;
  port: MessagePort;
  bell: Int32Array;
  busy: boolean;
}
let helper: Helper | null = null;

function getHelper(): Helper | null {
  if (helper) return helper.busy ? null : helper;
  try {
    const bell = sharedI32(2);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { bell, port: port2 }, transferList: [port2], execArgv: [] });
    worker.unref();
    port1.unref();
    const h: Helper = { worker, port: port1, bell, busy: false };
    // A helper that fails or dies just leaves every chunk to the trainer; the next training starts another.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (helper === h) helper = null;
    });
    helper = h;
    return h;
  } catch {
    return null;
  }
}

export interface RoundHelper {
  /** Runs one round over all chunks (with the helper when there is one) and waits for it to finish. */
  run(s: RoundShared, applyPrevious: boolean, wantLoss: boolean, wantHist: boolean): void;
  close(): void;
}

/** Takes the helper for one training (or none: threads 1, or it is already serving a training). */
export function startRound(threads: number): RoundHelper {
  const h = threads > 1 ? getHelper() : null;
  if (h) h.busy = true;
  let posted = false;
  let open = true;
  // Each training has its own RoundShared.ctrl (chunk counters), so a helper still finishing a claim from
  // the previous training can never take a chunk of this one; only the doorbell is shared.
  const post = (shared: RoundShared | null): void => {
    const gen = Atomics.load(h!.bell, BELL.gen) + 1;
    h!.port.postMessage({ gen, shared: shared && { ...shared, kernel: undefined } });
    Atomics.store(h!.bell, BELL.gen, gen);
  };
  return {
    run(s, applyPrevious, wantLoss, wantHist) {
      const ctrl = s.ctrl;
      if (h && !posted) {
        post(s);
        posted = true;
      }
      ctrl[CTRL.applyPrevious] = applyPrevious ? 1 : 0;
      ctrl[CTRL.wantLoss] = wantLoss ? 1 : 0;
      ctrl[CTRL.wantHist] = wantHist ? 1 : 0;
      Atomics.store(ctrl, CTRL.error, 0);
      Atomics.store(ctrl, CTRL.done, 0);
      Atomics.store(ctrl, CTRL.next, 0);
      if (h) {
        Atomics.add(h.bell, BELL.job, 1);
        Atomics.notify(h.bell, BELL.job);
      }
      claimChunks(s);
      // The helper's last chunk is usually a fraction of a millisecond away: spin briefly before sleeping.
      for (let spin = 0; ; spin++) {
        const d = Atomics.load(ctrl, CTRL.done);
        if (d >= s.nChunks) break;
        if (spin > 2000) Atomics.wait(ctrl, CTRL.done, d, 50);
      }
      if (Atomics.load(ctrl, CTRL.error) === 1) throw new ModelError('train_failed', 'a GBDT training round failed', 'GBDT 训练轮次失败');
    },
    close() {
      if (!open) return;
      open = false;
      if (!h) return;
      // Let go of this training's arrays: the helper drops them when it wakes.
      if (posted) {
        post(null);
        Atomics.add(h.bell, BELL.job, 1);
        Atomics.notify(h.bell, BELL.job);
      }
      h.busy = false;
    },
  };
}

/** SharedArrayBuffer-backed typed arrays, so the helper sees the trainer's writes without copies. */
export function sharedF64(len: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, len) * 8));
}
export function sharedI32(len: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, len) * 4));
}
export function sharedU8(len: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, len)));
}
