// Runs one repository suite against both dialects: SQLite in memory, and the real PostgreSQL server in a fresh
// database per test file (xiezhi_test_<pid>_<tag>) so parallel runs never clash. PostgreSQL unreachable:
// the suite is skipped with a message, except under CI=true where that is a failure.
import pg from 'pg';
import { sql } from 'kysely';
import type { Clock } from '../../src/core/clock.js';
import { openStore, type Store, type StoreConfig } from '../../src/store/index.js';

export const PG_ADMIN_URL = process.env.XIEZHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DialectUnderTest {
  name: 'sqlite' | 'postgres';
  /** A reason to skip, or false. */
  skip: string | false;
  /** Opens a migrated store on a fresh database. */
  open(extra?: Partial<StoreConfig> & { clock?: Clock }): Promise<Store>;
  /** Drops what open() created. */
  cleanup(): Promise<void>;
}

/** Why the test PostgreSQL server cannot be used, or undefined when it answers. */
export async function pgReachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dialects(tag: string): Promise<DialectUnderTest[]> {
  const pgError = await pgReachable();
  if (pgError && process.env.CI === 'true') {
    throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is unreachable (${pgError}); CI=true requires it`);
  }
  if (pgError) console.warn(`# skipping PostgreSQL repository tests: ${PG_ADMIN_URL} unreachable (${pgError})`);
  let n = 0;
  const created: string[] = [];
  const stores: Store[] = [];
  return [
    {
      name: 'sqlite',
      skip: false,
      async open(extra = {}) {
        const s = await openStore({ dataDir: ':memory:', ...extra });
        await s.migrate();
        stores.push(s);
        return s;
      },
      async cleanup() {
        for (const s of stores.splice(0)) await s.close().catch(() => {});
      },
    },
    {
      name: 'postgres',
      skip: pgError ? `PostgreSQL unreachable: ${pgError}` : false,
      async open(extra = {}) {
        // One database per test file (creating one costs ~0.5 s); later opens start from empty tables.
        const db = `xiezhi_test_${process.pid}_${tag}`;
        if (created.length === 0) {
          await admin((c) => c.query(`create database ${db}`));
          created.push(db);
        }
        const url = new URL(PG_ADMIN_URL);
        url.pathname = '/' + db;
        const s = await openStore({ databaseUrl: url.toString(), poolSize: 4, ...extra });
        await s.migrate();
        if (n++ > 0) {
          const tables = await s.db.introspection.getTables();
          const names = tables.map((t) => `"${t.name}"`).filter((t) => !t.startsWith('"kysely_'));
          await sql.raw(`truncate ${names.join(', ')} restart identity`).execute(s.db);
        }
        stores.push(s);
        return s;
      },
      async cleanup() {
        for (const s of stores.splice(0)) await s.close().catch(() => {});
        for (const db of created.splice(0)) await admin((c) => c.query(`drop database if exists ${db} with (force)`));
      },
    },
  ];
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { set(t: number): void; advance(ms: number): void } {
  let now = start;
  const c = (() => now) as Clock & { set(t: number): void; advance(ms: number): void };
  c.set = (t) => (now = t);
  c.advance = (ms) => (now += ms);
  return c;
}
