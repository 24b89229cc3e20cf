// The decision log on an SQLite file commits on a writer thread: an append resolves only once its batch is
// committed, a row SQLite refuses fails alone, and the main connection's own transactions keep working while
// the writer commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore, type DecisionInput } from '../../src/store/index.js';
import { connect } from '../../src/store/connect.js';
import { runMigrations } from '../../src/store/migrations.js';
import { GroupCommitLog } from '../../src/store/repos/decision-log.js';

const ev = (id: string, extra: Partial<DecisionInput> = {}): DecisionInput => ({
  tenantId: 't1',
  eventId: id,
  eventType: 'payment',
  occurredAt: Date.UTC(2026, 0, 1),
  subject: { userId: 'u1', phone: '13800000000' },
  data: { amount: 1 },
  decision: 'approve',
  score: 1,
  rulesHit: ['r1', 'r2'],
  ...extra,
});

async function withStore(fn: (store: Awaited<ReturnType<typeof openStore>>, file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-writer-'));
  const store = await openStore({ dataDir: dir, logMaxDelayMs: 0 });
  try {
    await store.migrate();
    await fn(store, join(dir, 'xiezhi.db'));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a resolved append is committed: another connection sees it, rule hits counted once', async () => {
  await withStore(async (store, file) => {
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.log.append(ev(`e${i}`))));
    await store.log.append(ev('e0')); // duplicate: ignored, no second set of rule hits
    const other = new SqliteDatabase(file, { readonly: true });
    try {
      assert.equal((other.prepare('select count(*) as n from events').get() as { n: number }).n, 500);
      assert.equal((other.prepare('select count(*) as n from rule_hits').get() as { n: number }).n, 1000);
      const row = other.prepare("select s_phone, decision, score from events where event_id = 'e7'").get() as Record<string, unknown>;
      assert.deepEqual(row, { s_phone: '13800000000', decision: 'approve', score: 1 });
    } finally {
      other.close();
    }
    const m = store.log.metrics();
    assert.equal(m.committed, 501);
    assert.equal(m.pending, 0);
    assert.ok(m.batches < 501, `${m.batches} transactions: appends were grouped`);
    assert.deepEqual((await store.log.get('t1', 'e7'))?.rulesHit, ['r1', 'r2']);
  });
});

test('a row SQLite refuses fails alone; the rest of its batch commits', async () => {
  await withStore(async (store) => {
    await sql`create trigger refuse_bad before insert on events when new.event_id = 'bad' begin select raise(abort, 'refused by the test trigger'); end`.execute(store.db);
    const results = await Promise.allSettled(['a', 'bad', 'b', 'c'].map((id) => store.log.append(ev(id))));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /refused by the test trigger/);
    assert.equal(await store.log.count('t1'), 3);
    assert.equal(await store.log.get('t1', 'bad'), undefined);
    assert.equal(store.log.metrics().failed, 1);
  });
});

test('main-connection transactions that read then write succeed while the writer thread commits', async () => {
  await withStore(async (store) => {
    await store.log.append(ev('first')); // the writer thread is up and committing
    let stop = false;
    let n = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) await store.log.append(ev(`w${n++}`));
    });
    for (let i = 0; i < 20; i++) {
      // A deferred transaction here would fail with SQLITE_BUSY_SNAPSHOT whenever the writer committed
      // between its read and its write.
      await store.db.transaction().execute(async (tx) => {
        await tx.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
        await new Promise((r) => setTimeout(r, 3)); // long enough for the writer to commit in between
        await tx.insertInto('tenants').values({ id: `tenant${i}`, name: `T${i}`, created_at: Date.now() }).execute();
      });
    }
    stop = true;
    await Promise.all(writers);
    assert.equal((await store.tenants.list()).length, 20);
    assert.equal(await store.log.count('t1'), n + 1);
  });
});

test('after close, appends are refused and a reopened store finds every acknowledged record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-writer-'));
  try {
    const store = await openStore({ dataDir: dir });
    await store.migrate();
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.log.append(ev(`c${i}`))));
    await store.close();
    await assert.rejects(store.log.append(ev('late')), /closed/);
    const again = await openStore({ dataDir: dir });
    try {
      assert.equal(await again.log.count('t1'), 200);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A log on a fresh SQLite file with the checkpointer tuned for a short test. */
async function withLog(opts: { checkpointEveryMs: number; walRestartFrames: number }, fn: (log: GroupCommitLog, file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-ckpt-'));
  const { db, dialect, sqlite } = connect({ dataDir: dir });
  const log = new GroupCommitLog(db, dialect, () => Date.now(), { batchSize: 64, maxDelayMs: 0, ...opts }, sqlite);
  try {
    await runMigrations(db, dialect);
    await fn(log, join(dir, 'xiezhi.db'));
  } finally {
    await log.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows in the database file alone (a copy without its WAL), i.e. the rows checkpointed so far. */
function checkpointedRows(file: string): number {
  const copy = file + '.copy';
  copyFileSync(file, copy);
  const only = new SqliteDatabase(copy, { readonly: true });
  try {
    return (only.prepare('select count(*) as n from events').get() as { n: number }).n;
  } catch {
    return 0; // not even the schema has been copied yet
  } finally {
    only.close();
  }
}

async function waitCheckpointed(file: string, n: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let seen = checkpointedRows(file);
  while (seen < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    seen = checkpointedRows(file);
  }
  return seen;
}

test('checkpoints run beside the writer: committed rows reach the database file while appends go on', async () => {
  await withLog({ checkpointEveryMs: 10, walRestartFrames: 1_000_000 }, async (log, file) => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(ev(`k${i}`))));
    assert.equal(await waitCheckpointed(file, 300), 300, 'the checkpointer copied every committed row into the database file');
  });
});

/** The WAL header's checkpoint sequence number: it goes up each time the WAL restarts from its beginning. */
function walRestarts(file: string): number {
  const fd = openSync(file + '-wal', 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

test('under continuous appends the WAL restarts from its beginning instead of growing without bound', async () => {
  await withLog({ checkpointEveryMs: 20, walRestartFrames: 64 }, async (log, file) => {
    await log.append(ev('first'));
    assert.equal(await waitCheckpointed(file, 1), 1, 'the checkpointer is running');
    const before = walRestarts(file);
    let n = 0;
    const until = Date.now() + 1500;
    // Several writers keep a batch in flight at all times, so the WAL is never idle.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) await log.append(ev(`w${n++}`, { subject: { userId: `u${n % 997}`, phone: `138${String(n).padStart(8, '0')}` } }));
      }),
    );
    // Gaps between batches let a restart happen now and then by itself (a handful in this time); the
    // checkpointer's catch-up requests make it happen after nearly every pass that finds the WAL past 64 pages.
    const restarts = walRestarts(file) - before;
    assert.ok(restarts >= 10, `the WAL restarted ${restarts} times during ${n} appends`);
    assert.equal(await log.count('t1'), n + 1);
  });
});
