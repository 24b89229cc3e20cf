// The model registry inside the service: a SQL ModelRepository per tenant (SQLite and PostgreSQL), the
// /v1/models routes, and the `model` node scoring with a version registered through the API.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dialects, manualClock } from '../store/dialects.js';
import { modelVersionRepo } from '../../src/store/repos/model-versions.js';
import { SqlModelRepository } from '../../src/service/models.js';
import { importXgboostJson } from '../../src/models/import/xgboost.js';
import { harness } from './helpers.js';

const XGB_TEXT = readFileSync(new URL('../models/fixtures/xgboost-taiwan.json', import.meta.url), 'utf8');
const xgb = importXgboostJson(JSON.parse(XGB_TEXT));
const expected = JSON.parse(readFileSync(new URL('../models/fixtures/xgboost-taiwan.expected.json', import.meta.url), 'utf8')) as { features: string[]; rows: number[][]; probability: number[] };
const row = (i: number) => Object.fromEntries(expected.features.map((f, j) => [f, expected.rows[i]![j]]));

const all = await dialects('models');
after(async () => {
  for (const d of all) await d.cleanup();
});

for (const d of all) {
  describe(`SQL model repository (${d.name})`, { skip: d.skip }, () => {
    test('numbered immutable versions per tenant; latest by default; bad input refused', async () => {
      const clock = manualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
      const store = await d.open();
      const rows = modelVersionRepo(store.db, clock);
      const a = new SqlModelRepository(rows, 'ta', clock);
      const b = new SqlModelRepository(rows, 'tb', clock);
      const v1 = await a.save({ id: 'taiwan-xgb', model: xgb, metrics: { auc: 0.76 }, author: 'alice' });
      clock.advance(1000);
      const v2 = await a.save({ id: 'taiwan-xgb', model: xgb, author: 'bob' });
      assert.deepEqual([v1.version, v2.version], [1, 2]);
      assert.equal(v1.createdAt, '2026-01-02T03:04:05.000Z');
      assert.equal(v1.type, 'ensemble');
      assert.deepEqual(v1.features, xgb.features);
      assert.equal((await a.get('taiwan-xgb'))?.author, 'bob', 'latest by default');
      assert.equal((await a.get('taiwan-xgb', 1))?.author, 'alice');
      assert.deepEqual((await a.get('taiwan-xgb', 1))?.model, xgb);
      assert.equal(await a.get('taiwan-xgb', 3), undefined);
      assert.deepEqual(
        (await a.list()).map((s) => `${s.id}@${s.version}:${s.author}`),
        ['taiwan-xgb@1:alice', 'taiwan-xgb@2:bob'],
      );
      assert.deepEqual((await a.list())[0]?.metrics, { auc: 0.76 });
      // Tenant B has its own numbering and sees none of A's versions.
      assert.deepEqual(await b.list(), []);
      assert.equal(await b.get('taiwan-xgb'), undefined);
      assert.equal((await b.save({ id: 'taiwan-xgb', model: xgb })).version, 1);
      // Concurrent saves get distinct numbers.
      const many = await Promise.all([1, 2, 3, 4].map(() => a.save({ id: 'race', model: xgb })));
      assert.deepEqual(many.map((v) => v.version).sort(), [1, 2, 3, 4]);
      await assert.rejects(a.save({ id: 'Bad Id', model: xgb }), /bad model id/);
      await assert.rejects(a.save({ id: 'junk', model: { format: 'nope' } as never }), /not a Xiezhi model/);
      assert.equal(await a.get('junk'), undefined);
    });
  });
}

/** in → model node → expression (decision from the score) → out */
const MODEL_STRATEGY = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'in', position: { x: 0, y: 0 } },
    {
      id: 'mdl',
      type: 'customNode',
      name: 'model',
      position: { x: 200, y: 0 },
      content: { kind: 'model', config: { modelId: 'taiwan', features: Object.fromEntries(expected.features.map((f) => [f, `data.${f}`])) } },
    },
    {
      id: 'e',
      type: 'expressionNode',
      name: 'decide',
      position: { x: 400, y: 0 },
      content: {
        expressions: [
          { id: '1', key: 'score', value: 'score' },
          { id: '2', key: 'modelVersion', value: 'version' },
          { id: '3', key: 'decision', value: "score > 0.5 ? 'reject' : 'approve'" },
        ],
      },
    },
    { id: 'out', type: 'outputNode', name: 'out', position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: 'a', sourceId: 'in', targetId: 'mdl' },
    { id: 'b', sourceId: 'mdl', targetId: 'e' },
    { id: 'c', sourceId: 'e', targetId: 'out' },
  ],
};

test('/v1/models: register (raw XGBoost text or a model file), list, read; the model node scores with it', async () => {
  const h = await harness();
  try {
    const r1 = await h.req('POST', '/v1/models', { id: 'taiwan', modelText: XGB_TEXT, description: 'XGBoost on the Taiwan set' });
    assert.equal(r1.status, 201, r1.text);
    assert.equal(r1.json.version, 1);
    assert.equal(r1.json.type, 'ensemble');
    assert.match(r1.json.author, /^apikey:/);
    const got = await h.req('GET', '/v1/models/taiwan/versions/1');
    assert.equal(got.status, 200);
    assert.equal(got.json.model.format, 'xiezhi.model');
    // The file `xiezhi model import --out` writes is the artifact itself: registering it is version 2.
    const r2 = await h.req('POST', '/v1/models', { id: 'taiwan', model: got.json.model, metrics: { auc: 0.78 } });
    assert.equal(r2.status, 201, r2.text);
    assert.equal(r2.json.version, 2);
    const list = await h.req('GET', '/v1/models');
    assert.deepEqual(list.json.items.map((i: { id: string; version: number }) => `${i.id}@${i.version}`), ['taiwan@1', 'taiwan@2']);
    assert.equal((await h.req('GET', '/v1/models/taiwan/versions/latest')).json.version, 2);

    // Tenants apart.
    assert.deepEqual((await h.req('GET', '/v1/models', undefined, h.keyB)).json.items, []);
    assert.equal((await h.req('GET', '/v1/models/taiwan/versions/1', undefined, h.keyB)).status, 404);

    // Bad input: 4xx naming the problem, nothing stored.
    assert.equal((await h.req('POST', '/v1/models', { id: 'x', model: got.json.model, modelText: XGB_TEXT })).status, 400);
    assert.equal((await h.req('POST', '/v1/models', { id: 'x' })).status, 400);
    assert.equal((await h.req('POST', '/v1/models', { id: 'Bad Id', modelText: XGB_TEXT })).status, 400);
    const junk = await h.req('POST', '/v1/models', { id: 'x', modelText: 'not a model' });
    assert.equal(junk.status, 422, junk.text);
    assert.equal((await h.req('POST', '/v1/models', { id: 'x', model: { format: 'nope' } })).status, 422);
    const broken = await h.req('POST', '/v1/models', { id: 'x', model: { format: 'xiezhi.model', type: 'scorecard', features: [], variables: null } });
    assert.equal(broken.status, 422, 'a malformed model file is the caller\'s error, not a 500');
    assert.equal((await h.req('GET', '/v1/models/x/versions/0')).status, 400);
    assert.equal((await h.req('GET', '/v1/models/nope/versions/1')).status, 404);
    assert.equal((await h.req('GET', '/v1/models', undefined, '')).status, 401);
    assert.equal((await h.req('GET', '/v1/models')).json.items.length, 2);

    // A strategy's model node uses the tenant's latest version.
    const c = await h.req('POST', '/v1/strategies', { id: 'scored', name: 'scored', eventTypes: ['loan_application'], draft: MODEL_STRATEGY });
    assert.equal(c.status, 201, c.text);
    const p = await h.req('POST', '/v1/strategies/scored/publish', { comment: 'v1' });
    assert.equal(p.status, 201, p.text);
    const ev = await h.req('POST', '/v1/events', { id: `mdl-${process.pid}`, type: 'loan_application', occurredAt: '2026-11-24T10:00:00Z', subject: { userId: 'u1' }, data: { amount: 1000, ...row(2) } });
    assert.equal(ev.status, 200, ev.text);
    assert.equal(ev.json.degraded, undefined, ev.json.degraded);
    assert.ok(Math.abs(ev.json.outputs.score - expected.probability[2]!) < 1e-6, JSON.stringify(ev.json.outputs));
    assert.equal(ev.json.decision, 'approve');

    // Tenant B has no such model: its strategy publishes, but decisions degrade to review with the reason.
    const cb = await h.req('POST', '/v1/strategies', { id: 'scored', name: 'scored', eventTypes: ['loan_application'], draft: MODEL_STRATEGY }, h.keyB);
    assert.equal(cb.status, 201);
    assert.equal((await h.req('POST', '/v1/strategies/scored/publish', { comment: 'v1' }, h.keyB)).status, 201);
    const evb = await h.req('POST', '/v1/events', { id: `mdl-b-${process.pid}`, type: 'loan_application', occurredAt: '2026-11-24T10:00:00Z', subject: { userId: 'u1' }, data: { amount: 1000, ...row(2) } }, h.keyB);
    assert.equal(evb.status, 200);
    assert.equal(evb.json.decision, 'review');
    assert.match(evb.json.degraded, /taiwan/);
  } finally {
    await h.close();
  }
});
