// The one migration set for SQLite and PostgreSQL. Only the auto-increment key differs by dialect.
// Kysely's Migrator records applied migrations and takes a lock, so migrate() is idempotent and safe to race.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './types.js';

function migrations(dialect: Dialect): Record<string, Migration> {
  // SQLite's INTEGER PRIMARY KEY is the rowid (auto-assigned); PostgreSQL needs a sequence.
  const autoId = dialect === 'sqlite' ? sql`integer primary key autoincrement` : sql`bigserial primary key`;
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('tenants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant_id').execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('disabled_at', 'bigint')
          .addUniqueConstraint('users_tenant_username', ['tenant_id', 'username'])
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').columns(['tenant_id', 'user_id']).execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('id', autoId)
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_entity').on('audit_log').columns(['tenant_id', 'entity_type', 'entity_id', 'id']).execute();

        await db.schema
          .createTable('strategies')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('draft', 'text', (c) => c.notNull())
          .addColumn('latest_version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('strategies_pk', ['tenant_id', 'id'])
          .execute();

        await db.schema
          .createTable('strategy_versions')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('strategy_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text', (c) => c.notNull())
          .addColumn('published_at', 'bigint', (c) => c.notNull())
          .addColumn('rolled_back_from', 'integer')
          .addPrimaryKeyConstraint('strategy_versions_pk', ['tenant_id', 'strategy_id', 'version'])
          .execute();

        await db.schema
          .createTable('strategy_bindings')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('strategy_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('shadow_strategy_id', 'text')
          .addColumn('shadow_version', 'integer')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('strategy_bindings_pk', ['tenant_id', 'event_type'])
          .execute();

        let events = db.schema
          .createTable('events')
          .addColumn('seq', autoId)
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'bigint', (c) => c.notNull())
          .addColumn('recorded_at', 'bigint', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('payload_hash', 'text', (c) => c.notNull())
          .addColumn('decision', 'text')
          .addColumn('score', 'double precision')
          .addColumn('risk_level', 'text')
          .addColumn('reasons', 'text')
          .addColumn('outputs', 'text')
          .addColumn('strategy_id', 'text')
          .addColumn('strategy_version', 'integer')
          .addColumn('rules_hit', 'text')
          .addColumn('trace', 'text')
          .addColumn('features', 'text')
          .addColumn('latency_ms', 'double precision')
          .addColumn('degraded', 'text')
          .addColumn('shadow', 'text');
        for (const col of SUBJECT_COLUMNS) events = events.addColumn(col, 'text');
        await events.addUniqueConstraint('events_tenant_event', ['tenant_id', 'event_id']).execute();
        await db.schema.createIndex('events_tenant_time').on('events').columns(['tenant_id', 'occurred_at', 'seq']).execute();
        await db.schema.createIndex('events_time').on('events').columns(['occurred_at', 'seq']).execute();
        await db.schema.createIndex('events_tenant_recorded').on('events').columns(['tenant_id', 'recorded_at']).execute();
        await db.schema.createIndex('events_tenant_strategy').on('events').columns(['tenant_id', 'strategy_id', 'strategy_version']).execute();
        for (const col of SUBJECT_COLUMNS) {
          await db.schema.createIndex(`events_${col}`).on('events').columns(['tenant_id', col]).where(sql.ref(col), 'is not', null).execute();
        }

        await db.schema
          .createTable('rule_hits')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rule_hits_time').on('rule_hits').columns(['tenant_id', 'recorded_at']).execute();

        await db.schema
          .createTable('labels')
          .addColumn('id', autoId)
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text')
          .addColumn('subject', 'text')
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('observed_at', 'bigint', (c) => c.notNull())
          .addColumn('source', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('labels_event').on('labels').columns(['tenant_id', 'event_id']).execute();
        await db.schema.createIndex('labels_time').on('labels').columns(['tenant_id', 'observed_at']).execute();
        await db.schema
          .createTable('label_subjects')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('label_id', 'bigint', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('label_subjects_value').on('label_subjects').columns(['tenant_id', 'field', 'value']).execute();
        await db.schema.createIndex('label_subjects_label').on('label_subjects').columns(['tenant_id', 'label_id']).execute();

        await db.schema
          .createTable('name_lists')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('dimension', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('name_lists_pk', ['tenant_id', 'id'])
          .execute();
        await db.schema
          .createTable('list_entries')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('list_id', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('category', 'text')
          .addColumn('risk_intensity', 'integer')
          .addColumn('collection_count', 'integer', (c) => c.notNull())
          .addColumn('source', 'text')
          .addColumn('reason', 'text')
          .addColumn('expires_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('list_entries_pk', ['tenant_id', 'list_id', 'value'])
          .execute();
        await db.schema.createIndex('list_entries_expiry').on('list_entries').columns(['expires_at']).where(sql.ref('expires_at'), 'is not', null).execute();
      },
    },
    // Statement (流水) reports per tenant, found by id or by the applicant's userId / idNumber (latest first).
    // `features` holds the flat `features.statement.*` values so decisions never parse the whole report.
    '0002_statement_reports': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('statement_reports')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('id_number', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('features', 'text', (c) => c.notNull())
          .addColumn('report', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('statement_reports_pk', ['tenant_id', 'id'])
          .execute();
        for (const col of ['user_id', 'id_number']) {
          await db.schema
            .createIndex(`statement_reports_${col}`)
            .on('statement_reports')
            .columns(['tenant_id', col, 'created_at'])
            .where(sql.ref(col), 'is not', null)
            .execute();
        }
      },
    },
    // Model registry per tenant (ModelRepository over SQL): immutable numbered versions of each model id.
    // `content` is the whole version (artifact, binning, metrics) as JSON; the other columns serve listings.
    '0003_model_versions': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('model_versions')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('author', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('metrics', 'text')
          .addColumn('content', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('model_versions_pk', ['tenant_id', 'model_id', 'version'])
          .execute();
      },
    },
  };
}

export const SUBJECT_COLUMNS = ['s_user_id', 's_phone', 's_id_number', 's_bank_card', 's_device_id', 's_ip', 's_email'] as const;

export async function runMigrations(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
