// End to end in a real browser against the real service: sign in, build a strategy by drag and drop,
// test it, publish it, send an event through the API and find its decision with the trace; a bad
// expression shows inline and blocks publishing. Screenshots of each step go to test-artifacts/web/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, ensureConsoleBuilt, launchBrowser, shot, skipReason, startService, type Service } from './harness.js';

const skip = skipReason();
if (skip) console.log(`# skipping browser tests: ${skip}`);

/** Drags from the centre of one element to a point inside another with real mouse events (edges, nodes). */
async function mouseDrag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
}

const nodeOfKind = (page: Page, kind: string) => page.locator(`.react-flow__node:has([data-kind="${kind}"])`);
const sourceHandle = (node: Locator) => node.locator('.react-flow__handle.source').first();
const targetHandle = (node: Locator) => node.locator('.react-flow__handle.target').first();

describe('web console (browser, real service)', { skip: skip !== undefined }, () => {
  let svc: Service;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  const strategyId = 'e2e-amount';
  const pageErrors: string[] = [];

  before(async () => {
    await ensureConsoleBuilt();
    svc = await startService();
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  test('a wrong password is refused with a message, the right one signs in', async () => {
    await page.goto(svc.url + '/');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await shot(page, '01-login-refused');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
    await page.getByText('Reject rate').waitFor();
    await shot(page, '02-dashboard');
  });

  test('create a strategy by dragging a decision table and a decision node and connecting them', async () => {
    await page.goto(svc.url + '/#/strategies');
    await page.getByTestId('strategy-new').click();
    await page.getByTestId('strategy-name').fill('E2E amount check');
    await page.getByTestId('strategy-id').fill(strategyId);
    await page.getByTestId('strategy-create').click();
    await page.getByTestId('editor-title').waitFor();
    assert.equal(await page.getByTestId('editor-title').textContent(), 'E2E amount check');
    const canvas = page.getByTestId('canvas');
    const box = (await canvas.boundingBox())!;

    await page.dragAndDrop('[data-testid="palette-decisionTableNode"]', '[data-testid="canvas"]', { targetPosition: { x: box.width * 0.35, y: box.height * 0.3 } });
    await nodeOfKind(page, 'decisionTableNode').waitFor();
    // undo removes the dropped node, redo brings it back
    await page.getByTestId('undo').click();
    assert.equal(await nodeOfKind(page, 'decisionTableNode').count(), 0);
    await page.getByTestId('redo').click();
    assert.equal(await nodeOfKind(page, 'decisionTableNode').count(), 1);

    await page.dragAndDrop('[data-testid="palette-custom:decision"]', '[data-testid="canvas"]', { targetPosition: { x: box.width * 0.6, y: box.height * 0.6 } });
    await nodeOfKind(page, 'custom:decision').waitFor();

    // dropping selects the new node and opens its panel; close it and fit the whole graph in view
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.getByTestId('node-panel').waitFor({ state: 'detached' });
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(300);
    const input = nodeOfKind(page, 'inputNode');
    const table = nodeOfKind(page, 'decisionTableNode');
    const decision = nodeOfKind(page, 'custom:decision');
    const output = nodeOfKind(page, 'outputNode');
    await mouseDrag(page, sourceHandle(input), targetHandle(table));
    await mouseDrag(page, sourceHandle(table), targetHandle(decision));
    await mouseDrag(page, sourceHandle(decision), targetHandle(output));
    await shot(page, '03-canvas-connected');
    assert.equal(await page.locator('.react-flow__edge').count(), 3, 'three edges connected by dragging');

    // fill the table: amount > 10000 scores 90 (reject at 80), anything else 10
    await table.click();
    await page.getByTestId('node-panel').waitFor();
    await page.getByTestId('dt-inputs-field-0').fill('data.amount');
    await page.getByTestId('dt-outputs-field-0').fill('score');
    await page.getByTestId('dt-add-row').click();
    await page.getByTestId('dt-add-row').click();
    await page.getByTestId('dt-cell-0-in-0').fill('> 10000');
    await page.getByTestId('dt-cell-0-out-0').fill('90');
    await page.getByTestId('dt-cell-1-out-0').fill('10');
    await page.getByTestId('validation-status').filter({ hasText: 'valid' }).waitFor();
    await shot(page, '04-decision-table');

    await page.getByTestId('save').click();
    await page.getByText('Draft saved').waitFor();
    const saved = await apiCall(svc.url, 'GET', `/v1/strategies/${strategyId}`);
    assert.equal(saved.body.draft.nodes.length, 4);
    assert.equal(saved.body.draft.edges.length, 3);
    const dt = saved.body.draft.nodes.find((n: any) => n.type === 'decisionTableNode');
    assert.equal(dt.content.rules.length, 2);
  });

  test('the test panel runs a sample event against the draft and highlights the path', async () => {
    await page.getByTestId('toggle-test').click();
    const sample = JSON.parse(await page.getByTestId('test-sample').inputValue());
    assert.equal(sample.data.amount, 20000);
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-decision').waitFor();
    assert.equal(await page.getByTestId('test-decision').textContent(), 'Reject');
    assert.equal(await page.locator('.jnode.on-path').count(), 4, 'every node of the chain is on the path');
    await nodeOfKind(page, 'decisionTableNode').click();
    await page.getByRole('tab', { name: 'Trace' }).click();
    await page.getByTestId('node-trace').waitFor();
    await shot(page, '05-test-run-trace');
  });

  test('publish shows a confirmation and makes the version live', async () => {
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-dialog').waitFor();
    await page.waitForTimeout(500); // the dialog fades in
    await shot(page, '06-publish-confirm');
    await page.getByTestId('publish-confirm').click();
    await page.getByText('Published version 1').waitFor();
    const versions = await apiCall(svc.url, 'GET', `/v1/strategies/${strategyId}/versions`);
    assert.equal(versions.body.items.length, 1);
    await shot(page, '07-published');
  });

  test('an event sent through the API is found in Decisions with its trace', async () => {
    const id = `e2e-evt-${Date.now()}`;
    const r = await apiCall(svc.url, 'POST', '/v1/events?trace=1', {
      id,
      type: 'loan_application',
      occurredAt: new Date().toISOString(),
      subject: { userId: 'e2e-user', phone: '13800138000' },
      data: { amount: 50000 },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.decision, 'reject');
    assert.deepEqual(r.body.strategy, { id: strategyId, version: 1 });

    await page.goto(svc.url + '/#/decisions');
    await page.getByTestId('search-subject').fill('e2e-user');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('decision-row').filter({ hasText: id }).click();
    await page.getByTestId('decision-detail').waitFor();
    assert.equal(await page.getByTestId('detail-decision').textContent(), 'Reject');
    await page.getByTestId('detail-trace').waitFor();
    const traced = await page.getByTestId('detail-trace').textContent();
    assert.match(traced ?? '', /decisionTableNode/);
    assert.match(traced ?? '', /decision/);
    // personal data stays masked in the console
    assert.doesNotMatch((await page.getByTestId('decision-detail').textContent()) ?? '', /13800138000/);
    await shot(page, '08-decision-detail');
  });

  test('a logged event is picked as the test sample and replayed against the draft', async () => {
    await page.goto(svc.url + `/#/strategies/${strategyId}`);
    await page.getByTestId('toggle-test').click();
    await page.getByTestId('test-pick').click();
    await page.locator('.ant-select-item-option', { hasText: 'e2e-evt-' }).click();
    await page.waitForFunction(`document.querySelector('[data-testid="test-sample"]')?.value.includes('e2e-user')`);
    const sample = JSON.parse(await page.getByTestId('test-sample').inputValue());
    assert.equal(sample.data.amount, 50000);
    assert.equal(sample.subject.phone, '13800138000', 'an admin replays the raw subject so list checks match');
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-decision').filter({ hasText: 'Reject' }).waitFor();
    await page.getByTestId('toggle-test').click();
  });

  test('expressions complete input fields, and the draft diffs against the published version', async () => {
    await page.goto(svc.url + `/#/strategies/${strategyId}`);
    await nodeOfKind(page, 'decisionTableNode').click();
    await page.getByTestId('dt-inputs-field-0').fill('data.am');
    await page.locator('.ant-select-item-option', { hasText: 'data.amount' }).click();
    assert.equal(await page.getByTestId('dt-inputs-field-0').inputValue(), 'data.amount');
    await page.getByTestId('dt-cell-1-out-0').fill('20');
    await page.getByTestId('diff').click();
    await page.getByTestId('diff-view').waitFor();
    assert.match((await page.getByTestId('diff-view').textContent()) ?? '', /10.*20/s);
    await page.waitForTimeout(400);
    await shot(page, '09-diff');
    await page.keyboard.press('Escape');
  });

  test('a bad expression shows an inline error and blocks publishing', async () => {
    await page.getByTestId('dt-cell-0-in-0').fill('> > 10000');
    await page.getByTestId('expr-error').first().waitFor();
    await page.getByTestId('validation-status').filter({ hasText: 'has errors' }).waitFor();
    assert.equal(await page.getByTestId('publish').isDisabled(), true);
    assert.ok((await nodeOfKind(page, 'decisionTableNode').locator('[data-testid="node-issue"]').count()) === 1);
    await shot(page, '10-bad-expression');
    // and the server refuses it too, should anything bypass the button
    await page.getByTestId('save').click();
    await page.getByText('Draft saved').waitFor();
    const refused = await apiCall(svc.url, 'POST', `/v1/strategies/${strategyId}/publish`, {});
    assert.equal(refused.status, 422);
  });

  test('a second version is published, then rolled back to the first', async () => {
    await page.getByTestId('dt-cell-0-in-0').fill('> 10000');
    await page.getByTestId('validation-status').filter({ hasText: 'valid' }).waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-dialog').waitFor();
    await page.getByTestId('publish-confirm').click();
    await page.getByText('Published version 2').waitFor();
    await page.getByTestId('versions').click();
    await page.getByTestId('rollback-1').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: 'OK' }).click();
    await page.getByText(/Rolled back: version 3/).waitFor();
    await shot(page, '11-rolled-back');
    const bindings = await apiCall(svc.url, 'GET', '/v1/bindings');
    const b = bindings.body.items.find((x: any) => x.eventType === 'loan_application');
    assert.deepEqual([b.strategyId, b.version], [strategyId, 3]);
    const v3 = await apiCall(svc.url, 'GET', `/v1/strategies/${strategyId}/versions/3`);
    const cell = v3.body.content.nodes.find((n: any) => n.type === 'decisionTableNode').content.rules[1];
    assert.ok(Object.values(cell).includes('10'), 'version 3 carries version 1 content (10, not 20)');
    await page.keyboard.press('Escape');
  });

  test("a template's stored test cases run from the test panel", async () => {
    await page.goto(svc.url + '/#/strategies/pre-loan');
    await page.getByTestId('toggle-test').click();
    await page.getByRole('tab', { name: 'Stored test cases' }).click();
    await page.getByTestId('test-run-stored').click();
    await page.getByTestId('test-stored-summary').waitFor();
    assert.match((await page.getByTestId('test-stored-summary').textContent()) ?? '', /passed\s*[1-9]\d*\s*failed\s*0/);
    await shot(page, '12-stored-tests');
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
