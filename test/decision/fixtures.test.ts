// The ZEN graph fixtures (../shared/data/decisions/graphs), run like `xiezhi test --now 2025-08-19T16:55:02.078Z`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decisionFiles, fileLoader, runDecisionFile } from '../../src/decision/fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = `${root}../shared/data/decisions/graphs`;
const NOW = Date.parse('2025-08-19T16:55:02.078Z');
const skip = existsSync(dir) ? false : `fixtures not found at ${dir} (shared data absent)`;

test('at least 95% of the ZEN graph fixture cases pass (functionNode files are expected rejections)', { skip }, () => {
  let passed = 0;
  let rejected = 0;
  let total = 0;
  const failures: string[] = [];
  for (const file of decisionFiles([dir])) {
    const r = runDecisionFile(file, NOW);
    passed += r.passed;
    rejected += r.rejected?.cases ?? 0;
    total += r.passed + r.failed.length + (r.rejected?.cases ?? 0);
    for (const f of r.failed) failures.push(`${file.split('/').pop()} #${f.index}: ${f.message.slice(0, 200)}`);
  }
  assert.ok(total >= 60, `expected the full fixture set, found ${total} cases`);
  assert.ok(rejected > 0 && rejected <= 6, `only functionNode files are rejected (${rejected})`);
  const rate = (passed + rejected) / total;
  // The issue asks for ≥95%; every non-functionNode case passes today, so hold that line.
  assert.deepEqual(failures, [], 'every fixture case passes');
  assert.ok(rate >= 0.95, `pass rate ${(rate * 100).toFixed(1)}% (${passed} passed + ${rejected} rejected of ${total}):\n${failures.join('\n')}`);
});

test('`xiezhi test` prints failures with a diff, a closing "N passed, N failed" line, and exits 1 on failure', { skip }, () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', `${root}src/cli/main.ts`, 'test', ...args], { cwd: root, encoding: 'utf8' });
  const ok = cli(['--now', '2025-08-19T16:55:02.078Z', `${dir}/table-loop.json`, `${dir}/expression-passthrough.json`]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.equal(ok.stdout.trim().split('\n').pop(), '6 passed, 0 failed');
  const bad = cli([`${root}test/decision/data/wrong-expectation.json`]);
  assert.equal(bad.status, 1);
  const lines = bad.stdout.trim().split('\n');
  assert.match(lines[0]!, /FAIL .*wrong-expectation\.json #1: total: expected 99, got 3/);
  assert.equal(lines.pop(), '1 passed, 1 failed');
  const badNow = cli(['--now', 'soon', dir]);
  assert.equal(badNow.status, 2);
});

test('decisionNode keys resolve to decision files next to the file under test, never outside it', () => {
  const r = runDecisionFile(`${root}test/decision/data/sub-parent.json`, undefined);
  assert.deepEqual([r.passed, r.failed.length], [1, 0]);
  assert.throws(() => fileLoader(`${root}test/decision/data/sub-parent.json`)('../../../package.json'), /outside/);
});
