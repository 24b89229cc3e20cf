// `xiezhi test` / `xiezhi eval` on strategy documents ({id, name, draft}), the form of examples/strategies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `${root}src/cli/main.ts`, ...args], { cwd: root, encoding: 'utf8', input });

const graph = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'in', position: { x: 0, y: 0 } },
    { id: 'e', type: 'expressionNode', name: 'e', position: { x: 0, y: 0 }, content: { expressions: [{ id: 'x', key: 'big', value: 'amount > 100' }, { id: 'y', key: 'twice', value: 'amount * 2' }] } },
    { id: 'out', type: 'outputNode', name: 'out', position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: 'a', sourceId: 'in', targetId: 'e' },
    { id: 'b', sourceId: 'e', targetId: 'out' },
  ],
};

test('the example strategy templates pass their own tests from the command line', () => {
  const r = cli(['test', 'examples/strategies']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout.trim().split('\n').pop()!, /^[1-9]\d* passed, 0 failed$/);
});

test('strategy documents compare expected fields only; bare graphs compare the whole output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xz-cli-'));
  try {
    const tests = [{ input: { amount: 150 }, output: { big: true } }];
    writeFileSync(join(dir, 'strategy.json'), JSON.stringify({ id: 's', name: 'S', draft: { ...graph, tests } }));
    writeFileSync(join(dir, 'bare.json'), JSON.stringify({ ...graph, tests }));
    const s = cli(['test', join(dir, 'strategy.json')]);
    assert.equal(s.status, 0, s.stdout);
    assert.equal(s.stdout.trim().split('\n').pop(), '1 passed, 0 failed');
    const b = cli(['test', join(dir, 'bare.json')]);
    assert.equal(b.status, 1, 'the bare graph also outputs `twice`, which its expectation does not have');
    assert.match(b.stdout, /twice/);
    const wrong = [{ input: { amount: 50 }, output: { big: true } }];
    writeFileSync(join(dir, 'strategy.json'), JSON.stringify({ id: 's', name: 'S', draft: { ...graph, tests: wrong } }));
    assert.equal(cli(['test', join(dir, 'strategy.json')]).status, 1, 'a pinned field that differs still fails');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path with no test cases is an error, not "0 passed"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xz-cli-'));
  try {
    writeFileSync(join(dir, 'g.json'), JSON.stringify(graph));
    const r = cli(['test', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no test cases found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('xiezhi eval runs a strategy template, with empty name lists offline', () => {
  const r = cli(['eval', 'examples/strategies/pre-loan.json'], JSON.stringify({ subject: { userId: 'u1' }, data: { amount: 500000, income: 100, age: 30 } }));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { decision: string; riskLevel: string };
  assert.ok(['approve', 'review', 'reject'].includes(out.decision));
  assert.ok(['low', 'medium', 'high'].includes(out.riskLevel));
});
