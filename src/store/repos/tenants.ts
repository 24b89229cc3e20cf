import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database } from '../schema.js';
import type { Tenant, TenantRepo } from '../types.js';
import { StoreConflictError, StoreValidationError } from '../errors.js';
import { isUniqueViolation, newId } from '../util.js';

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function tenantRepo(db: Kysely<Database>, clock: Clock): TenantRepo {
  const toTenant = (r: { id: string; name: string; created_at: number }): Tenant => ({ id: r.id, name: r.name, createdAt: r.created_at });
  return {
    async create(input) {
      const id = input.id ?? newId('t_');
      if (!ID_RE.test(id)) throw new StoreValidationError('id', 'letters, digits, _ and - only, at most 64 characters');
      if (!input.name?.trim()) throw new StoreValidationError('name', 'required');
      const row = { id, name: input.name.trim(), created_at: clock() };
      try {
        await db.insertInto('tenants').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError(`tenant ${id} already exists`);
        throw err;
      }
      return toTenant(row);
    },
    async get(id) {
      const r = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toTenant(r);
    },
    async list() {
      return (await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute()).map(toTenant);
    },
  };
}
