// Every strategy template under examples/strategies compiles, passes its own embedded tests through the
// engine, and rejects a blacklisted subject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { compileDecision } from '../../src/decision/index.js';
import { runGraphTests } from '../../src/service/strategy-tests.js';
import { BUILTIN_EVENT_TYPES } from '../../src/core/event.js';

const dir = new URL('../../examples/strategies/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const BLACK_USER = 'black-user-1';
const lists = { lookup: (d: string, v: string) => (d === 'userId' && v === BLACK_USER ? [{ listId: 'bl', kind: 'black' as const }] : []) };

test('the five template families are present', () => {
  const ids = files.map((f) => f.replace('.json', '')).sort();
  assert.deepEqual(ids, ['drawdown', 'login-register', 'payment-transfer', 'post-loan', 'pre-loan']);
});

for (const f of files) {
  test(`template ${f}: embedded tests pass`, () => {
    const t = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    assert.equal(t.id, f.replace('.json', ''));
    assert.ok(t.eventTypes.length > 0 && t.eventTypes.every((e: string) => (BUILTIN_EVENT_TYPES as readonly string[]).includes(e)));
    assert.ok(t.draft.tests.length >= 3, 'at least three tests');
    const c = compileDecision(t.draft, { lists });
    const results = runGraphTests(c, t.draft.tests, Date.parse('2026-11-24T00:00:00Z'));
    for (const r of results) assert.ok(r.passed, `${f} test ${r.index} (${r.name}): ${r.mismatch ?? r.error} actual=${JSON.stringify(r.actual)}`);
    const decisions = new Set(results.map((r) => (r.actual as { decision: string }).decision));
    assert.ok(decisions.size >= 2, 'tests cover more than one outcome');
    const black = c.evaluate({ type: t.eventTypes[0], subject: { userId: BLACK_USER }, data: { amount: 1 }, features: {} }).result as { decision: string };
    assert.equal(black.decision, 'reject');
  });
}

test('a wrong expectation is reported as a failure with the differing path', () => {
  const t = JSON.parse(readFileSync(new URL('pre-loan.json', dir), 'utf8'));
  const c = compileDecision(t.draft, { lists });
  const [r] = runGraphTests(c, [{ input: t.draft.tests[0].input, output: { decision: 'reject' } }], 0);
  assert.equal(r!.passed, false);
  assert.equal(r!.mismatch, 'output.decision');
});
