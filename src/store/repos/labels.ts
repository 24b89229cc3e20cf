// Labels: outcomes observed after the fact (fraud, chargeback, default, good ...) for rule statistics and training.
// Subject identifiers are also written one per row to label_subjects so a label is found by any of them.
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Subject } from '../../core/event.js';
import type { Database, LabelsTable } from '../schema.js';
import type { LabelRecord, LabelRepo } from '../types.js';
import { StoreValidationError } from '../errors.js';
import { fromJson, opt, pageSize } from '../util.js';

export const BUILTIN_LABELS = ['fraud', 'chargeback', 'default', 'good'] as const;
const LABEL_RE = /^[a-z][a-z0-9_]{0,63}$/;

const toLabel = (r: Selectable<LabelsTable>): LabelRecord => ({
  id: Number(r.id),
  tenantId: r.tenant_id,
  eventId: opt(r.event_id),
  subject: fromJson<Subject>(r.subject),
  label: r.label,
  observedAt: r.observed_at,
  source: opt(r.source),
  createdAt: r.created_at,
});

export function labelRepo(db: Kysely<Database>, clock: Clock): LabelRepo {
  return {
    async add(tenantId, input) {
      const subjectFields = Object.entries(input.subject ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
      if (!input.eventId && subjectFields.length === 0) throw new StoreValidationError('eventId', 'eventId or a subject with at least one identifier is required');
      if (input.eventId !== undefined && (typeof input.eventId !== 'string' || !input.eventId)) throw new StoreValidationError('eventId', 'must be a non-empty string');
      if (typeof input.label !== 'string' || !LABEL_RE.test(input.label)) {
        throw new StoreValidationError('label', `${BUILTIN_LABELS.join(' | ')} or a custom lowercase snake_case label`);
      }
      if (!Number.isFinite(input.observedAt)) throw new StoreValidationError('observedAt', 'epoch milliseconds');
      const row = {
        tenant_id: tenantId,
        event_id: input.eventId ?? null,
        subject: subjectFields.length ? JSON.stringify(Object.fromEntries(subjectFields)) : null,
        label: input.label,
        observed_at: input.observedAt,
        source: input.source ?? null,
        created_at: clock(),
      };
      const id = await db.transaction().execute(async (tx) => {
        const r = await tx.insertInto('labels').values(row).returning('id').executeTakeFirstOrThrow();
        const labelId = Number(r.id);
        if (subjectFields.length) {
          await tx
            .insertInto('label_subjects')
            .values(subjectFields.map(([field, value]) => ({ tenant_id: tenantId, label_id: labelId, field, value })))
            .execute();
        }
        return labelId;
      });
      return toLabel({ ...row, id });
    },
    async list(tenantId, query = {}) {
      let q = db.selectFrom('labels').selectAll().where('tenant_id', '=', tenantId);
      if (query.eventId !== undefined) q = q.where('event_id', '=', query.eventId);
      if (query.label !== undefined) q = q.where('label', '=', query.label);
      if (query.from !== undefined) q = q.where('observed_at', '>=', query.from);
      if (query.to !== undefined) q = q.where('observed_at', '<', query.to);
      if (query.subject) {
        const { field, value } = query.subject;
        q = q.where('id', 'in', (eb) =>
          eb.selectFrom('label_subjects').select('label_id').where('tenant_id', '=', tenantId).where('field', '=', field).where('value', '=', value),
        );
      }
      const rows = await q
        .orderBy('observed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize(query.limit, 100, 10_000))
        .offset(Math.max(0, query.offset ?? 0))
        .execute();
      return rows.map(toLabel);
    },
    async delete(tenantId, id) {
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('label_subjects').where('tenant_id', '=', tenantId).where('label_id', '=', id).execute();
        const r = await tx.deleteFrom('labels').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },
  };
}
