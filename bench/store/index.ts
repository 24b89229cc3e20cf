// Measures the decision log: group-commit appends/s on SQLite and PostgreSQL, and the start-up scan of N stored
// events on SQLite. Run by anyone:
//   npm run bench -- store --appends 50000 --scan 1000000 [--json]
//   npm run bench -- store --quick
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore, type DecisionInput, type StoreConfig } from '../../src/store/index.js';

const PG_ADMIN = process.env.XIEZHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.UTC(2026, 0, 1);

function event(i: number): DecisionInput {
  return {
    tenantId: i % 10 === 0 ? 'tenant-b' : 'tenant-a',
    eventId: `evt-${i}`,
    eventType: ['loan_application', 'login', 'payment', 'repayment'][i % 4]!,
    occurredAt: T0 + i * 50,
    subject: {
      userId: `u${i % 50_000}`,
      phone: `138${String(i % 80_000).padStart(8, '0')}`,
      deviceId: `dev-${i % 30_000}`,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
    data: { amount: (i % 997) * 100, channel: 'app', productCode: 'XJD-01' },
    decision: (['approve', 'approve', 'review', 'reject'] as const)[i % 4],
    score: (i * 37) % 1000,
    riskLevel: 'low',
    reasons: [{ code: 'VELOCITY_1H', message: 'too many applications in 1 h' }],
    outputs: { limit: 5000 },
    strategyId: 'preloan',
    strategyVersion: 3,
    rulesHit: ['r_velocity_1h'],
    features: { apps_1h: i % 7, devices_per_user_30d: i % 3 },
    latencyMs: 0.3 + (i % 10) / 10,
  };
}

async function appendRate(label: string, config: StoreConfig, n: number, concurrency: number) {
  const store = await openStore(config);
  await store.migrate();
  let next = 0;
  const t0 = performance.now();
  // `concurrency` callers each awaiting their own acknowledgement, like concurrent HTTP requests.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await store.log.append(event(next++));
    }),
  );
  const ms = performance.now() - t0;
  const count = await store.log.count('tenant-a');
  await store.close();
  const rate = Math.round(n / (ms / 1000));
  console.error(`${label}: ${n} appends, ${concurrency} concurrent: ${ms.toFixed(0)} ms = ${rate} appends/s (tenant-a rows ${count})`);
  return rate;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      appends: { type: 'string', default: '50000' },
      concurrency: { type: 'string', default: '256' },
      scan: { type: 'string', default: '1000000' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('options: --appends N (50000) --concurrency C (256) --scan N (1000000; 0 skips) --quick --json');
    return;
  }
  const appends = values.quick ? 5000 : Number(values.appends);
  const scanN = values.quick ? 50_000 : Number(values.scan);
  const conc = Number(values.concurrency);
  const result: Record<string, number | string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-measure-'));
  try {
    result.sqliteAppendsPerSec = await appendRate('sqlite (WAL, synchronous=NORMAL)', { dataDir: join(dir, 'a') }, appends, conc);
    result.sqliteFullAppendsPerSec = await appendRate('sqlite (WAL, synchronous=FULL)', { dataDir: join(dir, 'b'), sqliteSynchronous: 'full' }, appends, conc);

    const dbName = `xiezhi_measure_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    try {
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      const url = new URL(PG_ADMIN);
      url.pathname = '/' + dbName;
      try {
        result.postgresAppendsPerSec = await appendRate('postgres', { databaseUrl: url.toString() }, appends, conc);
      } finally {
        await admin.query(`drop database if exists ${dbName} with (force)`);
      }
    } catch (err) {
      result.postgresAppendsPerSec = `skipped: ${(err as Error).message}`;
    } finally {
      await admin.end().catch(() => {});
    }

    if (scanN > 0) {
      const dataDir = join(dir, 'scan');
      const store = await openStore({ dataDir, logBatchSize: 5000, logMaxDelayMs: 5 });
      await store.migrate();
      const g0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 2000 }, async () => {
          while (next < scanN) await store.log.append(event(next++));
        }),
      );
      await store.close();
      const genMs = performance.now() - g0;
      const bytes = statSync(join(dataDir, 'xiezhi.db')).size;
      console.error(`generated ${scanN} events in ${(genMs / 1000).toFixed(1)} s (${Math.round(scanN / (genMs / 1000))}/s), file ${(bytes / 1e6).toFixed(0)} MB`);

      // A restart: open the file and read every event in time order, as the service does to rebuild state.
      for (const eventsOnly of [true, false]) {
        const r0 = performance.now();
        const again = await openStore({ dataDir });
        let n = 0;
        let checksum = 0;
        for await (const e of again.log.scan({ eventsOnly })) {
          n++;
          checksum += e.occurredAt % 7;
        }
        const scanMs = performance.now() - r0;
        await again.close();
        const label = eventsOnly ? 'scan (eventsOnly)' : 'scan (full records)';
        console.error(`${label}: ${n} events in ${(scanMs / 1000).toFixed(2)} s (${Math.round(n / (scanMs / 1000))} events/s) checksum ${checksum}`);
        result.scanEvents = n;
        result[eventsOnly ? 'scanEventsOnlySeconds' : 'scanFullSeconds'] = Number((scanMs / 1000).toFixed(2));
      }
      result.generateSeconds = Number((genMs / 1000).toFixed(1));
      result.dbFileMB = Math.round(bytes / 1e6);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.json) console.log(JSON.stringify(result));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
