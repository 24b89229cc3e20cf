// First start of the embedded mode: a demo tenant with an admin, an API key, the template strategies
// published, demo name lists and a week of demo traffic decided as it happened (so the dashboard has history).
import { randomBytes } from 'node:crypto';
import type { FeatureProvider } from '../core/feature-provider.js';
import type { ModelHost } from '../decision/index.js';
import type { Store } from '../store/types.js';
import { Decider } from './decider.js';
import { generateDemo } from './demo-data.js';
import { noopFeatureProvider } from './noop-features.js';
import { StrategyRuntime } from './strategy-runtime.js';
import { storeTenantLists } from './store-tenant-lists.js';
import { loadTemplates } from './templates.js';

export const DEMO_TENANT = 'demo';

export interface SeedOptions {
  /** XIEZHI_BOOTSTRAP_API_KEY: the demo tenant's first key (≥ 24 characters); generated when absent. */
  bootstrapApiKey?: string;
  /** XIEZHI_BOOTSTRAP_ADMIN_PASSWORD: the first password of `admin`; generated when absent. */
  bootstrapAdminPassword?: string;
  templatesDir: string;
  /** Demo applicants to simulate (0: no demo traffic). Default 200. */
  demoApplicants?: number;
  features?: FeatureProvider;
  models?: ModelHost;
}

export interface SeedResult {
  tenantId: string;
  /** False when the tenant already existed (nothing was changed except a missing bootstrap key). */
  created: boolean;
  /** Plaintext API key, when one was created now. */
  apiKey?: string;
  /** Plaintext admin password, when the admin was created now. */
  adminPassword?: string;
  strategies: string[];
  demoEvents: number;
}

export async function seedEmbedded(store: Store, o: SeedOptions): Promise<SeedResult> {
  const existing = await store.tenants.get(DEMO_TENANT);
  if (existing) {
    const res: SeedResult = { tenantId: DEMO_TENANT, created: false, strategies: [], demoEvents: 0 };
    // A bootstrap key given later (or rotated) is honoured: scripts rely on it.
    if (o.bootstrapApiKey && !(await store.apiKeys.verify(o.bootstrapApiKey))) {
      await store.apiKeys.create(DEMO_TENANT, { name: 'bootstrap', key: o.bootstrapApiKey });
      res.apiKey = o.bootstrapApiKey;
    }
    return res;
  }
  await store.tenants.create({ id: DEMO_TENANT, name: '演示机构 Demo Lender' });
  const adminPassword = o.bootstrapAdminPassword || randomBytes(12).toString('base64url');
  await store.users.create(DEMO_TENANT, { username: 'admin', password: adminPassword, role: 'admin' });
  const { key } = await store.apiKeys.create(DEMO_TENANT, { name: 'bootstrap', ...(o.bootstrapApiKey ? { key: o.bootstrapApiKey } : {}) });
  const actor = 'system:seed';

  const templates = await loadTemplates(o.templatesDir).catch(() => []);
  const strategies: string[] = [];
  for (const t of templates) {
    await store.strategies.create(DEMO_TENANT, { id: t.id, name: t.name, description: t.description, eventTypes: t.eventTypes, draft: t.draft }, actor);
    await store.strategies.publish(DEMO_TENANT, t.id, { actor, comment: 'template / 模板' });
    strategies.push(t.id);
  }

  const demo = generateDemo({ applicants: o.demoApplicants ?? 200, endAt: store.clock() });
  // Demo lists: a phone blacklist from a shared industry source, one ring phone included, and a device greylist.
  const phones = await store.lists.createList(DEMO_TENANT, { id: 'black-phone', name: '金融黑名单-手机号', dimension: 'phone', kind: 'black', description: '行业共享黑名单 demo' }, actor);
  const ringPhone = demo.events.find((e) => e.subject.userId?.startsWith('r1'))?.subject.phone;
  await store.lists.upsertEntries(
    DEMO_TENANT,
    phones.id,
    [
      { value: '13900000001', category: '小贷类', riskIntensity: 'high', collectionCount: 5, source: '行业共享', reason: '多头逾期' },
      { value: '13700000002', category: '消金类', riskIntensity: 'medium', collectionCount: 2, source: '行业共享', reason: '欺诈申请' },
      ...(ringPhone ? [{ value: ringPhone, category: '混合金融类' as const, riskIntensity: 'high' as const, collectionCount: 3, source: '行业共享', reason: '团伙欺诈' }] : []),
    ],
    actor,
  );
  await store.lists.createList(DEMO_TENANT, { id: 'grey-device', name: '设备灰名单', dimension: 'deviceId', kind: 'grey', description: '可疑设备' }, actor);
  await store.lists.createList(DEMO_TENANT, { id: 'white-user', name: '白名单客户', dimension: 'userId', kind: 'white', description: '优质老客户' }, actor);

  let demoEvents = 0;
  if ((o.demoApplicants ?? 200) > 0 && demo.events.length > 0) {
    // Each demo event is decided as of its own time, so the stats show it spread over the week.
    let now = demo.events[0]!.occurredAt;
    const clock = () => now;
    const lists = storeTenantLists(store);
    const features = o.features ?? noopFeatureProvider;
    const runtime = new StrategyRuntime({ store, clock, lists, models: o.models, bindingTtlMs: Number.MAX_SAFE_INTEGER });
    const decider = new Decider({ store, clock, features, runtime, ackBeforeCommit: true });
    for (const e of demo.events) {
      now = e.occurredAt;
      await decider.decide(DEMO_TENANT, e, false);
      demoEvents++;
    }
    await decider.pendingCommits();
    lists.close();
    for (const l of demo.labels) await store.labels.add(DEMO_TENANT, { ...l, source: 'demo' });
  }
  return { tenantId: DEMO_TENANT, created: true, apiKey: key, adminPassword, strategies, demoEvents };
}
