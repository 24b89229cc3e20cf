// bench/engine/pre-loan-strategy.json is both the benchmark strategy and an example template for the service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileDecision, type JdmGraph } from '../../src/decision/index.js';
import { sampleInputs, xiezhiStrategy, zenStrategy } from '../../bench/engine/pre-loan.js';

const file = fileURLToPath(new URL('../../bench/engine/pre-loan-strategy.json', import.meta.url));
const strategy = JSON.parse(readFileSync(file, 'utf8')) as JdmGraph;

test('the pre-loan strategy file is what its generator produces', () => {
  assert.deepEqual({ ...strategy, tests: undefined }, { ...xiezhiStrategy(), tests: undefined }, 'regenerate with: npx tsx bench/engine/pre-loan.ts --write');
});

test('the pre-loan strategy answers with the service convention and agrees with its plain-ZEN rendering', () => {
  const ours = compileDecision(strategy);
  const plain = compileDecision(zenStrategy() as unknown as JdmGraph);
  assert.ok(ours.paths.includes('features.loan_apps_7d') && ours.paths.includes('applicant.age'));
  const seen = new Set<string>();
  for (const input of sampleInputs(300, 7)) {
    const r = ours.evaluate(input).result as { decision: string; score: number; riskLevel: string; reasons: unknown[]; offer: unknown };
    assert.ok(['approve', 'review', 'reject'].includes(r.decision));
    assert.ok(['low', 'medium', 'high'].includes(r.riskLevel));
    assert.ok(Array.isArray(r.reasons) && typeof r.score === 'number');
    const z = plain.evaluate(input).result as { decision: string; score: number; offer: unknown };
    assert.deepEqual([z.decision, z.score, z.offer ?? null], [r.decision, r.score, r.offer ?? null]);
    seen.add(r.decision);
  }
  assert.equal(seen.size, 3, 'the samples exercise all three verdicts');
});
