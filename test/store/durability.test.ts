// Every acknowledged append survives a SIGKILL of the writing process (on SQLite WAL and on PostgreSQL).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import { PG_ADMIN_URL, dialects } from './dialects.js';

const fixture = new URL('./fixtures/append-until-killed.ts', import.meta.url).pathname;

/** Runs the writer until it has acknowledged `minAcks` appends (1,000 is plenty to kill it mid-batch; more only
 * lengthens the test on a busy disk), kills it with SIGKILL, returns the acknowledged ids. */
function runAndKill(target: string, minAcks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buf = '';
    let err = '';
    let killed = false;
    // A writer that cannot reach minAcks (a stuck store) must fail the test, not hang the suite.
    const watchdog = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
      reject(new Error(`writer acknowledged only ${acked.length}/${minAcks} appends in 90 s: ${err}`));
    }, 90_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (!killed && acked.length >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}

const [sqlite, postgres] = await dialects('durability');

describe('acknowledged appends survive SIGKILL', () => {
  test('SQLite file (WAL, synchronous=NORMAL)', { skip: sqlite!.skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiezhi-kill-'));
    try {
      const acked = await runAndKill(dir, 1000);
      const store = await openStore({ dataDir: dir });
      try {
        const stored = await store.log.count('t1');
        assert.ok(stored >= acked.length, `stored ${stored} < acknowledged ${acked.length}`);
        for (const id of acked) assert.ok(await store.log.get('t1', id), `acknowledged ${id} missing after SIGKILL`);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL', { skip: postgres!.skip }, async () => {
    const db = `xiezhi_test_${process.pid}_kill`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${db}`);
    after(async () => {
      await admin.query(`drop database if exists ${db} with (force)`);
      await admin.end();
    });
    const url = new URL(PG_ADMIN_URL);
    url.pathname = '/' + db;
    const acked = await runAndKill(url.toString(), 1000);
    const store = await openStore({ databaseUrl: url.toString() });
    try {
      const ids = new Set((await store.db.selectFrom('events').select('event_id').where('tenant_id', '=', 't1').execute()).map((r) => r.event_id));
      const missing = acked.filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], 'every acknowledged append is stored');
      assert.ok(acked.length >= 1000);
    } finally {
      await store.close();
    }
  });
});
