// The decision log's SQLite writer, on its own thread: group-commit batches arrive as positional rows, are
// inserted in one transaction, and the commit is reported back (the main thread acknowledges the appends
// only then). Commits block this thread, never the one answering requests; WAL checkpoints run on a third
// thread (sqlite-checkpointer-worker.ts), so no commit waits for one either.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { WriterBatch, WriterInit, WriterReply } from './sqlite-writer.js';

const init = workerData as WriterInit;
const db = new SqliteDatabase(init.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${init.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
db.pragma('foreign_keys = ON');
// Checkpoints run on the checkpointer thread, not inside whichever commit crosses the auto-checkpoint threshold.
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

/**
 * Copies the WAL frames the checkpointer has not (see sqlite-checkpointer-worker.ts): few, and only when asked.
 * Without waiting: if the checkpointer is in a pass right now, its next report asks again.
 */
function catchUp(): void {
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy: see above
  } finally {
    db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
  }
}

function write(b: WriterBatch): WriterReply {
  if (b.checkpoint) catchUp();
  const t0 = performance.now();
  try {
    if (!insertBatch) prepare();
    insertBatch!(b);
    return { id: b.id, commitMs: performance.now() - t0 };
  } catch (err) {
    if (!insertOne) return { id: b.id, commitMs: 0, error: describe(err) };
    // Isolate the bad record(s): one failing row must not fail everyone else's append.
    const errors: WriterReply['errors'] = [];
    for (let i = 0; i < b.rows.length; i++) {
      try {
        insertOne(b, i);
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

parentPort!.on('message', (m: WriterBatch | 'close') => {
  if (m === 'close') {
    try {
      db.pragma('wal_checkpoint(PASSIVE)'); // if busy, the next open replays the WAL anyway
    } catch {
      // the checkpointer or a reader holds it: nothing is lost
    }
    db.close();
    parentPort!.postMessage('closed');
    parentPort!.close();
    return;
  }
  parentPort!.postMessage(write(m));
});
