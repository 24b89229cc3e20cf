// Start-up time of the embedded service with a large stored log: open + migrate + scan every event (ids for
// the idempotency filter, replay into the feature engine) + listen. `npm run bench -- service --startup 1000000`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { startServer } from '../../src/service/server.js';

export async function measureStartup(n: number, log: (s: string) => void): Promise<{ events: number; generateSec: number; startupMs: number; scanMs: number; bareMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-startup-'));
  try {
    const t0 = performance.now();
    const store = await openStore({ dataDir: dir, logBatchSize: 2048 });
    await store.migrate();
    await store.tenants.create({ id: 'demo', name: 'demo' });
    const start = Date.UTC(2026, 9, 1);
    let pending: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      pending.push(
        store.log.append({
          tenantId: 'demo',
          eventId: `s-${i}`,
          eventType: i % 3 === 0 ? 'loan_application' : i % 3 === 1 ? 'login' : 'payment',
          occurredAt: start + i * 100,
          subject: { userId: `u${i % 50_000}`, deviceId: `d${i % 30_000}`, phone: `138${String(i % 80_000).padStart(8, '0')}`, ip: `10.0.${(i >> 8) & 255}.${i & 255}` },
          data: { amount: (i % 997) * 100, success: true },
          decision: 'approve',
          score: 0,
          riskLevel: 'low',
          strategyId: 'pre-loan',
          strategyVersion: 1,
        }),
      );
      if (pending.length >= 4096) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    await store.close();
    const generateSec = Math.round((performance.now() - t0) / 100) / 10;
    log(`generated ${n} stored events in ${generateSec} s`);
    // First without feature definitions (log scan for the id filter only), then the full embedded start.
    const t2 = performance.now();
    const bare = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, seed: true, logLevel: 'silent', demoApplicants: 0, featuresFile: join(dir, 'none.json') });
    const bareMs = Math.round(performance.now() - t2);
    await bare.stop();
    log(`start-up with ${bare.rebuilt.events} stored events, no feature definitions: ${bareMs} ms`);
    const t1 = performance.now();
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, seed: true, logLevel: 'silent', demoApplicants: 0 });
    const startupMs = Math.round(performance.now() - t1);
    await server.stop();
    log(`start-up with ${server.rebuilt.events} stored events, 11 feature definitions replayed: ${startupMs} ms (log scan + feature replay ${server.rebuilt.ms} ms)`);
    return { events: server.rebuilt.events, generateSec, startupMs, scanMs: server.rebuilt.ms, bareMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
