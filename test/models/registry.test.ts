import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryModelRepository, FileModelRepository, type ModelRepository } from '../../src/models/registry.js';
import { RegistryModelHost, loadModelHost } from '../../src/models/host.js';
import { importXgboostJson } from '../../src/models/import/xgboost.js';
import { trainScorecard } from '../../src/models/scorecard.js';
import { datasetFromCsv } from '../../src/models/data.js';
import { fixedClock } from '../../src/core/clock.js';
import { compileDecision } from '../../src/decision/index.js';

const xgb = importXgboostJson(JSON.parse(readFileSync(new URL('./fixtures/xgboost-taiwan.json', import.meta.url), 'utf8')));
const expected = JSON.parse(readFileSync(new URL('./fixtures/xgboost-taiwan.expected.json', import.meta.url), 'utf8')) as { features: string[]; rows: (number | null)[][]; probability: number[] };
const rec = (i: number) => Object.fromEntries(expected.features.map((f, j) => [f, expected.rows[i]![j]]));

// A tiny scorecard: income protects, missing income is risky.
function smallScorecard() {
  const lines = ['income,label'];
  for (let i = 0; i < 600; i++) lines.push(`${i % 50 === 0 ? '' : (i * 37) % 100},${(i * 37) % 100 < 30 || i % 50 === 0 ? (i % 3 === 0 ? 'good' : 'bad') : i % 7 === 0 ? 'bad' : 'good'}`);
  return trainScorecard(datasetFromCsv(lines.join('\n'), { target: 'label' }), { selection: { minIv: 0 } });
}

async function exercise(repo: ModelRepository) {
  const v1 = await repo.save({ id: 'taiwan-xgb', model: xgb, fingerprint: 'a'.repeat(64), metrics: { auc: 0.76 }, author: 'alice' });
  const v2 = await repo.save({ id: 'taiwan-xgb', model: xgb, metrics: { auc: 0.77 }, author: 'bob' });
  assert.deepEqual([v1.version, v2.version], [1, 2]);
  assert.equal(v1.createdAt, '2026-01-02T03:04:05.000Z');
  assert.deepEqual(v1.features, xgb.features);
  assert.equal((await repo.get('taiwan-xgb'))!.author, 'bob', 'latest by default');
  assert.equal((await repo.get('taiwan-xgb', 1))!.fingerprint, 'a'.repeat(64));
  assert.equal(await repo.get('taiwan-xgb', 3), undefined);
  assert.equal(await repo.get('nope'), undefined);
  const sc = await repo.save({ id: 'card', model: smallScorecard() });
  assert.ok(sc.binning && sc.binning.length === 1, 'scorecard versions carry their binning tables');
  assert.deepEqual((await repo.list()).map((s) => `${s.id}@${s.version}`), ['card@1', 'taiwan-xgb@1', 'taiwan-xgb@2']);
  await assert.rejects(repo.save({ id: 'Bad Id', model: xgb }), /bad model id/);
}

test('in-memory repository: versions, latest, metadata', async () => {
  await exercise(new InMemoryModelRepository(fixedClock(Date.UTC(2026, 0, 2, 3, 4, 5))));
});

test('file repository: the same contract, persisted as JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-models-'));
  try {
    await exercise(new FileModelRepository(dir, fixedClock(Date.UTC(2026, 0, 2, 3, 4, 5))));
    const again = new FileModelRepository(dir);
    assert.equal((await again.get('taiwan-xgb'))!.version, 2);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'taiwan-xgb', '1.json'), 'utf8')).metrics, { auc: 0.76 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ModelHost: predict by id and version with SHAP reasons; unknown models fail clearly', async () => {
  const repo = new InMemoryModelRepository();
  await repo.save({ id: 'm', model: xgb });
  await repo.save({ id: 'card', model: smallScorecard() });
  const host = await loadModelHost(repo, [{ id: 'm' }, { id: 'card', version: 1 }], { reasons: 3 });
  const r = host.predict('m', undefined, rec(0));
  assert.ok(Math.abs(r.score - expected.probability[0]!) < 1e-6);
  assert.ok(r.reasons!.length <= 3 && r.reasons!.every((x) => x.contribution > 0));
  assert.ok(Math.abs(host.predict('m', 1, rec(1)).score - expected.probability[1]!) < 1e-6, 'explicit version');
  const good = host.predict('card', undefined, { income: 99 });
  const missing = host.predict('card', undefined, { income: null });
  assert.ok(good.score > missing.score, 'missing income scores lower');
  assert.equal(missing.reasons![0]!.feature, 'income');
  assert.throws(() => host.predict('m', 9, rec(0)), /model m version 9 is not loaded/);
  assert.throws(() => host.predict('x', undefined, {}), /model x is not loaded/);
  await assert.rejects(loadModelHost(repo, [{ id: 'ghost' }]), /not in the registry/);
});

test('the decision engine model node scores through RegistryModelHost', async () => {
  const host = new RegistryModelHost([{ id: 'm', version: 1, type: 'ensemble', features: xgb.features, createdAt: '2026-01-01T00:00:00.000Z', model: xgb }]);
  const features = Object.fromEntries(expected.features.map((f) => [f, `applicant.${f}`]));
  const graph = {
    nodes: [{ id: 'in', type: 'inputNode', name: 'in' }, { id: 'mdl', type: 'customNode', name: 'mdl', content: { kind: 'model', config: { modelId: 'm', features } } }, { id: 'out', type: 'outputNode', name: 'out' }],
    edges: [{ id: 'e1', sourceId: 'in', targetId: 'mdl' }, { id: 'e2', sourceId: 'mdl', targetId: 'out' }],
  };
  const d = compileDecision(graph, { models: host });
  const out = d.evaluate({ applicant: rec(2) }).result as Record<string, unknown>;
  assert.ok(Math.abs((out.score as number) - expected.probability[2]!) < 1e-6, JSON.stringify(out));
});
