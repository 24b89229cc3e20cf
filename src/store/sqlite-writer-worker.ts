// The decision log's SQLite writer, on its own thread: group-commit batches arrive as positional rows, are
// inserted in one transaction, and the commit is reported back (the main thread acknowledges the appends
// only then). Commits and WAL checkpoints block this thread, never the one answering requests.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { WriterBatch, WriterInit, WriterReply } from './sqlite-writer.js';

const init = workerData as WriterInit;
const db = new SqliteDatabase(init.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${init.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
db.pragma('foreign_keys = ON');
// Checkpoints run on the timer below, between batches, instead of inside whichever commit crosses the
// auto-checkpoint threshold.
db.pragma('wal_autocheckpoint = 0');
// A WAL that grew under a burst is cut back to this size when it restarts after a complete checkpoint.
db.pragma('journal_size_limit = 67108864');

let insertBatch: ((b: WriterBatch) => void) | undefined;
let insertOne: ((b: WriterBatch, i: number) => void) | undefined;

function prepare(): void {
  const cols = init.columns;
  const insertEvent = db.prepare(`insert into events (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) on conflict (tenant_id, event_id) do nothing`);
  const insertHit = db.prepare('insert into rule_hits (tenant_id, event_id, rule_id, recorded_at) values (?, ?, ?, ?)');
  const [ti, ei, ri] = init.keyIndexes;
  const row = (b: WriterBatch, i: number): void => {
    const values = b.rows[i]!;
    // changes = 0: the event id was already stored; its rule hits were counted then.
    if (insertEvent.run(values).changes === 0) return;
    const rules = b.rules[i];
    if (rules) for (const rule of rules) insertHit.run(values[ti], values[ei], rule, values[ri]);
  };
  insertBatch = db.transaction((b: WriterBatch) => {
    for (let i = 0; i < b.rows.length; i++) row(b, i);
  });
  insertOne = db.transaction(row);
}

let dirty = false;
/** Rows committed since the last checkpoint: past CHECKPOINT_ROWS one runs right after the reply, not on the timer. */
let sinceCheckpoint = 0;
const CHECKPOINT_ROWS = 5000;

function checkpoint(): void {
  dirty = false;
  sinceCheckpoint = 0;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    dirty = true; // busy: try again next time
  }
}

function write(b: WriterBatch): WriterReply {
  const t0 = performance.now();
  try {
    if (!insertBatch) prepare();
    insertBatch!(b);
    dirty = true;
    return { id: b.id, commitMs: performance.now() - t0 };
  } catch (err) {
    if (!insertOne) return { id: b.id, commitMs: 0, error: describe(err) };
    // Isolate the bad record(s): one failing row must not fail everyone else's append.
    const errors: WriterReply['errors'] = [];
    for (let i = 0; i < b.rows.length; i++) {
      try {
        insertOne(b, i);
        dirty = true;
      } catch (e) {
        errors.push({ index: i, ...describe(e) });
      }
    }
    return { id: b.id, commitMs: performance.now() - t0, errors };
  }
}

function describe(err: unknown): { message: string; code?: string } {
  const e = err as { message?: string; code?: string };
  return { message: e?.message ?? String(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
}

// PASSIVE never waits for readers or the writer lock; it copies what it can and leaves the rest for the next run.
const checkpoints = setInterval(() => {
  if (dirty) checkpoint();
}, init.checkpointEveryMs);

parentPort!.on('message', (m: WriterBatch | 'close') => {
  if (m === 'close') {
    clearInterval(checkpoints);
    checkpoint(); // if busy, the next open replays the WAL anyway
    db.close();
    parentPort!.postMessage('closed');
    parentPort!.close();
    return;
  }
  parentPort!.postMessage(write(m));
  // Under sustained load the WAL would grow by a second's worth of writes between timer runs: checkpoint
  // by volume too, after the reply has gone (the batch is acknowledged; only the next one waits).
  sinceCheckpoint += m.rows.length;
  if (sinceCheckpoint >= CHECKPOINT_ROWS) checkpoint();
});
