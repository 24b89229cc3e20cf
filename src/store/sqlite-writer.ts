// Main-thread side of the SQLite log writer (sqlite-writer-worker.ts): posts a batch of positional rows to
// the worker and resolves when the worker reports the transaction committed. One batch at a time (the group
// commit log never has two in flight). The worker is kept referenced only while a batch is outstanding, so
// an idle store does not keep the process alive.
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WriterInit {
  file: string;
  synchronous: 'normal' | 'full';
  busyTimeoutMs: number;
  checkpointEveryMs: number;
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

// From source the worker is the .ts file next to this one; from the build, the .js. Node 20 does not carry
// the `--import tsx` hooks into worker threads, so from source a small bootstrap registers tsx first.
const here = fileURLToPath(import.meta.url);
const workerFile = here.replace(/sqlite-writer\.(ts|js)$/, 'sqlite-writer-worker.$1');
const fromSource = workerFile.endsWith('.ts');
const workerEntry = fromSource
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(workerFile).href)}); })`
  : workerFile;

export class SqliteWriter {
  private worker: Worker | undefined;
  private nextId = 1;
  private waiting: { id: number; resolve: (errs: (Error | null)[]) => void; reject: (e: Error) => void; size: number } | undefined;
  lastCommitMs = 0;

  constructor(private readonly init: WriterInit) {}

  private spawn(): Worker {
    const w = new Worker(workerEntry, { workerData: this.init, eval: fromSource });
    w.unref();
    w.on('message', (r: WriterReply | 'closed') => {
      if (r === 'closed') return;
      const p = this.waiting;
      if (!p || p.id !== r.id) return;
      this.waiting = undefined;
      w.unref();
      this.lastCommitMs = r.commitMs;
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

  /** Starts the thread now (it also runs the WAL checkpoints), rather than at the first batch. */
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
      w.postMessage({ id, rows, rules } satisfies WriterBatch);
    });
  }

  /** Checkpoints, closes the worker's connection and ends the thread. Call after the last batch. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    w.ref();
    await new Promise<void>((resolve) => {
      w.on('exit', () => resolve());
      w.on('message', (m) => {
        if (m === 'closed') void w.terminate();
      });
      w.postMessage('close');
    });
  }
}
