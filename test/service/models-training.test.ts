// Training a model version from an uploaded CSV (POST /v1/model-jobs, a worker-thread job with progress) and
// promoting a version into a strategy draft (POST /v1/models/:id/versions/:v/promote).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { harness, type Harness } from './helpers.js';
import { TenantModels } from '../../src/service/models.js';
import { TrainingJobs } from '../../src/service/model-training.js';
import { modelVersionRepo } from '../../src/store/repos/model-versions.js';

const GERMAN = new URL('../../../shared/data/credit/german.csv', import.meta.url);
const skip = existsSync(GERMAN) ? undefined : 'needs ../shared/data/credit/german.csv (see /work/shared/data/README.md)';

/** A multipart body the way a browser's FormData sends it. */
async function multipart(fields: Record<string, string>, file?: { name: string; text: string }): Promise<{ body: Buffer; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file) fd.set('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  const r = new Response(fd);
  return { body: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type')! };
}

async function upload(h: Harness, fields: Record<string, string>, text: string, key = h.keyA) {
  const m = await multipart(fields, { name: 'data.csv', text });
  const res = await h.app.inject({ method: 'POST', url: '/v1/model-jobs', headers: { authorization: `Bearer ${key}`, 'content-type': m.type }, payload: m.body });
  return { status: res.statusCode, json: res.json() as any };
}

async function waitJob(h: Harness, id: string, key = h.keyA): Promise<any> {
  const seen: number[] = [];
  for (let i = 0; i < 600; i++) {
    const r = await h.req('GET', `/v1/model-jobs/${id}`, undefined, key);
    assert.equal(r.status, 200, r.text);
    seen.push(r.json.percent);
    if (r.json.status !== 'running') return { ...r.json, seen };
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('job did not finish in 30 s');
}

/** Rows of a small synthetic file: `n` rows, target from `label(i)`, feature columns from `cols`. */
function csvOf(n: number, label: (i: number) => string, cols: Record<string, (i: number) => string | number> = { x: (i) => i % 7 }): string {
  const names = Object.keys(cols);
  const lines = [[...names, 'y'].join(',')];
  for (let i = 0; i < n; i++) lines.push([...names.map((c) => cols[c]!(i)), label(i)].join(','));
  return lines.join('\n') + '\n';
}

describe('training jobs and promotion', { skip }, () => {
  let h: Harness;
  let german: string;
  before(async () => {
    h = await harness();
    german = readFileSync(GERMAN, 'utf8');
  });
  after(async () => h?.close());

  test('a scorecard trained from an uploaded CSV becomes the next version, with metrics and chart data', async () => {
    const started = await upload(h, { id: 'german-sc', target: 'creditability', bad: 'bad', good: 'good', type: 'scorecard', description: 'console upload' }, german);
    assert.equal(started.status, 202, JSON.stringify(started.json));
    assert.equal(started.json.status, 'running');
    assert.equal(started.json.dataset.rows, 1000);
    assert.equal(started.json.dataset.features, 20);
    assert.equal(started.json.dataset.badRate, 0.3);
    const job = await waitJob(h, started.json.id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.percent, 100);
    assert.equal(job.stage, 'done');
    assert.ok(job.seen.every((p: number, i: number) => i === 0 || p >= job.seen[i - 1]), 'percent never goes back');
    assert.ok(job.messages.some((m: any) => /^binned duration_in_month/.test(m.en) && /^已分箱/.test(m.zh)), 'per-variable binning messages in both languages');
    assert.deepEqual(job.result.version, 1);
    assert.ok(job.result.metrics.auc > 0.72, `test AUC ${job.result.metrics.auc}`);

    const list = await h.req('GET', '/v1/models?id=german-sc');
    assert.equal(list.json.items.length, 1);
    assert.equal(list.json.items[0].author, job.author);
    assert.match(job.author, /^apikey:/);
    for (const k of ['auc', 'ks', 'gini', 'psi', 'trainAuc']) assert.equal(typeof list.json.items[0].metrics[k], 'number', k);

    const v = (await h.req('GET', '/v1/models/german-sc/versions/1?artifact=false')).json;
    assert.equal(v.model, undefined, 'artifact left out');
    assert.equal(v.description, 'console upload');
    assert.equal(v.fingerprint, createHash('sha256').update(german).digest('hex'));
    assert.ok(v.features.length >= 3 && v.binning.length === v.features.length);
    const r = v.report;
    assert.equal(r.nTrain + r.nTest, 1000);
    assert.equal(r.scoreKind, 'points');
    // ROC from (0,0) to (1,1), non-decreasing; its area is the stored AUC.
    assert.deepEqual([r.roc.fpr[0], r.roc.tpr[0], r.roc.fpr.at(-1), r.roc.tpr.at(-1)], [0, 0, 1, 1]);
    let area = 0;
    for (let i = 1; i < r.roc.fpr.length; i++) area += (r.roc.fpr[i] - r.roc.fpr[i - 1]) * (r.roc.tpr[i] + r.roc.tpr[i - 1]) / 2;
    assert.ok(Math.abs(area - v.metrics.auc) < 0.01, `ROC area ${area} vs AUC ${v.metrics.auc}`);
    assert.ok(Math.abs(r.ks.ks - v.metrics.ks) < 1e-3);
    assert.equal(r.distribution.train.reduce((s: number, x: number) => s + x, 0), r.nTrain);
    assert.equal(r.distribution.test.reduce((s: number, x: number) => s + x, 0), r.nTest);
    assert.equal(r.distribution.edges.length, r.distribution.test.length + 1);
    assert.ok(r.distribution.edges.at(-1) > 100, 'points, not probabilities');
    assert.equal(r.lift.length, 10);
    assert.equal(r.iv.length, 20);
    assert.ok(r.scorecard.rows.length > 0 && r.scorecard.rows.every((x: any) => Number.isInteger(x.points)));

    // The audit trail says who trained it.
    const audit = await h.req('GET', '/v1/audit?entityType=model&entityId=german-sc');
    assert.equal(audit.json.items[0].action, 'model.train');
  });

  test('a GBDT from a raw text/csv body with options in the query', async () => {
    const res = await h.req('POST', '/v1/model-jobs?id=german-gbdt&type=gbdt&target=creditability&bad=bad&good=good&trees=30&depth=3', german, h.keyA, { 'content-type': 'text/csv' });
    assert.equal(res.status, 202, res.text);
    const job = await waitJob(h, res.json.id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.ok(job.messages.some((m: any) => /^tree 30\/30/.test(m.en)) || job.messages.some((m: any) => /^tree \d+\/30/.test(m.en)));
    const v = (await h.req('GET', '/v1/models/german-gbdt/versions/latest?artifact=false')).json;
    assert.equal(v.type, 'ensemble');
    assert.equal(v.report.scoreKind, 'probability');
    assert.ok(v.report.importance.length > 0);
    assert.ok(v.metrics.auc > 0.7);
  });

  test('bad uploads get a 4xx in both languages and start nothing', async () => {
    // One after another, as users send them (a burst beyond the running-job limit gets 429).
    const cases: [string, () => Promise<{ status: number; json: any }>, number, string][] = [
      ['unknown target', () => upload(h, { id: 'bad-1', target: 'nope' }, german), 422, 'missing_target'],
      ['one class', () => upload(h, { id: 'bad-2', target: 'y' }, csvOf(300, () => '0')), 422, 'non_binary_target'],
      ['not binary', () => upload(h, { id: 'bad-3', target: 'y' }, csvOf(300, (i) => String(i % 3))), 422, 'non_binary_target'],
      ['too few rows', () => upload(h, { id: 'bad-4', target: 'y' }, csvOf(40, (i) => String(i % 2))), 422, 'too_few_rows'],
      ['too few bads', () => upload(h, { id: 'bad-5', target: 'y' }, csvOf(400, (i) => (i < 5 ? '1' : '0'))), 422, 'too_few_rows'],
      ['ragged CSV', () => upload(h, { id: 'bad-6', target: 'y' }, 'a,b,y\n1,2,0\n1,2\n'), 422, 'bad_csv'],
      ['header only', () => upload(h, { id: 'bad-7', target: 'y' }, 'a,b,y\n'), 422, 'empty_file'],
      ['only the target', () => upload(h, { id: 'bad-8', target: 'y' }, csvOf(300, (i) => String(i % 2), {})), 422, 'no_features'],
      ['no model id', () => upload(h, { target: 'y' }, german), 400, 'validation'],
      ['bad model id', () => upload(h, { id: 'Bad Id', target: 'y' }, german), 400, 'validation'],
      ['bad type', () => upload(h, { id: 'x', target: 'creditability', type: 'svm' }, german), 400, 'validation'],
      ['bad option', () => upload(h, { id: 'x', target: 'creditability', testFraction: '0.9' }, german), 400, 'validation'],
    ];
    for (const [name, p, status, code] of cases) {
      const r = await p();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.code, code, name);
      if (status === 422) assert.match(r.json.error.message, / \/ .*[\u4e00-\u9fff]/, `${name}: English / Chinese`);
    }
    const fieldsOnly = await multipart({ id: 'x', target: 'y' });
    const noFile = await h.app.inject({ method: 'POST', url: '/v1/model-jobs', headers: { authorization: `Bearer ${h.keyA}`, 'content-type': fieldsOnly.type }, payload: fieldsOnly.body });
    assert.equal(noFile.statusCode, 400);
    assert.equal(noFile.json().error.fields[0].field, 'file');
    const json = await h.req('POST', '/v1/model-jobs', { id: 'x', target: 'y' });
    assert.equal(json.status, 415);
    assert.deepEqual((await h.req('GET', '/v1/models')).json.items.filter((m: any) => m.id.startsWith('bad-')), []);
    assert.equal((await h.req('GET', '/v1/model-jobs/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  test('a job that fails while training reports its error and registers nothing', async () => {
    // Constant features carry no information: selection keeps no variable and training fails.
    const started = await upload(h, { id: 'hopeless', target: 'y' }, csvOf(300, (i) => String(i % 2), { a: () => 1, b: () => 'same' }));
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const job = await waitJob(h, started.json.id);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'no_features');
    assert.match(job.error.message, /no variable passed selection/);
    assert.match(job.error.zh, /没有变量通过筛选/);
    assert.equal(job.result, undefined);
    assert.deepEqual((await h.req('GET', '/v1/models?id=hopeless')).json.items, []);
    // Another tenant sees neither the job nor the list.
    assert.equal((await h.req('GET', `/v1/model-jobs/${started.json.id}`, undefined, h.keyB)).status, 404);
    assert.ok((await h.req('GET', '/v1/model-jobs', undefined, h.keyB)).json.items.length === 0);
    assert.ok((await h.req('GET', '/v1/model-jobs')).json.items.some((j: any) => j.id === started.json.id));
  });

  test('promoting a version pins model nodes and replaces a chosen scorecard node in a new draft', async () => {
    const draft = {
      nodes: [
        { id: 'in', type: 'inputNode', name: 'in', position: { x: 0, y: 0 } },
        { id: 'sc', type: 'customNode', name: 'Application scorecard', position: { x: 200, y: 0 }, content: { kind: 'scorecard', config: { basePoints: 500, maxReasons: 3, characteristics: [{ id: 'age_in_years', expression: 'data.age', reasonCode: 'SC_AGE', bins: [{ min: 0, points: 1 }] }] } } },
        { id: 'm1', type: 'customNode', name: 'german model', position: { x: 200, y: 100 }, content: { kind: 'model', config: { modelId: 'german-sc', version: 7, features: 'data' } } },
        { id: 'm2', type: 'customNode', name: 'other model', position: { x: 200, y: 200 }, content: { kind: 'model', config: { modelId: 'something-else', features: 'data' } } },
        { id: 'out', type: 'outputNode', name: 'out', position: { x: 400, y: 0 } },
      ],
      edges: [
        { id: 'e1', sourceId: 'in', targetId: 'sc' },
        { id: 'e2', sourceId: 'sc', targetId: 'out' },
      ],
    };
    assert.equal((await h.req('POST', '/v1/strategies', { id: 'promo', name: 'Promo', eventTypes: ['loan_application'], draft })).status, 201);
    const r = await h.req('POST', '/v1/models/german-sc/versions/latest/promote', { strategyId: 'promo', scorecardNode: 'sc' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.changes.modelNodes, [{ id: 'm1', name: 'german model', from: 7 }]);
    assert.equal(r.json.changes.scorecardNode.id, 'sc');
    const s = (await h.req('GET', '/v1/strategies/promo')).json;
    const byId = Object.fromEntries(s.draft.nodes.map((n: any) => [n.id, n]));
    assert.equal(byId.m1.content.config.version, 1);
    assert.equal(byId.m2.content.config.version, undefined, 'other models untouched');
    const cfg = byId.sc.content.config;
    const v = (await h.req('GET', '/v1/models/german-sc/versions/1')).json;
    assert.equal(cfg.basePoints, v.model.basePoints);
    assert.equal(cfg.maxReasons, 3, 'the node keeps its own settings');
    assert.deepEqual(cfg.characteristics.map((c: any) => c.id), v.features);
    assert.equal(byId.sc.name, 'Application scorecard');
    const age = cfg.characteristics.find((c: any) => c.id === 'age_in_years');
    if (age) assert.deepEqual([age.expression, age.reasonCode], ['data.age', 'SC_AGE'], 'a mapped characteristic keeps its expression and reason code');
    assert.ok(cfg.characteristics.filter((c: any) => c.id !== 'age_in_years').every((c: any) => c.expression === `data.${c.id}`));
    assert.equal(s.updatedBy, r.json.strategy.updatedBy);
    assert.equal(s.latestVersion, 0, 'a draft, not published');
    const hist = (await h.req('GET', '/v1/strategies/promo/history')).json.items;
    assert.equal(hist[0].action, 'strategy.promote_model');
    assert.match(hist[0].actor, /^apikey:/);
    assert.deepEqual(hist[0].detail, { modelId: 'german-sc', version: 1, modelNodes: ['m1'], scorecardNode: 'sc' });

    // The promoted scorecard scores an event in the strategy test the same as the model does.
    const { parseCsv } = await import('../../src/models/data.js');
    const { header, rows } = parseCsv(german);
    const row: Record<string, string | number> = Object.fromEntries(header.map((c, j) => [c, Number.isFinite(Number(rows[1]![j])) ? Number(rows[1]![j]) : rows[1]![j]!]));
    const noM = { ...draft, nodes: s.draft.nodes.filter((n: any) => n.id !== 'm1' && n.id !== 'm2') };
    const t = await h.req('POST', '/v1/strategies/promo/test', { draft: noM, runTests: false, events: [{ id: 'p1', type: 'loan_application', occurredAt: '2026-11-24T00:00:00Z', subject: { userId: 'u' }, data: { ...row, age: row.age_in_years, amount: 100 } }] });
    assert.equal(t.status, 200, t.text);
    const { scoreRecord } = await import('../../src/models/scorecard.js');
    const expected = scoreRecord(v.model, row).score;
    assert.ok(Math.abs(t.json.events[0].result?.score - expected) < 1e-6, `${JSON.stringify(t.json.events[0])} vs ${expected}`);

    // Clear errors.
    const none = await h.req('POST', '/v1/strategies', { id: 'plain', name: 'Plain', draft: { nodes: [{ id: 'in', type: 'inputNode' }], edges: [] } });
    assert.equal(none.status, 201);
    const e1 = await h.req('POST', '/v1/models/german-sc/versions/1/promote', { strategyId: 'plain' });
    assert.equal(e1.status, 422);
    assert.equal(e1.json.error.code, 'no_matching_node');
    assert.match(e1.json.error.message, /no model node using "german-sc".* \/ 策略中没有使用模型/);
    const e2 = await h.req('POST', '/v1/models/german-gbdt/versions/1/promote', { strategyId: 'promo', scorecardNode: 'sc' });
    assert.equal(e2.status, 422);
    assert.equal(e2.json.error.code, 'not_a_scorecard');
    const e3 = await h.req('POST', '/v1/models/german-sc/versions/1/promote', { strategyId: 'promo', scorecardNode: 'm2' });
    assert.equal(e3.json.error.code, 'no_matching_node');
    assert.equal((await h.req('POST', '/v1/models/german-sc/versions/1/promote', { strategyId: 'missing' })).status, 404);
    assert.equal((await h.req('POST', '/v1/models/german-sc/versions/9/promote', { strategyId: 'promo' })).status, 404);
    assert.equal((await h.req('POST', '/v1/models/german-sc/versions/1/promote', { strategyId: 'promo' }, h.keyB)).status, 404, 'tenant B has no such model');
    // Nothing changed by the refused calls.
    assert.equal((await h.req('GET', '/v1/strategies/promo/history')).json.items.filter((x: any) => x.action === 'strategy.promote_model').length, 1);
  });

  test('a running job can be cancelled: nothing is registered, the audit trail says who', async () => {
    const res = await h.req('POST', '/v1/model-jobs?id=cancelled-gbdt&type=gbdt&target=creditability&bad=bad&good=good&trees=2000&depth=8', german, h.keyA, { 'content-type': 'text/csv' });
    assert.equal(res.status, 202, res.text);
    const id = res.json.id;
    // Mid-training: wait for the first trees.
    for (let i = 0; i < 200; i++) {
      const j = (await h.req('GET', `/v1/model-jobs/${id}`)).json;
      if (j.stage === 'boosting' || j.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await h.req('GET', `/v1/model-jobs/${id}`)).json.status, 'running', 'still training (2000 deep trees)');
    // Another tenant's key, and an unknown job: 404, and the job keeps running.
    assert.equal((await h.req('DELETE', `/v1/model-jobs/${id}`, undefined, h.keyB)).status, 404);
    assert.equal((await h.req('DELETE', '/v1/model-jobs/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await h.req('GET', `/v1/model-jobs/${id}`)).json.status, 'running');

    const c = await h.req('DELETE', `/v1/model-jobs/${id}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.status, 'cancelled');
    assert.equal(c.json.error.code, 'cancelled');
    assert.match(c.json.error.message, /^cancelled by apikey:/);
    assert.match(c.json.error.zh, /^已被 apikey:.*取消$/);
    assert.ok(c.json.messages.at(-1).zh.includes('未登记任何版本'));
    assert.ok(c.json.finishedAt);
    // The worker is gone: nothing changes later, nothing is registered.
    await new Promise((r) => setTimeout(r, 300));
    const later = (await h.req('GET', `/v1/model-jobs/${id}`)).json;
    assert.equal(later.status, 'cancelled');
    assert.equal(later.result, undefined);
    assert.deepEqual((await h.req('GET', '/v1/models?id=cancelled-gbdt')).json.items, []);

    const again = await h.req('DELETE', `/v1/model-jobs/${id}`);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'job_finished');
    assert.match(again.json.error.message, /already been cancelled .*[\u4e00-\u9fff]/);
    const audit = (await h.req('GET', '/v1/audit?entityType=model&entityId=cancelled-gbdt')).json.items;
    assert.equal(audit[0].action, 'model.train_cancel');
    assert.equal(audit[0].detail.jobId, id);
    assert.match(audit[0].actor, /^apikey:/);
    // A job that succeeded cannot be cancelled either.
    const done = (await h.req('GET', '/v1/model-jobs')).json.items.find((j: any) => j.status === 'succeeded');
    assert.ok(done, 'an earlier job succeeded');
    assert.equal((await h.req('DELETE', `/v1/model-jobs/${done.id}`)).status, 409);
  });

  test('running jobs are limited, and a job stopped by shutdown registers nothing', async () => {
    const clock = () => Date.now();
    const models = new TenantModels(modelVersionRepo(h.store.db, clock), clock);
    const jobs = new TrainingJobs(models, clock, { maxRunning: 1 });
    const bytes = new TextEncoder().encode(german);
    const req = { modelId: 'stopped', type: 'gbdt' as const, target: 'creditability', bad: ['bad'], good: ['good'], trees: 2000, depth: 8 };
    const first = jobs.start(h.ta, 'user:test', bytes, req);
    await assert.rejects(jobs.start(h.ta, 'user:test', bytes, req), (e: any) => e.statusCode === 429 && e.code === 'too_many_jobs');
    const job = await first;
    assert.equal(job.status, 'running');
    await jobs.close();
    const after = jobs.get(h.ta, job.id)!;
    assert.equal(after.status, 'failed');
    assert.equal(after.error?.code, 'shutdown');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(jobs.get(h.ta, job.id)!.status, 'failed');
    assert.deepEqual(await models.repository(h.ta).list('stopped'), []);
    // The slot is free again; the version is usable by the tenant's (already loaded) model host at once.
    const host = await models.host(h.ta);
    const again = await jobs.start(h.ta, 'user:test', bytes, { ...req, trees: 5, depth: 2 });
    for (let i = 0; i < 200 && jobs.get(h.ta, again.id)!.status === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(jobs.get(h.ta, again.id)!.status, 'succeeded');
    assert.equal((await models.repository(h.ta).list('stopped')).length, 1);
    const stored = (await models.repository(h.ta).get('stopped'))!;
    assert.deepEqual([stored.version, stored.type, stored.author, stored.model.format], [1, 'ensemble', 'user:test', 'xiezhi.model']);
    const p = host.predict('stopped', undefined, { duration_in_month: 48, credit_amount: 9000 });
    assert.ok(p.score > 0 && p.score < 1, `probability ${p.score}`);
  });
});
