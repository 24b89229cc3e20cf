import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importXgboostJson } from '../../src/models/import/xgboost.js';
import { importLightgbmText } from '../../src/models/import/lightgbm.js';
import { CompiledEnsemble } from '../../src/models/ensemble.js';
import { ModelError } from '../../src/models/errors.js';

const fx = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

interface Expected {
  features: string[];
  rows: (number | null)[][];
  probability: number[];
  margin: number[];
  contributions: number[][];
}

function record(features: string[], row: (number | null)[]): Record<string, unknown> {
  return Object.fromEntries(features.map((f, j) => [f, row[j]]));
}

function checkEnsemble(c: CompiledEnsemble, e: Expected, shapTol: number): void {
  let maxP = 0;
  let maxS = 0;
  e.rows.forEach((row, i) => {
    const x = c.vector(record(e.features, row));
    maxP = Math.max(maxP, Math.abs(c.predictVector(x) - e.probability[i]!));
    const phi = c.shap(x);
    e.contributions[i]!.forEach((v, j) => (maxS = Math.max(maxS, Math.abs(phi[j]! - v))));
  });
  assert.ok(maxP < 1e-6, `max probability difference ${maxP}`);
  assert.ok(maxS < shapTol, `max contribution difference ${maxS}`);
}

test('XGBoost JSON: predictions and TreeSHAP match xgboost within 1e-6 (missing values included)', () => {
  const m = importXgboostJson(JSON.parse(fx('xgboost-taiwan.json')));
  const e = JSON.parse(fx('xgboost-taiwan.expected.json')) as Expected;
  assert.deepEqual(m.features, e.features);
  assert.ok(e.rows.some((r) => r.includes(null)), 'fixture exercises missing values');
  // xgboost accumulates SHAP in float32, so contributions get a slightly looser bound.
  checkEnsemble(new CompiledEnsemble(m), e, 1e-5);
});

test('LightGBM text: predictions and TreeSHAP match lightgbm within 1e-6', () => {
  const m = importLightgbmText(fx('lightgbm-taiwan.txt'));
  const e = JSON.parse(fx('lightgbm-taiwan.expected.json')) as Expected;
  assert.deepEqual(m.features, e.features);
  checkEnsemble(new CompiledEnsemble(m), e, 1e-6);
});

test('importers reject what they cannot run, with a clear error', () => {
  assert.throws(() => importXgboostJson({ nope: 1 }), (err: unknown) => err instanceof ModelError && /learner/.test(err.message));
  const j = JSON.parse(fx('xgboost-taiwan.json'));
  j.learner.objective.name = 'multi:softprob';
  assert.throws(() => importXgboostJson(j), /objective "multi:softprob"/);
  const k = JSON.parse(fx('xgboost-taiwan.json'));
  k.learner.gradient_booster.model.trees[0].split_type[0] = 1;
  assert.throws(() => importXgboostJson(k), /categorical splits/);
  assert.throws(() => importLightgbmText('hello'), /not a LightGBM text model/);
  assert.throws(() => importLightgbmText(fx('lightgbm-taiwan.txt').replace('objective=binary sigmoid:1', 'objective=multiclass num_class:3')), /objective "multiclass/);
  assert.throws(() => importLightgbmText(fx('lightgbm-taiwan.txt').replace('num_cat=0', 'num_cat=1')), /categorical/);
});

test('a corrupt tree (cycle) is refused instead of hanging inference', () => {
  const m = importXgboostJson(JSON.parse(fx('xgboost-taiwan.json')));
  m.trees[0]!.left[1] = 0;
  assert.throws(() => new CompiledEnsemble(m), /not a tree|bad children/);
});
