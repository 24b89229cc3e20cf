// Console accounts: scrypt password hashes (node:crypto), sessions as sha256 of a random token with expiry.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database, UsersTable } from '../schema.js';
import { USER_ROLES, type SessionRecord, type UserRecord, type UserRepo, type UserRole } from '../types.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { isUniqueViolation, newId, opt, sha256 } from '../util.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };
const DEFAULT_SESSION_MS = 12 * 3600_000;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url), self-describing so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

// A real hash to compare against when the user does not exist, so timing does not reveal usernames.
let dummyHash: Promise<string> | undefined;

const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  username: r.username,
  role: r.role as UserRole,
  createdAt: r.created_at,
  disabledAt: opt(r.disabled_at),
});

function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < 8) throw new StoreValidationError('password', 'at least 8 characters');
  if (password.length > 1024) throw new StoreValidationError('password', 'at most 1024 characters');
}

function checkRole(role: unknown): asserts role is UserRole {
  if (!USER_ROLES.includes(role as UserRole)) throw new StoreValidationError('role', `one of ${USER_ROLES.join(', ')}`);
}

export function userRepo(db: Kysely<Database>, clock: Clock): UserRepo {
  const repo: UserRepo = {
    async create(tenantId, input) {
      const username = input.username?.trim();
      if (!username || username.length > 64) throw new StoreValidationError('username', 'required, at most 64 characters');
      checkPassword(input.password);
      checkRole(input.role);
      const row = {
        id: newId('u_'),
        tenant_id: tenantId,
        username,
        password_hash: await hashPassword(input.password),
        role: input.role,
        created_at: clock(),
        disabled_at: null,
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflictError(`user ${username} already exists`);
        throw err;
      }
      return toUser(row);
    },
    async get(tenantId, id) {
      const r = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async findByUsername(tenantId, username) {
      const r = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username).executeTakeFirst();
      return r && toUser(r);
    },
    async list(tenantId) {
      return (await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('username').execute()).map(toUser);
    },
    async verifyPassword(tenantId, username, password) {
      if (typeof password !== 'string' || password.length > 1024) return undefined;
      const r = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username).executeTakeFirst();
      if (!r) {
        await verifyPasswordHash(password, await (dummyHash ??= hashPassword('dummy-password')));
        return undefined;
      }
      const ok = await verifyPasswordHash(password, r.password_hash);
      return ok && r.disabled_at === null ? toUser(r) : undefined;
    },
    async setPassword(tenantId, id, password) {
      checkPassword(password);
      const hash = await hashPassword(password);
      const r = await db.updateTable('users').set({ password_hash: hash }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async setRole(tenantId, id, role) {
      checkRole(role);
      const r = await db.updateTable('users').set({ role }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async disable(tenantId, id) {
      const now = clock();
      return db.transaction().execute(async (tx) => {
        const r = await tx.updateTable('users').set({ disabled_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
        await tx.updateTable('sessions').set({ revoked_at: now }).where('tenant_id', '=', tenantId).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
        return Number(r.numUpdatedRows) > 0;
      });
    },
    async createSession(tenantId, userId, ttlMs = DEFAULT_SESSION_MS) {
      const user = await repo.get(tenantId, userId);
      if (!user || user.disabledAt !== undefined) throw new StoreNotFoundError(`user ${userId} not found or disabled`);
      if (!(ttlMs > 0)) throw new StoreValidationError('ttlMs', 'must be positive');
      const token = 'xzs_' + randomBytes(32).toString('base64url');
      const now = clock();
      const session: SessionRecord = { id: newId('s_'), tenantId, userId, createdAt: now, expiresAt: now + ttlMs };
      await db
        .insertInto('sessions')
        .values({ id: session.id, tenant_id: tenantId, user_id: userId, token_hash: sha256(token), created_at: now, expires_at: session.expiresAt, revoked_at: null })
        .execute();
      return { token, session };
    },
    async verifySession(token) {
      if (typeof token !== 'string' || token.length < 16) return undefined;
      const s = await db
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', sha256(token))
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', clock())
        .executeTakeFirst();
      if (!s) return undefined;
      const user = await repo.get(s.tenant_id, s.user_id);
      if (!user || user.disabledAt !== undefined) return undefined;
      return { session: { id: s.id, tenantId: s.tenant_id, userId: s.user_id, createdAt: s.created_at, expiresAt: s.expires_at }, user };
    },
    async revokeSession(token) {
      const r = await db.updateTable('sessions').set({ revoked_at: clock() }).where('token_hash', '=', sha256(token)).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async purgeExpiredSessions() {
      const r = await db.deleteFrom('sessions').where('expires_at', '<=', clock()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
  return repo;
}
