// Shared set-up for the service tests: a migrated store, two tenants with API keys, and the app.
import { readFileSync } from 'node:fs';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { buildApp, type XiezhiApp } from '../../src/service/app.js';
import type { FeatureProvider } from '../../src/core/feature-provider.js';

export const PRE_LOAN = JSON.parse(readFileSync(new URL('../../examples/strategies/pre-loan.json', import.meta.url), 'utf8')) as {
  id: string;
  draft: { nodes: unknown[]; edges: unknown[]; tests: unknown[] };
};

export interface Harness {
  app: XiezhiApp;
  store: Store;
  keyA: string;
  keyB: string;
  /** Tenant ids of keyA / keyB (unique per harness, so suites can share one database). */
  ta: string;
  tb: string;
  close(): Promise<void>;
  req(method: string, url: string, body?: unknown, key?: string, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string }>;
}

let harnesses = 0;

export async function harness(opts: { store?: Store; features?: FeatureProvider; now?: () => number } = {}): Promise<Harness> {
  const store = opts.store ?? (await openStore({ dataDir: ':memory:', clock: opts.now }));
  await store.migrate();
  const ta = `ta${++harnesses}`;
  const tb = `tb${harnesses}`;
  await store.tenants.create({ id: ta, name: 'Tenant A' });
  await store.tenants.create({ id: tb, name: 'Tenant B' });
  const keyA = (await store.apiKeys.create(ta, { name: 'a' })).key;
  const keyB = (await store.apiKeys.create(tb, { name: 'b' })).key;
  const app = await buildApp({ store, features: opts.features, processMetrics: false, templatesDir: new URL('../../examples/strategies', import.meta.url).pathname });
  await app.ready();
  return {
    app,
    store,
    keyA,
    keyB,
    ta,
    tb,
    async close() {
      await app.close();
      await store.close();
    },
    async req(method, url, body, key = keyA, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (key) h.authorization = `Bearer ${key}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      const res = await app.inject({ method: method as 'GET', url, headers: h, payload });
      let json: any;
      try {
        json = res.json();
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json, text: res.body };
    },
  };
}

let n = 0;
export function loanEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    id: `ev-${process.pid}-${n}`,
    type: 'loan_application',
    occurredAt: '2026-11-24T10:00:00.000Z',
    subject: { userId: `u${n}`, phone: '13812345678', idNumber: '110101199003071234' },
    data: { amount: 500000, income: 800000, age: 30, creditInquiries30d: 0, existingLoans: 0 },
    ...over,
  };
}

/** Creates and publishes the pre-loan template for tenant of `key`. */
export async function publishPreLoan(h: Harness, key = h.keyA): Promise<void> {
  const c = await h.req('POST', '/v1/strategies', { id: 'pre-loan', name: 'pre-loan', eventTypes: ['loan_application'], draft: PRE_LOAN.draft }, key);
  if (c.status !== 201) throw new Error(`create failed: ${c.text}`);
  const p = await h.req('POST', '/v1/strategies/pre-loan/publish', { comment: 'v1' }, key);
  if (p.status !== 201) throw new Error(`publish failed: ${p.text}`);
}
