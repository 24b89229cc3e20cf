// WAL checkpoints of the SQLite file on their own thread and connection, so that no commit of the decision
// log waits for one. A PASSIVE checkpoint copies committed pages back into the database file (and syncs it)
// while the writer thread goes on committing. Under steady load the writer always commits during the pass,
// so the WAL is never entirely copied and would grow for ever: once it is past `restartFrames` and a pass
// copied all it saw, this thread reports 'caught-up'; the writer then copies the few frames committed
// meanwhile itself, before its next batch, and that batch starts the WAL from the beginning again.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

export interface CheckpointerInit {
  file: string;
  synchronous: 'normal' | 'full';
  everyMs: number;
  restartFrames: number;
}

const init = workerData as CheckpointerInit;
const db = new SqliteDatabase(init.file);
db.pragma('journal_mode = WAL');
// The sync level decides the checkpoint's fsyncs (WAL before copying, database file after): the same as the writer's.
db.pragma(`synchronous = ${init.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = 67108864');

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

function checkpoint(): CheckpointResult | undefined {
  try {
    return (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[])[0];
  } catch {
    return undefined; // busy or locked: the next tick tries again
  }
}

const copiedAll = (r: CheckpointResult | undefined): boolean => !!r && r.checkpointed === r.log;

function tick(): void {
  const r = checkpoint();
  if (!r || r.log < init.restartFrames || !copiedAll(r)) return;
  // The writer went on committing during that pass; a second one copies just that, quickly, so that the
  // writer's own catch-up, which its next batch waits for, has next to nothing left to copy.
  if (copiedAll(checkpoint())) parentPort!.postMessage('caught-up');
}

const timer = setInterval(tick, init.everyMs);

parentPort!.on('message', (m: 'close') => {
  if (m !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort!.postMessage('closed');
  parentPort!.close();
});
