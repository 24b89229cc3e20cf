import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadCsv, subset, rowRecord, type Dataset } from '../../src/models/data.js';
import { stratifiedSplit } from '../../src/models/split.js';
import { trainScorecard, scoreRecord, scorecardReasons, scorecardTable, scoreToProbability, type ScorecardModel } from '../../src/models/scorecard.js';
import { fitLogistic } from '../../src/models/logistic.js';
import { exportScorecardPmml, importPmml, scorePmmlScorecard, scoreRegression, type RegressionModel } from '../../src/models/pmml.js';
import { scorecardNode } from '../../src/models/export-node.js';
import { compileDecision } from '../../src/decision/index.js';
import { auc } from '../../src/models/metrics.js';
import { rng } from '../../src/models/split.js';

const GERMAN = new URL('../../../shared/data/credit/german.csv', import.meta.url).pathname;
const skip = existsSync(GERMAN) ? false : `German credit data not found at ${GERMAN}`;

let cached: { ds: Dataset; train: Dataset; test: Dataset; model: ScorecardModel } | undefined;
function german() {
  if (!cached) {
    const ds = loadCsv(GERMAN, { target: 'creditability' });
    const s = stratifiedSplit(ds.y, 0.3, 42);
    const train = subset(ds, s.train);
    cached = { ds, train, test: subset(ds, s.test), model: trainScorecard(train) };
  }
  return cached;
}

test('logistic regression: recovers coefficients and reports convergence', () => {
  const r = rng(1);
  const n = 20000;
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = r() * 2 - 1;
    x2[i] = r() * 2 - 1;
    y[i] = r() < 1 / (1 + Math.exp(-(-0.5 + 2 * x1[i]! - 1 * x2[i]!))) ? 1 : 0;
  }
  const fit = fitLogistic([x1, x2], y, { l2: 0 });
  assert.ok(fit.converged && fit.iterations < 15);
  assert.ok(Math.abs(fit.intercept + 0.5) < 0.08 && Math.abs(fit.coefficients[0]! - 2) < 0.12 && Math.abs(fit.coefficients[1]! + 1) < 0.1, JSON.stringify(fit));
  const strong = fitLogistic([x1, x2], y, { l2: 1e5 });
  assert.ok(Math.abs(strong.coefficients[0]!) < Math.abs(fit.coefficients[0]!) / 2, 'L2 shrinks');
  const capped = fitLogistic([x1, x2], y, { maxIter: 1 });
  assert.equal(capped.converged, false);
});

test('German scorecard: selection, converged fit, AUC on the held-out 30%', { skip }, () => {
  const { test: te, model } = german();
  assert.ok(model.fit.converged);
  assert.ok(model.features.length >= 5 && model.features.length < 20);
  assert.ok(model.selection!.dropped.some((d) => d.reason === 'iv'), 'weak variables dropped by IV');
  const risk = Array.from({ length: te.n }, (_, i) => -scoreRecord(model, rowRecord(te, i)).score);
  const a = auc(te.y, risk);
  assert.ok(a > 0.74, `test AUC ${a}`);
});

test('points scaling: 600 at odds 1:19, +50 points doubles the good:bad odds', { skip }, () => {
  const { model } = german();
  assert.ok(Math.abs(scoreToProbability(model.scaling, 600) - 1 / 20) < 1e-12);
  const p650 = scoreToProbability(model.scaling, 650);
  assert.ok(Math.abs((1 - p650) / p650 - 38) < 1e-9);
  const custom = trainScorecard(german().train, { scaling: { points0: 500, odds0: 1 / 50, pdo: 20 } });
  assert.ok(Math.abs(scoreToProbability(custom.scaling, 500) - 1 / 51) < 1e-12);
  // Scores map to the fitted probability: the same ranking, different points.
  const x = rowRecord(german().test, 0);
  const a = scoreRecord(model, x);
  const b = scoreRecord(custom, x);
  assert.ok(Math.abs(a.probability - b.probability) < 1e-9);
});

test('scorecard table and reason codes (points lost against the best bin)', { skip }, () => {
  const { model, test: te } = german();
  const t = scorecardTable(model);
  assert.equal(new Set(t.rows.map((r) => r.feature)).size, model.features.length);
  const x = rowRecord(te, 3);
  const reasons = scorecardReasons(model, x, 3);
  assert.ok(reasons.length <= 3);
  for (let i = 1; i < reasons.length; i++) assert.ok(reasons[i - 1]!.contribution >= reasons[i]!.contribution);
  const r = scoreRecord(model, x);
  for (const reason of reasons) {
    const v = model.variables.find((q) => q.feature === reason.feature)!;
    assert.ok(Math.abs(Math.max(...v.points) - r.points[reason.feature]! - reason.contribution) < 1e-9);
  }
});

test('export as the decision engine scorecard node: same score as the model', { skip }, () => {
  const { model, test: te } = german();
  const node = scorecardNode(model, { prefix: 'applicant.' });
  const graph = { nodes: [{ id: 'in', type: 'inputNode', name: 'in' }, node, { id: 'out', type: 'outputNode', name: 'out' }], edges: [{ id: 'e1', sourceId: 'in', targetId: node.id }, { id: 'e2', sourceId: node.id, targetId: 'out' }] };
  const d = compileDecision(graph);
  for (let i = 0; i < 40; i++) {
    const x = rowRecord(te, i);
    const out = d.evaluate({ applicant: x }).result as { score: number };
    assert.ok(Math.abs(out.score - scoreRecord(model, x).score) < 1e-9, `row ${i}`);
  }
});

test('PMML export → import round trip scores identically, with reason codes', { skip }, () => {
  const { model, test: te } = german();
  const xml = exportScorecardPmml(model);
  const back = importPmml(xml);
  assert.equal(back.type, 'pmml-scorecard');
  for (let i = 0; i < te.n; i++) {
    const x = rowRecord(te, i);
    const r = scorePmmlScorecard(back as Parameters<typeof scorePmmlScorecard>[0], x);
    assert.ok(Math.abs(r.score - scoreRecord(model, x).score) < 1e-9, `row ${i}`);
    const ours = scorecardReasons(model, x, 100);
    assert.deepEqual(r.reasons.map((q) => q.feature), ours.map((q) => q.feature));
  }
  // Missing and unseen values fall to their bins or the 0-point catch-all, never an error.
  const empty = scorePmmlScorecard(back as Parameters<typeof scorePmmlScorecard>[0], {});
  assert.ok(Math.abs(empty.score - scoreRecord(model, {}).score) < 1e-9);
});

test('PMML RegressionModel from scikit-learn: probabilities match within 1e-6', () => {
  const fx = new URL('./fixtures/', import.meta.url);
  const m = importPmml(readFileSync(new URL('regression-taiwan.pmml', fx), 'utf8')) as RegressionModel;
  const e = JSON.parse(readFileSync(new URL('regression-taiwan.expected.json', fx), 'utf8')) as { features: string[]; rows: number[][]; probability: number[] };
  assert.equal(m.type, 'regression');
  assert.deepEqual(m.features, e.features);
  let max = 0;
  e.rows.forEach((row, i) => (max = Math.max(max, Math.abs(scoreRegression(m, Object.fromEntries(e.features.map((f, j) => [f, row[j]]))) - e.probability[i]!))));
  assert.ok(max < 1e-6, `max diff ${max}`);
});

test('PMML: hand-written DMG-style scorecard, and clear errors for what is unsupported', () => {
  const xml = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><DataDictionary/>
  <Scorecard functionName="regression" useReasonCodes="true" reasonCodeAlgorithm="pointsBelow" initialScore="0" baselineMethod="other">
    <MiningSchema><MiningField name="department"/><MiningField name="age"/><MiningField name="score" usageType="predicted"/></MiningSchema>
    <Characteristics>
      <Characteristic name="departmentScore" reasonCode="RC1" baselineScore="19">
        <Attribute partialScore="-9"><SimplePredicate field="department" operator="isMissing"/></Attribute>
        <Attribute partialScore="19"><SimplePredicate field="department" operator="equal" value="marketing"/></Attribute>
        <Attribute partialScore="3"><SimpleSetPredicate field="department" booleanOperator="isIn"><Array n="2" type="string">"engineering" "business dev"</Array></SimpleSetPredicate></Attribute>
      </Characteristic>
      <Characteristic name="ageScore" reasonCode="RC2" baselineScore="18">
        <Attribute partialScore="-1"><SimplePredicate field="age" operator="isMissing"/></Attribute>
        <Attribute partialScore="-3"><SimplePredicate field="age" operator="lessOrEqual" value="18"/></Attribute>
        <Attribute partialScore="0"><CompoundPredicate booleanOperator="and"><SimplePredicate field="age" operator="greaterThan" value="18"/><SimplePredicate field="age" operator="lessOrEqual" value="29"/></CompoundPredicate></Attribute>
        <Attribute partialScore="12"><True/></Attribute>
      </Characteristic>
    </Characteristics>
  </Scorecard></PMML>`;
  const m = importPmml(xml) as Parameters<typeof scorePmmlScorecard>[0];
  assert.deepEqual(m.features, ['department', 'age']);
  assert.deepEqual(scorePmmlScorecard(m, { department: 'business dev', age: 25 }), { score: 3, reasons: [{ feature: 'RC2', contribution: 18 }, { feature: 'RC1', contribution: 16 }] });
  assert.equal(scorePmmlScorecard(m, { department: 'marketing', age: 40 }).score, 31);
  assert.throws(() => scorePmmlScorecard(m, { department: 'legal', age: 40 }), /no attribute/);
  assert.throws(() => importPmml('<PMML><TreeModel/></PMML>'), /model element TreeModel; supported: Scorecard, RegressionModel/);
  assert.throws(() => importPmml('<nope/>'), /no <PMML> root/);
  assert.throws(() => importPmml('<PMML><TransformationDictionary/><Scorecard/></PMML>'), /TransformationDictionary/);
  assert.throws(() => importPmml('<PMML><RegressionModel functionName="classification" normalizationMethod="probit"><RegressionTable intercept="1"/></RegressionModel></PMML>'), /probit/);
});
