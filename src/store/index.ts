// The store: one Kysely database (embedded SQLite or PostgreSQL) and the repositories over it.
import { sql } from 'kysely';
import { systemClock } from '../core/clock.js';
import { connect } from './connect.js';
import { runMigrations } from './migrations.js';
import { apiKeyRepo } from './repos/api-keys.js';
import { auditRepo } from './repos/audit.js';
import { GroupCommitLog } from './repos/decision-log.js';
import { labelRepo } from './repos/labels.js';
import { listRepo } from './repos/lists.js';
import { strategyRepo } from './repos/strategies.js';
import { tenantRepo } from './repos/tenants.js';
import { userRepo } from './repos/users.js';
import type { Store, StoreConfig } from './types.js';

export * from './types.js';
export { StoreConflictError, StoreNotFoundError, StoreValidationError } from './errors.js';
export { payloadHash, canonicalJson } from './util.js';
export { hashPassword, verifyPasswordHash } from './repos/users.js';
export { BUILTIN_LABELS } from './repos/labels.js';
export { isPostgresUrl } from './connect.js';

/** Store configuration from XIEZHI_DATABASE_URL / XIEZHI_DATA_DIR (flags override by passing their own values). */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return {
    databaseUrl: env.XIEZHI_DATABASE_URL || undefined,
    dataDir: env.XIEZHI_DATA_DIR || undefined,
    sqliteSynchronous: env.XIEZHI_SQLITE_SYNCHRONOUS === 'full' ? 'full' : undefined,
  };
}

/**
 * Opens the database named by `databaseUrl` (postgres://...) or the SQLite file `<dataDir>/xiezhi.db`
 * (dataDir ':memory:' for tests). Call `migrate()` before use; `close()` drains the decision log.
 */
export async function openStore(config: StoreConfig = {}): Promise<Store> {
  const clock = config.clock ?? systemClock;
  const { db, dialect, sqlite } = connect(config);
  const log = new GroupCommitLog(db, dialect, clock, {
    batchSize: Math.max(1, config.logBatchSize ?? 512),
    maxDelayMs: Math.max(0, config.logMaxDelayMs ?? 3),
  }, sqlite);
  let closed = false;
  return {
    dialect,
    clock,
    db,
    migrate: () => runMigrations(db, dialect),
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    tenants: tenantRepo(db, clock),
    apiKeys: apiKeyRepo(db, clock),
    users: userRepo(db, clock),
    audit: auditRepo(db, clock),
    strategies: strategyRepo(db, clock),
    log,
    labels: labelRepo(db, clock),
    lists: listRepo(db, clock),
    async close() {
      if (closed) return;
      closed = true;
      await log.close();
      await db.destroy();
    },
  };
}
