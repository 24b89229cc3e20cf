// Name lists (black/white/grey by dimension) and their entries. Values are stored normalised for the list's
// dimension so the in-memory index (src/lists) and the database agree on what "the same value" is.
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { normalizeValue } from '../../lists/normalize.js';
import type { Database, ListEntriesTable, NameListsTable } from '../schema.js';
import {
  LIST_CATEGORIES,
  LIST_DIMENSIONS,
  LIST_KINDS,
  type ListCategory,
  type ListChange,
  type ListDimension,
  type ListEntry,
  type ListEntryInput,
  type ListKind,
  type ListRepo,
  type NameList,
} from '../types.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { isUniqueViolation, newId, opt, pageSize } from '../util.js';
import { writeAudit } from './audit.js';

const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_VALUE = 512;
const CHUNK = 400;

const toList = (r: Selectable<NameListsTable>): NameList => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  dimension: r.dimension as ListDimension,
  kind: r.kind as ListKind,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toEntry = (r: Selectable<ListEntriesTable>): ListEntry => ({
  tenantId: r.tenant_id,
  listId: r.list_id,
  value: r.value,
  category: opt(r.category) as ListCategory | undefined,
  riskIntensity: opt(r.risk_intensity),
  collectionCount: r.collection_count,
  source: opt(r.source),
  reason: opt(r.reason),
  expiresAt: opt(r.expires_at),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const INTENSITY_WORDS: Record<string, number> = { low: 1, medium: 3, high: 5 };

/** 1..5 from a number or low/medium/high (also 低/中/高); undefined when absent; throws when invalid. */
export function parseRiskIntensity(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    const w = INTENSITY_WORDS[v.trim().toLowerCase()] ?? { 低: 1, 中: 3, 高: 5 }[v.trim()];
    if (w !== undefined) return w;
    v = Number(v);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) throw new StoreValidationError(field, 'an integer 1..5 or low / medium / high');
  return v;
}

/** Validates one entry and returns the row to store (value normalised). */
export function entryRow(dimension: string, e: ListEntryInput, field: string, tenantId: string, listId: string, now: number) {
  if (typeof e?.value !== 'string') throw new StoreValidationError(`${field}.value`, 'required');
  const value = normalizeValue(dimension, e.value);
  if (!value) throw new StoreValidationError(`${field}.value`, 'empty after normalisation');
  if (value.length > MAX_VALUE) throw new StoreValidationError(`${field}.value`, `at most ${MAX_VALUE} characters`);
  if (e.category !== undefined && !LIST_CATEGORIES.includes(e.category)) throw new StoreValidationError(`${field}.category`, `one of ${LIST_CATEGORIES.join(', ')}`);
  const riskIntensity = parseRiskIntensity(e.riskIntensity, `${field}.riskIntensity`);
  const count = e.collectionCount ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new StoreValidationError(`${field}.collectionCount`, 'an integer ≥ 1');
  if (e.expiresAt !== undefined && !Number.isFinite(e.expiresAt)) throw new StoreValidationError(`${field}.expiresAt`, 'epoch milliseconds');
  const text = (v: unknown, name: string): string | null => {
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string' || v.length > 1000) throw new StoreValidationError(`${field}.${name}`, 'a string of at most 1000 characters');
    return v;
  };
  return {
    tenant_id: tenantId,
    list_id: listId,
    value,
    category: e.category ?? null,
    risk_intensity: riskIntensity ?? null,
    collection_count: count,
    source: text(e.source, 'source'),
    reason: text(e.reason, 'reason'),
    expires_at: e.expiresAt ?? null,
    created_at: now,
    updated_at: now,
  };
}

export function listRepo(db: Kysely<Database>, clock: Clock): ListRepo {
  const listeners = new Set<(c: ListChange) => void>();
  const emit = (c: ListChange): void => {
    for (const l of listeners) {
      try {
        l(c);
      } catch {
        // A faulty listener must not undo a committed change nor starve the others.
      }
    }
  };

  async function mustGetList(tenantId: string, id: string): Promise<NameList> {
    const r = await db.selectFrom('name_lists').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw new StoreNotFoundError(`list ${id} not found`);
    return toList(r);
  }

  const repo: ListRepo = {
    async createList(tenantId, input, actor) {
      const id = input.id ?? newId('l_');
      if (!ID_RE.test(id)) throw new StoreValidationError('id', 'letters, digits, _ . - only, at most 64 characters');
      if (typeof input.name !== 'string' || !input.name.trim()) throw new StoreValidationError('name', 'required');
      if (!LIST_DIMENSIONS.includes(input.dimension)) throw new StoreValidationError('dimension', `one of ${LIST_DIMENSIONS.join(', ')}`);
      if (!LIST_KINDS.includes(input.kind)) throw new StoreValidationError('kind', `one of ${LIST_KINDS.join(', ')}`);
      const now = clock();
      const row = { tenant_id: tenantId, id, name: input.name.trim(), dimension: input.dimension, kind: input.kind, description: input.description ?? '', created_at: now, updated_at: now };
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('name_lists').values(row).execute();
          await writeAudit(tx, clock, tenantId, { actor, action: 'list.create', entityType: 'list', entityId: id, at: now, detail: { dimension: row.dimension, kind: row.kind } });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError(`list ${id} already exists`);
        throw err;
      }
      return toList(row);
    },
    async getList(tenantId, id) {
      const r = await db.selectFrom('name_lists').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toList(r);
    },
    async lists(tenantId, query = {}) {
      let q = db.selectFrom('name_lists').selectAll().where('tenant_id', '=', tenantId);
      if (query.dimension) q = q.where('dimension', '=', query.dimension);
      if (query.kind) q = q.where('kind', '=', query.kind);
      return (await q.orderBy('id').execute()).map(toList);
    },
    async updateList(tenantId, id, patch, actor) {
      const set: { name?: string; kind?: string; description?: string } = {};
      if (patch.name !== undefined) {
        if (typeof patch.name !== 'string' || !patch.name.trim()) throw new StoreValidationError('name', 'must not be empty');
        set.name = patch.name.trim();
      }
      if (patch.kind !== undefined) {
        if (!LIST_KINDS.includes(patch.kind)) throw new StoreValidationError('kind', `one of ${LIST_KINDS.join(', ')}`);
        set.kind = patch.kind;
      }
      if (patch.description !== undefined) set.description = String(patch.description);
      await mustGetList(tenantId, id);
      const now = clock();
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('name_lists').set({ ...set, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
        await writeAudit(tx, clock, tenantId, { actor, action: 'list.update', entityType: 'list', entityId: id, at: now, detail: set });
      });
      const list = await mustGetList(tenantId, id);
      emit({ tenantId, listId: id, op: 'updateList', list });
      return list;
    },
    async deleteList(tenantId, id, actor) {
      const deleted = await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('list_entries').where('tenant_id', '=', tenantId).where('list_id', '=', id).execute();
        const r = await tx.deleteFrom('name_lists').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await writeAudit(tx, clock, tenantId, { actor, action: 'list.delete', entityType: 'list', entityId: id });
        return true;
      });
      if (deleted) emit({ tenantId, listId: id, op: 'dropList' });
      return deleted;
    },
    async upsertEntries(tenantId, listId, entries, actor) {
      const list = await mustGetList(tenantId, listId);
      if (!Array.isArray(entries)) throw new StoreValidationError('entries', 'must be an array');
      const now = clock();
      // Validate everything first; the last occurrence of a value wins.
      const byValue = new Map<string, ReturnType<typeof entryRow>>();
      entries.forEach((e, i) => {
        const row = entryRow(list.dimension, e, `entries[${i}]`, tenantId, listId, now);
        byValue.set(row.value, row);
      });
      const rows = [...byValue.values()];
      let updated = 0;
      const stored: ListEntry[] = [];
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          const existing = await tx
            .selectFrom('list_entries')
            .select(['value', 'created_at'])
            .where('tenant_id', '=', tenantId)
            .where('list_id', '=', listId)
            .where(
              'value',
              'in',
              chunk.map((r) => r.value),
            )
            .execute();
          const created = new Map(existing.map((r) => [r.value, r.created_at]));
          updated += created.size;
          await tx
            .insertInto('list_entries')
            .values(chunk)
            .onConflict((oc) =>
              oc.columns(['tenant_id', 'list_id', 'value']).doUpdateSet((eb) => ({
                category: eb.ref('excluded.category'),
                risk_intensity: eb.ref('excluded.risk_intensity'),
                collection_count: eb.ref('excluded.collection_count'),
                source: eb.ref('excluded.source'),
                reason: eb.ref('excluded.reason'),
                expires_at: eb.ref('excluded.expires_at'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
          for (const r of chunk) stored.push(toEntry({ ...r, created_at: created.get(r.value) ?? r.created_at }));
        }
        await tx.updateTable('name_lists').set({ updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', listId).execute();
        await writeAudit(tx, clock, tenantId, {
          actor,
          action: 'list.upsert_entries',
          entityType: 'list',
          entityId: listId,
          at: now,
          detail: { inserted: rows.length - updated, updated },
        });
      });
      emit({ tenantId, listId, op: 'upsert', entries: stored, list });
      return { inserted: rows.length - updated, updated };
    },
    async getEntry(tenantId, listId, value) {
      const list = await repo.getList(tenantId, listId);
      if (!list) return undefined;
      const r = await db
        .selectFrom('list_entries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('list_id', '=', listId)
        .where('value', '=', normalizeValue(list.dimension, value))
        .executeTakeFirst();
      return r && toEntry(r);
    },
    async entries(tenantId, listId, query = {}) {
      let q = db.selectFrom('list_entries').selectAll().where('tenant_id', '=', tenantId).where('list_id', '=', listId);
      if (!query.includeExpired) {
        const now = clock();
        q = q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      }
      if (query.search) q = q.where('value', 'like', `%${query.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      const rows = await q
        .orderBy('value')
        .limit(pageSize(query.limit, 100, 100_000))
        .offset(Math.max(0, query.offset ?? 0))
        .execute();
      return rows.map(toEntry);
    },
    async countEntries(tenantId, listId, includeExpired = false) {
      let q = db.selectFrom('list_entries').where('tenant_id', '=', tenantId).where('list_id', '=', listId);
      if (!includeExpired) {
        const now = clock();
        q = q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      }
      const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async deleteEntries(tenantId, listId, values, actor) {
      const list = await mustGetList(tenantId, listId);
      const normalised = [...new Set(values.map((v) => normalizeValue(list.dimension, String(v))))];
      let n = 0;
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < normalised.length; i += CHUNK) {
          const r = await tx
            .deleteFrom('list_entries')
            .where('tenant_id', '=', tenantId)
            .where('list_id', '=', listId)
            .where('value', 'in', normalised.slice(i, i + CHUNK))
            .executeTakeFirst();
          n += Number(r.numDeletedRows);
        }
        await writeAudit(tx, clock, tenantId, { actor, action: 'list.delete_entries', entityType: 'list', entityId: listId, detail: { deleted: n } });
      });
      emit({ tenantId, listId, op: 'delete', values: normalised, list });
      return n;
    },
    async purgeExpired(tenantId, now = clock()) {
      let q = db.deleteFrom('list_entries').where('expires_at', '<=', now);
      if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async *scanEntries(tenantId) {
      const lists = new Map((await repo.lists(tenantId)).map((l) => [l.id, l]));
      let after: [string, string] | undefined;
      for (;;) {
        let q = db.selectFrom('list_entries').selectAll().where('tenant_id', '=', tenantId);
        if (after) {
          const [l, v] = after;
          q = q.where((eb) => eb.or([eb('list_id', '>', l), eb.and([eb('list_id', '=', l), eb('value', '>', v)])]));
        }
        const rows = await q.orderBy('list_id').orderBy('value').limit(5000).execute();
        for (const r of rows) {
          const list = lists.get(r.list_id);
          if (list) yield { list, entry: toEntry(r) };
        }
        if (rows.length < 5000) return;
        const last = rows[rows.length - 1]!;
        after = [last.list_id, last.value];
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return repo;
}
