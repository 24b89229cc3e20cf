import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerArgs, serverHelp } from '../../src/service/cli-config.js';

test('flags override XIEZHI_* variables, which override defaults', () => {
  const d = parseServerArgs([], true, {});
  assert.ok(!d.help && 'config' in d);
  assert.equal(d.config.port, 8080);
  assert.equal(d.config.host, '127.0.0.1');
  assert.equal(d.config.dataDir, './.xiezhi-data');
  const e = parseServerArgs([], false, { XIEZHI_PORT: '9000', XIEZHI_DATA_DIR: '/data', XIEZHI_DATABASE_URL: 'postgres://x@h/db', XIEZHI_REDIS_URL: 'redis://r:6379', XIEZHI_NATS_URL: 'nats://n:4222' });
  assert.ok('config' in e);
  assert.deepEqual([e.config.port, e.config.dataDir, e.config.databaseUrl, e.config.redisUrl, e.config.natsUrl, e.config.seed], [9000, '/data', 'postgres://x@h/db', 'redis://r:6379', 'nats://n:4222', false]);
  const f = parseServerArgs(['--port', '7000', '--data-dir', 'here', '--host', '0.0.0.0'], true, { XIEZHI_PORT: '9000' });
  assert.ok('config' in f);
  assert.deepEqual([f.config.port, f.config.dataDir, f.config.host], [7000, 'here', '0.0.0.0']);
});

test('bad flags and values are reported, not thrown', () => {
  const bad = parseServerArgs(['--port', 'http'], true, {});
  assert.ok('error' in bad && /--port/.test(bad.error));
  const unknown = parseServerArgs(['--nope'], true, {});
  assert.ok('error' in unknown && /nope/.test(unknown.error));
  const shortKey = parseServerArgs([], true, { XIEZHI_BOOTSTRAP_API_KEY: 'short' });
  assert.ok('error' in shortKey && /24/.test(shortKey.error));
  assert.equal(parseServerArgs(['--help'], true, {}).help, true);
});

test('--help lists every option and variable', () => {
  const h = serverHelp('start', 'x');
  for (const s of ['--port', 'XIEZHI_PORT', '--host', '--data-dir', 'XIEZHI_DATA_DIR', '--database-url', 'XIEZHI_DATABASE_URL', '--redis-url', 'XIEZHI_REDIS_URL', '--nats-url', 'XIEZHI_BOOTSTRAP_API_KEY', 'XIEZHI_BOOTSTRAP_ADMIN_PASSWORD']) {
    assert.ok(h.includes(s), s);
  }
});
