// Main-thread side of the SQLite log writer (sqlite-writer-worker.ts): posts a batch of positional rows to
// the worker and resolves when the worker reports the transaction committed. One batch at a time (the group
// commit log never has two in flight). The worker is kept referenced only while a batch is outstanding, so
// an idle store does not keep the process alive. A second thread (sqlite-checkpointer-worker.ts) runs the
// WAL checkpoints, so that a commit never waits behind one.
import { Worker } from 'node:worker_threads';
import { workerEntry } from './worker-entry.js';
import type { CheckpointerInit } from './sqlite-checkpointer-worker.js';

export interface WriterInit {
  file: string;
  synchronous: 'normal' | 'full';
  busyTimeoutMs: number;
  /** How often the checkpointer copies committed WAL frames into the database file. */
  checkpointEveryMs: number;
  /** WAL size (frames) past which the checkpointer also restarts the WAL. */
  restartFrames: number;
  /** Column names of `events`, in the order of each row's values. */
  columns: readonly string[];
  /** Positions of tenant_id, event_id and recorded_at in a row (for rule_hits). */
  keyIndexes: readonly [number, number, number];
}

export interface WriterBatch {
  id: number;
  rows: unknown[][];
  /** Rule ids hit per row (null: none). */
  rules: (string[] | null)[];
  /** Copy the WAL's remaining frames first, so that this batch restarts the WAL (the checkpointer caught up). */
  checkpoint?: boolean;
}

export interface WriterReply {
  id: number;
  commitMs: number;
  /** The whole batch failed before any row could be tried (e.g. the table is missing). */
  error?: { message: string; code?: string };
  /** The batch was retried row by row: these rows failed, every other one committed. */
  errors?: { index: number; message: string; code?: string }[];
}

const toError = (e: { message: string; code?: string }): Error => Object.assign(new Error(e.message), e.code ? { code: e.code } : {});

const writerEntry = workerEntry('sqlite-writer-worker');
const checkpointerEntry = workerEntry('sqlite-checkpointer-worker');

export class SqliteWriter {
  private worker: Worker | undefined;
  private checkpointer: Worker | undefined;
  private checkpointerDeaths = 0;
  private lastOwnCheckpoint = 0;
  private closing = false;
  /** The checkpointer copied a large WAL up to a recent frame: the next batch finishes the job. */
  private catchUp = false;
  private nextId = 1;
  private waiting: { id: number; resolve: (errs: (Error | null)[]) => void; reject: (e: Error) => void; size: number } | undefined;
  lastCommitMs = 0;

  constructor(private readonly init: WriterInit) {}

  private spawn(): Worker {
    const w = new Worker(writerEntry.entry, { workerData: this.init, eval: writerEntry.eval });
    w.unref();
    w.on('message', (r: WriterReply | 'closed') => {
      if (r === 'closed') return;
      const p = this.waiting;
      if (!p || p.id !== r.id) return;
      this.waiting = undefined;
      w.unref();
      this.lastCommitMs = r.commitMs;
      // Only once the writer is up: both threads loading at once would delay the first commits.
      if (!this.closing) this.checkpointer ??= this.spawnCheckpointer();
      if (r.error) return p.reject(toError(r.error));
      const result: (Error | null)[] = new Array(p.size).fill(null);
      for (const e of r.errors ?? []) result[e.index] = toError(e);
      p.resolve(result);
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = undefined; // the next batch starts a fresh writer
      const p = this.waiting;
      this.waiting = undefined;
      p?.reject(err);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`SQLite writer thread exited (${code}) before reporting the commit`)));
    return w;
  }

  /**
   * The checkpointer: never keeps the process alive; a thread that died is replaced after the next commit,
   * up to a few times (a thread that cannot even start must not be respawned for every batch).
   */
  private spawnCheckpointer(): Worker | undefined {
    if (this.checkpointerDeaths >= 3) return undefined;
    const init: CheckpointerInit = { file: this.init.file, synchronous: this.init.synchronous, everyMs: this.init.checkpointEveryMs, restartFrames: this.init.restartFrames };
    const c = new Worker(checkpointerEntry.entry, { workerData: init, eval: checkpointerEntry.eval });
    c.unref();
    c.on('message', (m) => {
      if (m === 'caught-up') this.catchUp = true;
    });
    const gone = () => {
      if (this.checkpointer !== c) return;
      this.checkpointer = undefined;
      if (!this.closing) this.checkpointerDeaths++;
    };
    c.on('error', gone);
    c.on('exit', gone);
    return c;
  }

  /** Starts the writer thread now rather than at the first batch (the checkpointer follows its first commit). */
  start(): void {
    this.worker ??= this.spawn();
  }

  /**
   * Inserts the rows in one transaction. Resolves with one entry per row: null when committed, the error
   * when that row failed on its own; rejects when nothing could be written.
   */
  write(rows: unknown[][], rules: (string[] | null)[]): Promise<(Error | null)[]> {
    if (this.waiting) return Promise.reject(new Error('SqliteWriter: one batch at a time'));
    const w = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting = { id, resolve, reject, size: rows.length };
      w.ref();
      // Without a checkpointer (it kept dying) the writer checkpoints itself, once a second, as it used to.
      const own = this.checkpointerDeaths >= 3 && Date.now() - this.lastOwnCheckpoint > 1000;
      if (own) this.lastOwnCheckpoint = Date.now();
      w.postMessage({ id, rows, rules, checkpoint: this.catchUp || own } satisfies WriterBatch);
      this.catchUp = false;
    });
  }

  /** Stops the checkpointer, then checkpoints, closes the writer's connection and ends its thread. Call after the last batch. */
  async close(): Promise<void> {
    this.closing = true;
    const c = this.checkpointer;
    this.checkpointer = undefined;
    if (c) await stopWorker(c);
    const w = this.worker;
    this.worker = undefined;
    if (w) await stopWorker(w);
  }
}

/** Asks a store worker to close its connection ('close' → 'closed') and waits for the thread to end. */
function stopWorker(w: Worker): Promise<void> {
  w.ref();
  return new Promise<void>((resolve) => {
    w.on('exit', () => resolve());
    w.on('message', (m) => {
      if (m === 'closed') void w.terminate();
    });
    w.postMessage('close');
  });
}
