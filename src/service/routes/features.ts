// GET /v1/features: the features the configured feature engine can compute (for the editor's completion).
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context.js';
import { requireRole } from '../auth.js';

interface Def {
  name: string;
  kind: string;
  description?: string;
  agg?: string;
  attribute?: string;
  signal?: string;
  window?: string | number;
}

/** The value type a definition yields, where it is known from the definition alone. */
function typeOf(d: Def): string | undefined {
  if (d.kind === 'velocity') return d.agg === 'first_seen' || d.agg === 'last_seen' ? 'number (epoch ms)' : 'number';
  if (d.kind === 'profile') return d.attribute === 'is_known' ? 'boolean' : d.attribute === 'first_seen' || d.attribute === 'last_seen' ? 'number (epoch ms)' : 'number';
  return undefined;
}

export function featureRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get('/v1/features', { schema: { tags: ['features'], summary: 'Defined features / 特征列表' } }, async (req) => {
    requireRole(req, 'viewer');
    const defs = (ctx.features as { definitions?: readonly Def[] }).definitions ?? [];
    return {
      items: defs.map((d) => {
        const type = typeOf(d);
        return {
          name: d.name,
          kind: d.kind,
          ...(type ? { type } : {}),
          ...(d.description ? { description: d.description } : {}),
          ...(d.window !== undefined ? { window: d.window } : {}),
          ...(d.signal ? { signal: d.signal } : {}),
        };
      }),
    };
  });
}
