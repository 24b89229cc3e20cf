// A helper thread for a training's phases (block and split items, see kernels.ts). The trainer stays
// synchronous: it posts a phase through Atomics on shared memory, claims items from the front while the
// helper claims from the back, and only waits for items the helper has already started. On a busy machine
// where the helper is not scheduled, the trainer simply does every item, so a loaded box costs little more
// than one thread does. Between phases the helper spins briefly (the trainer's work between two phases —
// combining splits, setting up ops — is microseconds, far less than a sleep and wake-up), then sleeps.
// The helper lives as long as the process (unref'd, so it never keeps it alive) and serves trainings one
// after another: cross-validation folds skip its start-up and reuse its warmed-up, optimised code.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ModelError } from '../errors.js';
import { CTRL, binTask, blockTask, subsampledHist, fitBins, runItems, splitTask, warmUp, type BinJob, type Shared } from './kernels.js';

/** The helper's doorbell: a job counter it waits on, the generation of messages it must take in, and whether it sleeps. */
const BELL = { job: 0, gen: 1, sleeping: 2, size: 3 } as const;
/** Polls of the doorbell before the helper goes to sleep: well over the trainer's work between two phases. */
const HELPER_SPIN = 50_000;
/** A wait for the helper longer than this (ms) is a stall: it was descheduled, not merely a little behind. */
const STALL_MS = 1;
/** Phases run without the helper after a stall: from MIN_PENALTY, doubling on repeated stalls up to MAX_PENALTY. */
const MIN_PENALTY = 16;
const MAX_PENALTY = 4096;
/** Warm-up rounds the helper runs on a training with kernels it has not seen (see warmUp). */
const WARM_ROUNDS = 40;

// Plain JavaScript (no loader needed): the shared functions' own compiled source, then the wait loop.
// Messages are tagged with the generation the trainer set before ringing: a new training's arrays
// (`shared`, null to let go of them; a binning job has no kernel) or arrays added to the current one
// (`patch`, `slots`).
const HELPER_SOURCE = `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const subsampledHist = (${subsampledHist.toString()});
const blockTask = (${blockTask.toString()});
const splitTask = (${splitTask.toString()});
const runItems = (${runItems.toString()});
const fitBins = (${fitBins.toString()});
const binTask = (${binTask.toString()});
const warmUp = (${warmUp.toString()});
function main(bell, port) {
  const kernels = new Map();
  const kernel = (src) => {
    let k = kernels.get(src);
    if (!k) {
      k = new Function(src)();
      kernels.set(src, k);
    }
    return k;
  };
  const warmed = new Set();
  let s = null;
  let gen = 0;
  const sync = () => {
    const g = Atomics.load(bell, ${BELL.gen});
    while (gen !== g) {
      const m = receiveMessageOnPort(port);
      if (!m) continue;
      const msg = m.message;
      gen = msg.gen;
      if (msg.shared !== undefined) {
        s = msg.shared;
        if (s) s.sync = sync;
        if (s && s.kernelSource !== undefined) {
          // Warm-up runs on private arrays, so with the JavaScript kernel.
          s.kernel = kernel(s.kernelSource);
          const key = s.kernelSource + s.nGroups;
          if (!warmed.has(key)) {
            warmed.add(key);
            warmUp(s, ${WARM_ROUNDS});
          }
          if (s.wasm) {
            const ex = new WebAssembly.Instance(s.wasm.module, { m: { mem: s.wasm.memory } }).exports;
            s.kernel = (rows, start, end, codes, gh, hist) => {
              if (rows === null) ex.range(start, end, codes.byteOffset, gh.byteOffset, hist.byteOffset);
              else ex.list(rows.byteOffset, start, end, codes.byteOffset, gh.byteOffset, hist.byteOffset);
            };
            const rp = s.rows.byteOffset, tp = s.tmp.byteOffset, cp = s.cols.byteOffset, lp = s.leafOf.byteOffset;
            s.part = (start, end, base, bin, miss, dl) => ex.part(rp, tp, cp + base, start, end, bin, miss, dl);
            s.assign = (start, end, base, bin, miss, dl, id) => ex.assign(rp, lp, cp + base, start, end, bin, miss, dl, id);
          }
        }
      }
      if (s && msg.patch) Object.assign(s, msg.patch);
      if (s && msg.slots) for (const [id, buf] of msg.slots) s.slots[id] = buf;
    }
  };
  let seen = Atomics.load(bell, ${BELL.job});
  for (;;) {
    let spins = 0;
    while (Atomics.load(bell, ${BELL.job}) === seen) {
      if (++spins < ${HELPER_SPIN}) continue;
      Atomics.store(bell, ${BELL.sleeping}, 1);
      Atomics.wait(bell, ${BELL.job}, seen);
      Atomics.store(bell, ${BELL.sleeping}, 0);
      spins = 0;
    }
    seen = Atomics.load(bell, ${BELL.job});
    sync();
    if (s) runItems(s, true);
  }
}
main(workerData.bell, workerData.port);
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
    const bell = sharedI32(BELL.size);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { bell, port: port2 }, transferList: [port2], execArgv: [] });
    worker.unref();
    port1.unref();
    const h: Helper = { worker, port: port1, bell, busy: false };
    // A helper that fails or dies just leaves every item to the trainer; the next training starts another.
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

export interface PhaseRunner {
  /** Whether a helper thread shares the work (otherwise plain arrays would do). */
  readonly parallel: boolean;
  /**
   * Runs one phase of `total` items of `kind` (with the helper when there is one and `ring` is set) and
   * waits for it to finish. Flags and arrays the items read must be written before.
   */
  run(kind: number, total: number, ring: boolean): void;
  /** Arrays added to or replaced in the shared state; the helper takes them in before its next item. */
  patch(patch: Partial<Shared>, slots?: [number, Float64Array][]): void;
  close(): void;
}

/** Takes the helper for one training (or none: threads 1, or it is already serving a training). */
export function startPhases(s: Shared | BinJob, threads: number): PhaseRunner {
  const h = threads > 1 ? getHelper() : null;
  if (h) h.busy = true;
  let open = true;
  let phase = 0;
  // Phases to run without the helper (see run), and how many the next stall costs.
  let benched = 0;
  let penalty = MIN_PENALTY;
  const ctrl = s.ctrl;
  // Each training has its own ctrl (phase counters), so a helper still finishing a claim from the
  // previous training can never take an item of this one; only the doorbell is shared.
  const post = (msg: Record<string, unknown>): void => {
    const gen = Atomics.load(h!.bell, BELL.gen) + 1;
    h!.port.postMessage({ gen, ...msg });
    Atomics.store(h!.bell, BELL.gen, gen);
  };
  if (h) post({ shared: { ...s, kernel: undefined, part: undefined, assign: undefined, sync: undefined } });
  return {
    parallel: h !== null,
    run(kind, total, ring) {
      phase = (phase + 1) & 0x7fff;
      ctrl[CTRL.kind] = kind;
      Atomics.store(ctrl, CTRL.error, 0);
      Atomics.store(ctrl, CTRL.done, 0);
      Atomics.store(ctrl, CTRL.total, (phase << 16) | total);
      Atomics.store(ctrl, CTRL.next, phase << 16);
      const rung = h !== null && ring && benched === 0;
      if (rung) {
        Atomics.add(h.bell, BELL.job, 1);
        if (Atomics.load(h.bell, BELL.sleeping) === 1) Atomics.notify(h.bell, BELL.job);
      } else if (benched > 0) benched--;
      runItems(s, false);
      if (Atomics.load(ctrl, CTRL.done) < total) {
        // The helper's last item is usually a fraction of a millisecond away: spin briefly before sleeping.
        const t0 = performance.now();
        for (let spin = 0; ; spin++) {
          const d = Atomics.load(ctrl, CTRL.done);
          if (d >= total) break;
          if (spin > 20_000) {
            Atomics.store(ctrl, CTRL.waiting, 1);
            Atomics.wait(ctrl, CTRL.done, d, 50);
            Atomics.store(ctrl, CTRL.waiting, 0);
          }
        }
        // A wait much longer than an item takes means the helper lost its core (a busy machine): do without
        // it for a while, longer each time it happens again, so it sleeps instead of holding up rounds.
        if (performance.now() - t0 > STALL_MS) {
          benched = penalty;
          penalty = Math.min(penalty * 2, MAX_PENALTY);
        } else if (penalty > MIN_PENALTY) penalty--;
      }
      if (Atomics.load(ctrl, CTRL.error) === 1) throw new ModelError('train_failed', 'a GBDT training step failed', 'GBDT 训练步骤失败');
    },
    patch(patch, slots) {
      Object.assign(s, patch);
      if (slots) for (const [id, buf] of slots) (s as Shared).slots[id] = buf;
      if (h) post({ patch, slots });
    },
    close() {
      if (!open) return;
      open = false;
      if (!h) return;
      // Let go of this training's arrays: the helper drops them when it wakes.
      post({ shared: null });
      Atomics.add(h.bell, BELL.job, 1);
      Atomics.notify(h.bell, BELL.job);
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
export function sharedU16(len: number): Uint16Array {
  return new Uint16Array(new SharedArrayBuffer(Math.max(1, len) * 2));
}
export function sharedU32(len: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(Math.max(1, len) * 4));
}
