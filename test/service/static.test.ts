import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { buildApp } from '../../src/service/app.js';

test('serves the built console at / (SPA fallback), API 404s stay JSON', async () => {
  const web = mkdtempSync(join(tmpdir(), 'xiezhi-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  const app = await buildApp({ store, webDir: web, processMetrics: false });
  try {
    const root = await app.inject({ method: 'GET', url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(root.body, /console/);
    assert.equal((await app.inject({ method: 'GET', url: '/assets/app.js' })).body, 'console.log(1)');
    const deep = await app.inject({ method: 'GET', url: '/strategies/pre-loan', headers: { accept: 'text/html' } });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /console/);
    const api = await app.inject({ method: 'GET', url: '/v1/nothing', headers: { accept: 'text/html' } });
    assert.equal(api.statusCode, 401, 'API paths are never the SPA');
  } finally {
    await app.close();
    await store.close();
    rmSync(web, { recursive: true, force: true });
  }
});

test('without a built console, / explains how to build it', async () => {
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  const app = await buildApp({ store, webDir: join(tmpdir(), 'no-such-web-dir'), processMetrics: false });
  const r = await app.inject({ method: 'GET', url: '/' });
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /npm run build --workspace web/);
  assert.match(r.body, /控制台尚未构建/);
  await app.close();
  await store.close();
});
