// Bearer authentication for /v1: an API key or a console session token, both resolved to a tenant.
// Verified tokens are cached briefly (the hot path must not hash + query per request); revocation through
// this process drops the cache entry at once, other processes see it within `ttlMs`.
import type { FastifyRequest } from 'fastify';
import type { Store, UserRole } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { forbidden, unauthorized } from './errors.js';

export interface AuthContext {
  tenantId: string;
  kind: 'apiKey' | 'session';
  /** For the audit trail: `apikey:<id>` or `user:<username>`. */
  actor: string;
  role: UserRole;
  apiKeyId?: string;
  user?: { id: string; username: string; role: UserRole };
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

const RANK: Record<UserRole, number> = { viewer: 0, reviewer: 1, analyst: 2, admin: 3 };

export class Authenticator {
  private readonly cache = new Map<string, { ctx: AuthContext; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ttlMs = 10_000,
  ) {}

  /** The caller from the cache, without a promise; undefined when the token must be verified. Throws 401 on a malformed header. */
  cached(req: FastifyRequest): AuthContext | undefined {
    const hit = this.cache.get(bearerToken(req));
    return hit && hit.until > this.clock() ? hit.ctx : undefined;
  }

  async authenticate(req: FastifyRequest): Promise<AuthContext> {
    const token = bearerToken(req);
    const now = this.clock();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return hit.ctx;
    let ctx: AuthContext | undefined;
    const key = await this.store.apiKeys.verify(token);
    if (key) {
      ctx = { tenantId: key.tenantId, kind: 'apiKey', actor: `apikey:${key.id}`, role: 'admin', apiKeyId: key.id, token };
      const last = this.touched.get(key.id) ?? 0;
      if (now - last > 60_000) {
        this.touched.set(key.id, now);
        this.store.apiKeys.touch(key.id, now).catch(() => undefined);
      }
    } else {
      const s = await this.store.users.verifySession(token);
      if (s) {
        ctx = {
          tenantId: s.session.tenantId,
          kind: 'session',
          actor: `user:${s.user.username}`,
          role: s.user.role,
          user: { id: s.user.id, username: s.user.username, role: s.user.role },
          token,
        };
        this.cache.set(token, { ctx, until: Math.min(now + this.ttlMs, s.session.expiresAt) });
        return ctx;
      }
    }
    if (!ctx) {
      this.cache.delete(token);
      throw unauthorized();
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { ctx, until: now + this.ttlMs });
    return ctx;
  }

  /** Drops cached tokens of an API key, a session token, or every session of a user (role change, disable). */
  forget(match: { apiKeyId?: string; token?: string; userId?: string }): void {
    if (match.token) this.cache.delete(match.token);
    if (match.userId) for (const [t, e] of this.cache) if (e.ctx.user?.id === match.userId) this.cache.delete(t);
    if (match.apiKeyId) for (const [t, e] of this.cache) if (e.ctx.apiKeyId === match.apiKeyId) this.cache.delete(t);
  }
}

function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (!h || !h.startsWith('Bearer ') || h.length < 16 || h.length > 512) throw unauthorized();
  return h.slice(7).trim();
}

/** Throws 403 unless the caller's role is at least `role`. */
export function requireRole(req: FastifyRequest, role: UserRole): AuthContext {
  const a = req.auth;
  if (!a) throw unauthorized();
  if (RANK[a.role] < RANK[role]) throw forbidden(`role ${a.role} may not do this; needs ${role} / 权限不足`);
  return a;
}

export function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}
