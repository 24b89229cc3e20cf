// Without Redis the Redis half of the suite is skipped with a message — except under CI=true, where it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { featureNamesOf } from '../../src/features/index.js';

const script = `
import { redisSkip } from './test/features/helpers.ts';
redisSkip().then((r) => console.log('SKIP:' + r), (e) => console.log('FAIL:' + e.message));
`;

function probe(ci: boolean): string {
  const env: Record<string, string | undefined> = { ...process.env, XIEZHI_REDIS_URL: 'redis://127.0.0.1:1', CI: ci ? 'true' : 'false' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8', timeout: 20_000 });
  return r.stdout.trim();
}

test('an unreachable Redis skips with a clear message, and fails when CI=true', () => {
  assert.match(probe(false), /^SKIP:Redis not reachable at redis:\/\/127\.0\.0\.1:1: Redis store tests skipped/);
  assert.match(probe(true), /^FAIL:Redis is required when CI=true/);
});

test('a strategy’s dependency paths name the features to compute', () => {
  assert.deepEqual(featureNamesOf(['data.amount', 'features.card_1h', 'features.card_1h', 'features.graph.x', 'features.', 'featuresx.y']), ['card_1h', 'graph.x']);
});
