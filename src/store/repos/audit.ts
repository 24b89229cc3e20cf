import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database } from '../schema.js';
import type { AuditEntry, AuditRepo } from '../types.js';
import { fromJson, pageSize, toJson } from '../util.js';

type Entry = Omit<AuditEntry, 'id' | 'tenantId' | 'at'> & { at?: number };

/** Writes one audit row, inside the caller's transaction when given so the change and its record commit together. */
export async function writeAudit(db: Kysely<Database> | Transaction<Database>, clock: Clock, tenantId: string, e: Entry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: tenantId,
      at: e.at ?? clock(),
      actor: e.actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      detail: e.detail === undefined ? null : toJson(e.detail),
    })
    .execute();
}

export function auditRepo(db: Kysely<Database>, clock: Clock): AuditRepo {
  return {
    record: (tenantId, entry) => writeAudit(db, clock, tenantId, entry),
    async list(tenantId, query = {}) {
      let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
      if (query.entityType) q = q.where('entity_type', '=', query.entityType);
      if (query.entityId) q = q.where('entity_id', '=', query.entityId);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(pageSize(query.limit, 100, 1000))
        .offset(Math.max(0, query.offset ?? 0))
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        tenantId: r.tenant_id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        detail: fromJson<Record<string, unknown>>(r.detail),
      }));
    },
  };
}
