// The Models page in a real browser against the real service: upload a CSV, watch the training job reach
// done, read the new version's metrics and charts, and promote it into a strategy draft.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, API_KEY, ROOT, apiCall, ensureConsoleBuilt, launchBrowser, shot, skipReason, startService, type Service, inputOf, pickOption } from './harness.js';

const GERMAN = join(ROOT, '../shared/data/credit/german.csv');
const skip = skipReason() ?? (existsSync(GERMAN) ? undefined : 'needs ../shared/data/credit/german.csv');


// A strategy whose model node reads german-sc (pinned to an old version) and whose scorecard node is hand-made.
const STRATEGY = {
  id: 'e2e-credit',
  name: 'E2E credit',
  eventTypes: ['loan_application'],
  draft: {
    nodes: [
      { id: 'in', type: 'inputNode', name: 'Application', position: { x: 0, y: 0 } },
      {
        id: 'sc',
        type: 'customNode',
        name: 'Hand scorecard',
        position: { x: 260, y: 0 },
        content: { kind: 'scorecard', config: { basePoints: 500, characteristics: [{ id: 'age_in_years', expression: 'data.age_in_years', bins: [{ min: 0, points: 5 }] }] } },
      },
      { id: 'mdl', type: 'customNode', name: 'German model', position: { x: 260, y: 160 }, content: { kind: 'model', config: { modelId: 'german-sc', version: 3, features: 'data' } } },
      { id: 'out', type: 'outputNode', name: 'Result', position: { x: 520, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'in', targetId: 'sc' },
      { id: 'e2', sourceId: 'sc', targetId: 'out' },
    ],
  },
};

describe('web console: models', { skip: skip !== undefined }, () => {
  let svc: Service;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await ensureConsoleBuilt();
    svc = await startService();
    browser = await launchBrowser();
    const r = await fetch(svc.url + '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const token = ((await r.json()) as { token: string }).token;
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await ctx.addInitScript(`localStorage.setItem('xiezhi.token', ${JSON.stringify(token)})`);
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    assert.equal((await apiCall(svc.url, 'POST', '/v1/strategies', STRATEGY)).status, 201);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  test('train from an uploaded CSV, see the version and its charts, promote it to a strategy', async () => {
    await page.goto(svc.url + '/#/dashboard');
    await page.getByTestId('menu-models').click();
    await page.getByTestId('models-page').waitFor();
    await page.getByText('No models yet').waitFor();

    // Train: the file's header gives the target and its good/bad values.
    await page.getByTestId('train-open').click();
    await page.locator('.ant-drawer input[type=file]').setInputFiles(GERMAN);
    await page.locator('.ant-drawer').getByText('21 columns').waitFor();
    await inputOf(page, 'train-id').fill('german-sc');
    await page.locator('.ant-drawer [data-testid="train-target"]').getByText('creditability').waitFor();
    await page.locator('.ant-drawer [data-testid="train-bad"]').getByText('bad').first().waitFor();
    // A wrong target is refused at once, with the service's message.
    await page.getByTestId('train-target').click();
    await page.keyboard.type('age_in_y');
    await page.locator('.ant-select-dropdown:visible').getByTitle('age_in_years').click();
    await page.getByTestId('train-submit').click();
    await page.getByTestId('train-error').getByText(/target "age_in_years" must be binary/).waitFor();
    await page.getByTestId('train-target').click();
    await page.keyboard.type('creditab');
    await page.locator('.ant-select-dropdown:visible').getByTitle('creditability').click();
    await page.locator('.ant-drawer [data-testid="train-bad"]').getByText('bad').first().waitFor();
    await page.getByTestId('train-submit').click();
    await page.getByTestId('train-progress').waitFor();
    await page.getByTestId('train-done').waitFor({ timeout: 20_000 });
    assert.match(await page.getByTestId('train-percent').innerText(), /100%/);
    const log = await page.getByTestId('train-log').innerText();
    assert.match(log, /binned \w+: \d+ bins, IV/, 'per-variable progress messages');
    assert.match(log, /registered german-sc version 1/);
    assert.match(await page.getByTestId('train-done').innerText(), /Registered german-sc version 1: test AUC 0\.\d{3}/);

    // The list has the version with its metrics; the detail shows them and the charts.
    await page.getByTestId('models-table').getByText('german-sc').waitFor();
    await page.getByTestId('train-open-version').click();
    await page.getByTestId('version-detail').waitFor();
    const auc = Number((await page.getByTestId('metric-auc').locator('.ant-statistic-content').innerText()).trim());
    const listed = (await apiCall(svc.url, 'GET', '/v1/models?id=german-sc')).body.items[0];
    assert.equal(auc.toFixed(3), listed.metrics.auc.toFixed(3), 'the page shows the registered AUC');
    assert.ok(auc > 0.72, `AUC ${auc}`);
    for (const id of ['chart-roc', 'chart-ks', 'chart-distribution', 'chart-lift']) await page.locator(`[data-testid="${id}"] canvas`).first().waitFor();
    // The ROC chart drew something: its canvas is not blank.
    const painted = await page.locator('[data-testid="chart-roc"] canvas').first().evaluate((c: any) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `ROC canvas has ${painted} painted pixels`);
    await shot(page, 'models-charts');
    await page.getByRole('tab', { name: 'Scorecard points' }).click();
    await page.getByTestId('scorecard-points').getByText('Base points').waitFor();
    await page.getByRole('tab', { name: /Binning/ }).click();
    await page.getByTestId('binning').getByText('duration_in_month').first().waitFor();
    await shot(page, 'models-version');

    // Promote: the model node is pinned, the chosen scorecard node replaced, in a new draft.
    await page.getByTestId('promote-open-modal').click();
    await pickOption(page, page.getByTestId('promote-strategy'), 'E2E credit (e2e-credit)', page.locator('.ant-modal').getByText('1 model node(s) use german-sc: German model'));
    await pickOption(page, page.getByTestId('promote-scorecard-node'), 'Hand scorecard (sc)', page.locator('.ant-modal .ant-select-selection-item', { hasText: 'Hand scorecard (sc)' }));
    await page.getByTestId('promote-submit').click();
    const result = page.getByTestId('promote-result');
    await result.waitFor();
    await result.getByText('model node German model: version 3 → 1').waitFor();
    await result.getByText(/scorecard node Hand scorecard: replaced \(\d+ characteristics\)/).waitFor();
    await shot(page, 'models-promoted');

    const s = (await apiCall(svc.url, 'GET', '/v1/strategies/e2e-credit')).body;
    const byId = Object.fromEntries(s.draft.nodes.map((n: any) => [n.id, n]));
    assert.equal(byId.mdl.content.config.version, 1);
    assert.ok(byId.sc.content.config.characteristics.length > 1);
    assert.equal(s.updatedBy, 'user:admin');
    const hist = (await apiCall(svc.url, 'GET', '/v1/strategies/e2e-credit/history')).body.items;
    assert.equal(hist[0].action, 'strategy.promote_model');
    assert.equal(hist[0].actor, 'user:admin');

    // The editor opens the changed draft.
    await page.getByTestId('promote-open').click();
    await page.waitForURL(/#\/strategies\/e2e-credit/);
    await page.getByText('Hand scorecard').first().waitFor();
  });

  test('a running training job is cancelled from the recent jobs', async () => {
    // A long GBDT (2000 deep trees) started by a script; the page lists it with its progress.
    const r = await fetch(svc.url + '/v1/model-jobs?id=german-long&type=gbdt&target=creditability&bad=bad&good=good&trees=2000&depth=8', { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/csv' }, body: readFileSync(GERMAN) });
    assert.equal(r.status, 202);
    const job = (await r.json()) as { id: string };
    await page.goto(svc.url + '/#/models');
    const recent = page.getByTestId('recent-jobs');
    await recent.getByText('german-long').waitFor();
    await recent.getByTestId('recent-job-cancel').click();
    await recent.waitFor({ state: 'detached' });
    const after = (await apiCall(svc.url, 'GET', `/v1/model-jobs/${job.id}`)).body;
    assert.equal(after.status, 'cancelled');
    assert.equal(after.error.message, 'cancelled by user:admin');
    assert.deepEqual((await apiCall(svc.url, 'GET', '/v1/models?id=german-long')).body.items, []);
  });
});
