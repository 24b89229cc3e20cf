// `xiezhi migrate`: applies pending database migrations and exits.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import type { Command } from '../main.js';
import { openStore } from '../../store/index.js';

export const command: Command = {
  summary: 'apply database migrations (SQLite data dir or XIEZHI_DATABASE_URL) and exit',
  async run(args) {
    let values;
    try {
      values = parseArgs({ args, options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
    } catch (err) {
      console.error(`xiezhi migrate: ${(err as Error).message}`);
      return 2;
    }
    if (values.help) {
      console.log(`xiezhi migrate — apply database migrations

  --data-dir <dir>      XIEZHI_DATA_DIR       ./.xiezhi-data
  --database-url <url>  XIEZHI_DATABASE_URL   (postgres://... selects PostgreSQL)`);
      return 0;
    }
    const databaseUrl = values['database-url'] ?? (process.env.XIEZHI_DATABASE_URL || undefined);
    const dataDir = values['data-dir'] ?? (process.env.XIEZHI_DATA_DIR || './.xiezhi-data');
    if (!databaseUrl) mkdirSync(dataDir, { recursive: true });
    const store = await openStore({ databaseUrl, dataDir });
    try {
      const t0 = performance.now();
      await store.migrate();
      console.log(`xiezhi migrate: ${store.dialect} schema up to date (${Math.round(performance.now() - t0)} ms)`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
