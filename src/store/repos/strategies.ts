// Strategies: an editable draft, immutable numbered versions, the current (and shadow) version per event type,
// and an audit row for every change written in the same transaction as the change.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database, StrategiesTable, StrategyBindingsTable, StrategyVersionsTable } from '../schema.js';
import type { StrategyBinding, StrategyRecord, StrategyRepo, StrategyVersion } from '../types.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { isUniqueViolation, newId, opt } from '../util.js';
import { auditRepo, writeAudit } from './audit.js';

const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const EVENT_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;

const toStrategy = (r: Selectable<StrategiesTable>): StrategyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  eventTypes: JSON.parse(r.event_types) as string[],
  draft: JSON.parse(r.draft),
  latestVersion: r.latest_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const toVersion = (r: Selectable<StrategyVersionsTable>): StrategyVersion => ({
  tenantId: r.tenant_id,
  strategyId: r.strategy_id,
  version: r.version,
  content: JSON.parse(r.content),
  eventTypes: JSON.parse(r.event_types) as string[],
  comment: r.comment,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  rolledBackFrom: opt(r.rolled_back_from),
});

const toBinding = (r: Selectable<StrategyBindingsTable>): StrategyBinding => ({
  tenantId: r.tenant_id,
  eventType: r.event_type,
  strategyId: r.strategy_id,
  version: r.version,
  shadow: r.shadow_strategy_id !== null && r.shadow_version !== null ? { strategyId: r.shadow_strategy_id, version: r.shadow_version } : undefined,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

function checkEventTypes(v: unknown, field = 'eventTypes'): string[] {
  if (!Array.isArray(v)) throw new StoreValidationError(field, 'must be an array of event types');
  for (const [i, t] of v.entries()) {
    if (typeof t !== 'string' || !EVENT_TYPE_RE.test(t)) throw new StoreValidationError(`${field}[${i}]`, 'lowercase snake_case event type');
  }
  return [...new Set(v as string[])];
}

function checkJson(v: unknown, field: string): string {
  if (v === undefined) throw new StoreValidationError(field, 'required');
  const s = JSON.stringify(v);
  if (s === undefined) throw new StoreValidationError(field, 'must be JSON');
  return s;
}

function checkActor(actor: unknown): string {
  if (typeof actor !== 'string' || !actor) throw new StoreValidationError('actor', 'required');
  return actor;
}

export function strategyRepo(db: Kysely<Database>, clock: Clock): StrategyRepo {
  const audit = auditRepo(db, clock);

  async function mustGet(tx: Kysely<Database> | Transaction<Database>, tenantId: string, id: string) {
    const r = await tx.selectFrom('strategies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw new StoreNotFoundError(`strategy ${id} not found`);
    return r;
  }

  /** Writes version latest+1 and binds it to the event types; the row lock on the strategy serialises publishers. */
  async function publishContent(
    tx: Transaction<Database>,
    tenantId: string,
    s: Selectable<StrategiesTable>,
    content: string,
    eventTypes: string[],
    actor: string,
    comment: string,
    rolledBackFrom: number | null,
  ): Promise<StrategyVersion> {
    const now = clock();
    const version = s.latest_version + 1;
    const upd = await tx
      .updateTable('strategies')
      .set({ latest_version: version, updated_at: now, updated_by: actor })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', s.id)
      .where('latest_version', '=', s.latest_version)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw new StoreConflictError(`strategy ${s.id} was published concurrently; retry`);
    const row = {
      tenant_id: tenantId,
      strategy_id: s.id,
      version,
      content,
      event_types: JSON.stringify(eventTypes),
      comment,
      published_by: actor,
      published_at: now,
      rolled_back_from: rolledBackFrom,
    };
    await tx.insertInto('strategy_versions').values(row).execute();
    for (const eventType of eventTypes) {
      await tx
        .insertInto('strategy_bindings')
        .values({ tenant_id: tenantId, event_type: eventType, strategy_id: s.id, version, shadow_strategy_id: null, shadow_version: null, updated_at: now, updated_by: actor })
        .onConflict((oc) => oc.columns(['tenant_id', 'event_type']).doUpdateSet({ strategy_id: s.id, version, updated_at: now, updated_by: actor }))
        .execute();
    }
    await writeAudit(tx, clock, tenantId, {
      actor,
      action: rolledBackFrom === null ? 'strategy.publish' : 'strategy.rollback',
      entityType: 'strategy',
      entityId: s.id,
      at: now,
      detail: { version, eventTypes, comment, ...(rolledBackFrom === null ? {} : { rolledBackFrom }) },
    });
    return toVersion(row);
  }

  const repo: StrategyRepo = {
    async create(tenantId, input, actor) {
      checkActor(actor);
      const id = input.id ?? newId('s_');
      if (!ID_RE.test(id)) throw new StoreValidationError('id', 'letters, digits, _ . - only, at most 64 characters');
      if (typeof input.name !== 'string' || !input.name.trim()) throw new StoreValidationError('name', 'required');
      const eventTypes = checkEventTypes(input.eventTypes ?? []);
      const draft = checkJson(input.draft, 'draft');
      const now = clock();
      const row = {
        tenant_id: tenantId,
        id,
        name: input.name.trim(),
        description: input.description ?? '',
        event_types: JSON.stringify(eventTypes),
        draft,
        latest_version: 0,
        created_at: now,
        updated_at: now,
        updated_by: actor,
      };
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('strategies').values(row).execute();
          await writeAudit(tx, clock, tenantId, { actor, action: 'strategy.create', entityType: 'strategy', entityId: id, at: now, detail: { name: row.name, eventTypes } });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError(`strategy ${id} already exists`);
        throw err;
      }
      return toStrategy(row);
    },
    async get(tenantId, id) {
      const r = await db.selectFrom('strategies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toStrategy(r);
    },
    async list(tenantId) {
      return (await db.selectFrom('strategies').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute()).map(toStrategy);
    },
    async updateDraft(tenantId, id, patch, actor) {
      checkActor(actor);
      const set: Partial<Selectable<StrategiesTable>> = {};
      if (patch.name !== undefined) {
        if (typeof patch.name !== 'string' || !patch.name.trim()) throw new StoreValidationError('name', 'must not be empty');
        set.name = patch.name.trim();
      }
      if (patch.description !== undefined) set.description = String(patch.description);
      if (patch.eventTypes !== undefined) set.event_types = JSON.stringify(checkEventTypes(patch.eventTypes));
      if (patch.draft !== undefined) set.draft = checkJson(patch.draft, 'draft');
      return db.transaction().execute(async (tx) => {
        await mustGet(tx, tenantId, id);
        const now = clock();
        await tx.updateTable('strategies').set({ ...set, updated_at: now, updated_by: actor }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
        await writeAudit(tx, clock, tenantId, {
          actor,
          action: 'strategy.update_draft',
          entityType: 'strategy',
          entityId: id,
          at: now,
          detail: { fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined) },
        });
        return toStrategy(await mustGet(tx, tenantId, id));
      });
    },
    async delete(tenantId, id, actor) {
      checkActor(actor);
      return db.transaction().execute(async (tx) => {
        const s = await tx.selectFrom('strategies').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
        if (!s) return false;
        const bound = await tx
          .selectFrom('strategy_bindings')
          .select('event_type')
          .where('tenant_id', '=', tenantId)
          .where((eb) => eb.or([eb('strategy_id', '=', id), eb('shadow_strategy_id', '=', id)]))
          .execute();
        if (bound.length > 0) throw new StoreConflictError(`strategy ${id} is bound to ${bound.map((b) => b.event_type).join(', ')}; unbind it first`);
        await tx.deleteFrom('strategy_versions').where('tenant_id', '=', tenantId).where('strategy_id', '=', id).execute();
        await tx.deleteFrom('strategies').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
        await writeAudit(tx, clock, tenantId, { actor, action: 'strategy.delete', entityType: 'strategy', entityId: id });
        return true;
      });
    },
    async publish(tenantId, id, input) {
      const actor = checkActor(input.actor);
      return db.transaction().execute(async (tx) => {
        const s = await mustGet(tx, tenantId, id);
        const eventTypes = checkEventTypes(input.eventTypes ?? JSON.parse(s.event_types));
        if (eventTypes.length === 0) throw new StoreValidationError('eventTypes', 'publish needs at least one event type');
        const content = input.content === undefined ? s.draft : checkJson(input.content, 'content');
        return publishContent(tx, tenantId, s, content, eventTypes, actor, input.comment ?? '', null);
      });
    },
    async rollback(tenantId, id, toVersion, input) {
      const actor = checkActor(input.actor);
      return db.transaction().execute(async (tx) => {
        const s = await mustGet(tx, tenantId, id);
        const old = await tx
          .selectFrom('strategy_versions')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('strategy_id', '=', id)
          .where('version', '=', toVersion)
          .executeTakeFirst();
        if (!old) throw new StoreNotFoundError(`strategy ${id} has no version ${toVersion}`);
        return publishContent(tx, tenantId, s, old.content, JSON.parse(old.event_types), actor, input.comment ?? `rollback to v${toVersion}`, toVersion);
      });
    },
    async getVersion(tenantId, id, version) {
      const r = await db
        .selectFrom('strategy_versions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('strategy_id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return r && toVersion(r);
    },
    async listVersions(tenantId, id) {
      const rows = await db.selectFrom('strategy_versions').selectAll().where('tenant_id', '=', tenantId).where('strategy_id', '=', id).orderBy('version').execute();
      return rows.map(toVersion);
    },
    async setShadow(tenantId, eventType, shadow, actor) {
      checkActor(actor);
      return db.transaction().execute(async (tx) => {
        const b = await tx.selectFrom('strategy_bindings').selectAll().where('tenant_id', '=', tenantId).where('event_type', '=', eventType).executeTakeFirst();
        if (!b) throw new StoreNotFoundError(`no strategy is published for event type ${eventType}`);
        if (shadow) {
          const v = await tx
            .selectFrom('strategy_versions')
            .select('version')
            .where('tenant_id', '=', tenantId)
            .where('strategy_id', '=', shadow.strategyId)
            .where('version', '=', shadow.version)
            .executeTakeFirst();
          if (!v) throw new StoreNotFoundError(`strategy ${shadow.strategyId} has no version ${shadow.version}`);
        }
        const now = clock();
        await tx
          .updateTable('strategy_bindings')
          .set({ shadow_strategy_id: shadow?.strategyId ?? null, shadow_version: shadow?.version ?? null, updated_at: now, updated_by: actor })
          .where('tenant_id', '=', tenantId)
          .where('event_type', '=', eventType)
          .execute();
        await writeAudit(tx, clock, tenantId, {
          actor,
          action: shadow ? 'strategy.shadow' : 'strategy.shadow_clear',
          entityType: 'strategy',
          entityId: shadow?.strategyId ?? b.shadow_strategy_id ?? b.strategy_id,
          at: now,
          detail: { eventType, ...(shadow ? { version: shadow.version } : {}) },
        });
        const r = await tx.selectFrom('strategy_bindings').selectAll().where('tenant_id', '=', tenantId).where('event_type', '=', eventType).executeTakeFirstOrThrow();
        return toBinding(r);
      });
    },
    async unbind(tenantId, eventType, actor) {
      checkActor(actor);
      return db.transaction().execute(async (tx) => {
        const b = await tx.selectFrom('strategy_bindings').selectAll().where('tenant_id', '=', tenantId).where('event_type', '=', eventType).executeTakeFirst();
        if (!b) return false;
        await tx.deleteFrom('strategy_bindings').where('tenant_id', '=', tenantId).where('event_type', '=', eventType).execute();
        await writeAudit(tx, clock, tenantId, { actor, action: 'strategy.unbind', entityType: 'strategy', entityId: b.strategy_id, detail: { eventType, version: b.version } });
        return true;
      });
    },
    async binding(tenantId, eventType) {
      const r = await db.selectFrom('strategy_bindings').selectAll().where('tenant_id', '=', tenantId).where('event_type', '=', eventType).executeTakeFirst();
      return r && toBinding(r);
    },
    async bindings(tenantId) {
      return (await db.selectFrom('strategy_bindings').selectAll().where('tenant_id', '=', tenantId).orderBy('event_type').execute()).map(toBinding);
    },
    history(tenantId, id, query) {
      return audit.list(tenantId, { entityType: 'strategy', entityId: id, ...query });
    },
  };
  return repo;
}
