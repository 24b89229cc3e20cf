// Opens a Kysely instance for the configured database: PostgreSQL through `pg` when the URL says so,
// otherwise the embedded SQLite file through better-sqlite3 in WAL mode.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect, StoreConfig } from './types.js';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only), for the bulk paths that bypass query building. */
  sqlite?: SqliteDatabase.Database;
}

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//i.test(url);

// int8 (count(*), bigint time columns) arrives as a string by default; our values fit in a double.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * Transactions take the write lock up front (`begin immediate`, waiting up to busy_timeout). The decision
 * log commits from its own connection on a writer thread; a deferred transaction that read first and then
 * wrote would fail at once with SQLITE_BUSY_SNAPSHOT whenever that writer committed in between.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

export function connect(config: StoreConfig): Connection {
  if (isPostgresUrl(config.databaseUrl)) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize ?? 10, types: pgTypes as any });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  const dir = config.dataDir ?? 'data';
  let file = ':memory:';
  if (dir !== ':memory:') {
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'xiezhi.db');
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL: a commit survives a killed process but may be lost on power failure (docs/storage.md).
  sqlite.pragma(`synchronous = ${config.sqliteSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // The decision log's writer thread checkpoints a file database between its batches; a checkpoint here
  // would stall request handling (it copies the whole WAL back into the file).
  if (file !== ':memory:') sqlite.pragma('wal_autocheckpoint = 0');
  return { db: new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) }), dialect: 'sqlite', sqlite };
}
