// Console login/logout/me, console users, and per-tenant API keys.
import type { FastifyInstance } from 'fastify';
import { USER_ROLES } from '../../store/types.js';
import type { ApiKeyRecord, UserRecord, UserRole } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { authOf, requireRole } from '../auth.js';
import { HttpError, badRequest, conflict, fromStoreError, notFound } from '../errors.js';
import { toIso } from '../schemas.js';

export const DEFAULT_TENANT = 'demo';

const keyOut = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: toIso(k.createdAt),
  ...(k.lastUsedAt ? { lastUsedAt: toIso(k.lastUsedAt) } : {}),
  ...(k.revokedAt ? { revokedAt: toIso(k.revokedAt) } : {}),
});
const userOut = (u: UserRecord) => ({ id: u.id, tenantId: u.tenantId, username: u.username, role: u.role, createdAt: toIso(u.createdAt), ...(u.disabledAt ? { disabledAt: toIso(u.disabledAt) } : {}) });

export function authRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const { store } = ctx;
  app.post(
    '/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Console login / 登录',
        security: [],
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 128 },
            password: { type: 'string', minLength: 1, maxLength: 256 },
            tenant: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
      },
    },
    async (req) => {
      const b = req.body as { username: string; password: string; tenant?: string };
      const tenantId = b.tenant ?? DEFAULT_TENANT;
      const user = await store.users.verifyPassword(tenantId, b.username, b.password);
      if (!user) throw new HttpError(401, 'unauthorized', 'wrong username or password / 用户名或密码错误', [{ field: 'body.password', message: 'does not match' }]);
      const { token, session } = await store.users.createSession(tenantId, user.id);
      return { token, expiresAt: toIso(session.expiresAt), user: userOut(user) };
    },
  );

  app.post('/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Log out / 退出' } }, async (req, reply) => {
    const a = authOf(req);
    if (a.kind !== 'session') throw new HttpError(400, 'validation', 'logout ends a console session; API keys are revoked with DELETE /v1/api-keys/:id', [{ field: 'headers.authorization', message: 'is not a session token' }]);
    await store.users.revokeSession(a.token);
    ctx.auth.forget({ token: a.token });
    reply.code(204);
    return null;
  });

  app.get('/v1/auth/me', { schema: { tags: ['auth'], summary: 'Who am I / 当前用户' } }, async (req) => {
    const a = authOf(req);
    const tenant = await store.tenants.get(a.tenantId);
    return {
      tenant: { id: a.tenantId, name: tenant?.name ?? a.tenantId },
      role: a.role,
      ...(a.user ? { user: a.user } : {}),
      ...(a.apiKeyId ? { apiKey: { id: a.apiKeyId } } : {}),
    };
  });

  app.get('/v1/users', { schema: { tags: ['auth'], summary: 'Console users / 用户' } }, async (req) => {
    const a = requireRole(req, 'admin');
    return { items: (await store.users.list(a.tenantId)).map(userOut) };
  });

  app.post(
    '/v1/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a console user / 新建用户',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,64}$' },
            password: { type: 'string', minLength: 8, maxLength: 256 },
            role: { type: 'string', enum: [...USER_ROLES] },
          },
        },
      },
    },
    async (req, reply) => {
      const a = requireRole(req, 'admin');
      const b = req.body as { username: string; password: string; role: UserRole };
      try {
        const u = await store.users.create(a.tenantId, b);
        await store.audit.record(a.tenantId, { actor: a.actor, action: 'user.create', entityType: 'user', entityId: u.id, detail: { username: u.username, role: u.role } });
        reply.code(201);
        return userOut(u);
      } catch (err) {
        throw fromStoreError(err);
      }
    },
  );

  // Role change and disabling. The store cannot re-enable an account, so `disabled: false` is refused.
  // Admins cannot demote or disable themselves: that is how a tenant loses its last administrator.
  app.patch(
    '/v1/users/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change a user\'s role or disable the user / 修改用户角色或停用',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 128 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            role: { type: 'string', enum: [...USER_ROLES] },
            disabled: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => {
      const a = requireRole(req, 'admin');
      const { id } = req.params as { id: string };
      const b = req.body as { role?: UserRole; disabled?: boolean };
      if (b.disabled === false) throw badRequest([{ field: 'body.disabled', message: 'can only be true: a disabled account cannot be re-enabled / 已停用的账号不能重新启用' }]);
      const user = await store.users.get(a.tenantId, id);
      if (!user) throw notFound(`user ${id}`);
      if (a.user?.id === id) {
        if (b.disabled) throw conflict('you cannot disable your own account / 不能停用自己的账号', [{ field: 'body.disabled', message: 'is your own account' }]);
        if (b.role !== undefined && b.role !== user.role) throw conflict('you cannot change your own role / 不能修改自己的角色', [{ field: 'body.role', message: 'is your own account' }]);
      }
      if (user.disabledAt !== undefined && b.role !== undefined && b.role !== user.role) throw conflict(`user ${user.username} is disabled / 该用户已停用`, [{ field: 'body.role', message: 'user is disabled' }]);
      if (b.role !== undefined && b.role !== user.role) {
        await store.users.setRole(a.tenantId, id, b.role);
        await store.audit.record(a.tenantId, { actor: a.actor, action: 'user.role', entityType: 'user', entityId: id, detail: { username: user.username, from: user.role, to: b.role } });
      }
      if (b.disabled && user.disabledAt === undefined) {
        await store.users.disable(a.tenantId, id);
        await store.audit.record(a.tenantId, { actor: a.actor, action: 'user.disable', entityType: 'user', entityId: id, detail: { username: user.username } });
      }
      // The user's signed-in sessions must see the new role (or be refused) now, not when the cache expires.
      ctx.auth.forget({ userId: id });
      const after = await store.users.get(a.tenantId, id);
      if (!after) throw notFound(`user ${id}`);
      return userOut(after);
    },
  );

  app.get('/v1/api-keys', { schema: { tags: ['auth'], summary: 'API keys / 接口密钥' } }, async (req) => {
    const a = requireRole(req, 'admin');
    return { items: (await store.apiKeys.list(a.tenantId)).map(keyOut) };
  });

  app.post(
    '/v1/api-keys',
    { schema: { tags: ['auth'], summary: 'Create an API key (shown once) / 新建密钥', body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } } } },
    async (req, reply) => {
      const a = requireRole(req, 'admin');
      const { key, record } = await store.apiKeys.create(a.tenantId, { name: (req.body as { name: string }).name });
      await store.audit.record(a.tenantId, { actor: a.actor, action: 'apikey.create', entityType: 'apikey', entityId: record.id, detail: { name: record.name } });
      reply.code(201);
      return { key, record: keyOut(record) };
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    { schema: { tags: ['auth'], summary: 'Revoke an API key / 吊销密钥', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 128 } } } } },
    async (req, reply) => {
      const a = requireRole(req, 'admin');
      const { id } = req.params as { id: string };
      if (!(await store.apiKeys.revoke(a.tenantId, id))) throw notFound(`API key ${id}`);
      ctx.auth.forget({ apiKeyId: id });
      await store.audit.record(a.tenantId, { actor: a.actor, action: 'apikey.revoke', entityType: 'apikey', entityId: id });
      reply.code(204);
      return null;
    },
  );
}
