import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const file = `${root}test/decision/data/wrong-expectation.json`;
const evalCli = (args: string[], stdin: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${root}src/cli/main.ts`, 'eval', ...args], { cwd: root, input: stdin, encoding: 'utf8' });

test('`xiezhi eval` prints the result JSON; --trace adds per-node traces', () => {
  const r = evalCli([file], '{"a": 40, "b": 2}');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { total: 42 });
  const t = evalCli([file, '--trace', '--now', '2025-08-19T16:55:02.078Z'], '{"a": 1, "b": 1}');
  const out = JSON.parse(t.stdout) as { result: unknown; trace: Record<string, { kind: string }> };
  assert.deepEqual(out.result, { total: 2 });
  assert.equal(out.trace.sum!.kind, 'expressionNode');
});

test('`xiezhi eval` rejects bad input JSON, empty stdin and missing files with exit 2', () => {
  const bad = evalCli([file], '{"a": ');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not valid JSON/);
  assert.equal(evalCli([file], '').status, 2);
  const missing = evalCli(['/nonexistent/decision.json'], '{}');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read/);
});
