// The route suite against the real PostgreSQL server (a fresh database per test, dropped afterwards).
// Unreachable: skipped with a message, except under CI=true where that is a failure.
import { after, test } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import { routeSuite } from './route-suite.js';
import { PG_ADMIN_URL, pgReachable } from '../store/dialects.js';

const ADMIN_URL = PG_ADMIN_URL;

const problem = await pgReachable();
if (problem && process.env.CI === 'true') {
  test('PostgreSQL is reachable (CI=true)', () => {
    throw new Error(`PostgreSQL at ${ADMIN_URL} is unreachable: ${problem}`);
  });
} else if (problem) {
  test(`postgres route suite skipped: ${ADMIN_URL} unreachable (${problem})`, (t) => t.skip(problem));
} else {
  const created: string[] = [];
  let db: string | undefined;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  after(async () => {
    for (const db of created) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  });
  // One database for the file; every test works in its own fresh tenants.
  routeSuite('postgres', async () => {
    if (!db) {
      db = `xiezhi_svc_${process.pid}_${Date.now().toString(36)}`;
      await admin(`CREATE DATABASE ${db}`);
      created.push(db);
    }
    const url = new URL(ADMIN_URL);
    url.pathname = `/${db}`;
    return openStore({ databaseUrl: url.toString() });
  });
}
