// API keys: only sha256(key) is stored. A key carries ≥192 bits of entropy, so a fast hash suffices
// (no salt/KDF needed, unlike passwords) and lookup is one indexed equality.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { ApiKeysTable, Database } from '../schema.js';
import type { ApiKeyRecord, ApiKeyRepo } from '../types.js';
import { StoreConflictError, StoreValidationError } from '../errors.js';
import { isUniqueViolation, newId, opt, sha256 } from '../util.js';

const toRecord = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: opt(r.last_used_at),
  revokedAt: opt(r.revoked_at),
});

export function apiKeyRepo(db: Kysely<Database>, clock: Clock): ApiKeyRepo {
  return {
    async create(tenantId, input) {
      const key = input.key ?? 'xz_' + randomBytes(32).toString('base64url');
      if (key.length < 24) throw new StoreValidationError('key', 'at least 24 characters');
      if (!input.name?.trim()) throw new StoreValidationError('name', 'required');
      const row = {
        id: newId('k_'),
        tenant_id: tenantId,
        name: input.name.trim(),
        prefix: key.slice(0, 7),
        key_hash: sha256(key),
        created_at: clock(),
        last_used_at: null,
        revoked_at: null,
      };
      try {
        await db.insertInto('api_keys').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError('this API key is already registered');
        throw err;
      }
      return { key, record: toRecord(row) };
    },
    async verify(key) {
      if (typeof key !== 'string' || key.length < 24) return undefined;
      const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', sha256(key)).where('revoked_at', 'is', null).executeTakeFirst();
      return r && toRecord(r);
    },
    async touch(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at ?? clock() }).where('id', '=', id).execute();
    },
    async list(tenantId) {
      return (await db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute()).map(toRecord);
    },
    async revoke(tenantId, id) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: clock() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
