// Name lists, API keys, users, the scorecard bin editor and the language switch in a real browser against the real service.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, ensureConsoleBuilt, launchBrowser, shot, skipReason, startService, type Service, inputOf } from './harness.js';

const skip = skipReason();


// input → scorecard → output: age 30 falls in [25, 50) (35 points), housing "mortgage" in no bin (0): 535.
const SCORECARD = {
  id: 'e2e-scorecard',
  name: 'E2E scorecard',
  eventTypes: ['loan_application'],
  draft: {
    nodes: [
      { id: 'in', type: 'inputNode', name: 'Application', position: { x: 0, y: 0 } },
      {
        id: 'sc',
        type: 'customNode',
        name: 'Application scorecard',
        position: { x: 260, y: 0 },
        content: {
          kind: 'scorecard',
          config: {
            basePoints: 500,
            characteristics: [
              { id: 'age', expression: 'data.age', reasonCode: 'SC_AGE', bins: [{ when: '< 25', points: 10 }, { min: 25, max: 50, points: 35 }, { missing: true, points: 0 }] },
              { id: 'housing', expression: 'data.housing', reasonCode: 'SC_HOUSING', bins: [{ values: ['own'], points: 30 }, { values: ['rent', 'family'], points: 10 }] },
            ],
          },
        },
      },
      { id: 'out', type: 'outputNode', name: 'Result', position: { x: 520, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'in', targetId: 'sc' },
      { id: 'e2', sourceId: 'sc', targetId: 'out' },
    ],
  },
};


describe('web console: lists, keys, users, scorecard, language', { skip: skip !== undefined }, () => {
  let svc: Service;
  let browser: Browser;
  let page: Page;
  let token: string;
  let tmp: string;

  before(async () => {
    await ensureConsoleBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'xiezhi-web-files-'));
    svc = await startService();
    browser = await launchBrowser();
    const r = await fetch(svc.url + '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    token = ((await r.json()) as { token: string }).token;
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await ctx.addInitScript(`localStorage.setItem('xiezhi.token', ${JSON.stringify(token)})`);
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the language follows the browser and switches', async () => {
    await page.goto(svc.url + '/#/dashboard');
    await page.getByText('拒绝率').waitFor();
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByText('Reject rate').waitFor();
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByText('拒绝率').waitFor();
  });

  test('a list entry is added, expired, exported and imported as CSV', async () => {
    const created = await apiCall(svc.url, 'POST', '/v1/lists', { id: 'e2e-phones', name: 'E2E 手机黑名单', dimension: 'phone', kind: 'black' }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.goto(svc.url + '/#/lists');
    await page.getByText('E2E 手机黑名单').click();
    await page.getByTestId('entry-new').click();
    await page.getByTestId('entry-value').fill('13900001111');
    await page.getByRole('button', { name: /OK|确\s*定/ }).click();
    await page.locator('tr', { hasText: '小贷类' }).or(page.locator('tr', { hasText: '其他' })).first().waitFor();
    let entries = await apiCall(svc.url, 'GET', '/v1/lists/e2e-phones/entries', undefined, token);
    assert.equal(entries.body.total, 1);

    // expire it: it leaves the live view but stays visible with "show expired"
    await page.getByRole('button', { name: /失\s*效/ }).click();
    await page.waitForTimeout(300);
    entries = await apiCall(svc.url, 'GET', '/v1/lists/e2e-phones/entries', undefined, token);
    assert.equal(entries.body.total, 0, 'an expired entry is not live');

    // import two rows from CSV
    const csv = join(tmp, 'phones.csv');
    writeFileSync(csv, 'value,category,riskIntensity,collectionCount,source,reason\n13700002222,小贷类,high,3,共享,多头逾期\n13700003333,消金类,medium,1,共享,欺诈\n');
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.getByText(/已导入 2 行/).waitFor();
    entries = await apiCall(svc.url, 'GET', '/v1/lists/e2e-phones/entries', undefined, token);
    assert.equal(entries.body.total, 2);
    // personal data is shown masked
    await page.getByText('137****2222').waitFor();
    assert.equal(await page.getByText('13700002222').count(), 0);
    await shot(page, '13-lists');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 CSV/ }).click()]);
    const file = join(tmp, 'export.csv');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    assert.match(text.split('\n')[0]!, /^value,category/);
    assert.equal(text.trim().split('\n').length >= 3, true, text);
  });

  test('a new API key is shown once, works, and stops working when revoked', async () => {
    await page.goto(svc.url + '/#/settings');
    await page.getByTestId('key-name').fill('e2e-core-banking');
    await page.getByTestId('key-create').click();
    const key = (await page.getByTestId('key-created').textContent())!.trim();
    assert.match(key, /^xz_/);
    await shot(page, '14-api-key-created');
    assert.equal((await apiCall(svc.url, 'GET', '/v1/strategies', undefined, key)).status, 200);
    // gone from the page after leaving it: the key is shown once. Wait for the dashboard to render, else
    // the two hash changes can be batched and Settings never unmounts.
    await page.goto(svc.url + '/#/dashboard');
    await page.getByTestId('dashboard').waitFor();
    await page.goto(svc.url + '/#/settings');
    await page.locator('tr', { hasText: 'e2e-core-banking' }).waitFor();
    assert.equal(await page.getByTestId('key-created').count(), 0);
    await page.locator('tr', { hasText: 'e2e-core-banking' }).getByRole('button', { name: /吊\s*销/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /OK|确\s*定/ }).click();
    await page.locator('tr', { hasText: 'e2e-core-banking' }).getByText('已吊销').waitFor();
    assert.equal((await apiCall(svc.url, 'GET', '/v1/strategies', undefined, key)).status, 401);
  });

  test('scorecard bins are edited in the form: a range and a category set change the test score', async () => {
    const created = await apiCall(svc.url, 'POST', '/v1/strategies', SCORECARD, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.goto(svc.url + '/#/strategies/e2e-scorecard');
    await page.locator('.react-flow__node:has([data-kind="custom:scorecard"])').click();
    await page.getByTestId('sc-char-0').waitFor();
    // every shape is a form now, not a read-only label
    assert.equal(await inputOf(page, 'sc-bin-min-0-1').inputValue(), '25');
    assert.equal(await inputOf(page, 'sc-bin-max-0-1').inputValue(), '50');
    assert.match((await page.getByTestId('sc-bin-values-1-1').textContent()) ?? '', /rent.*family/);

    // Runs the sample and waits for this score (a stale result from the previous run does not count).
    const expectScore = async (want: number) => {
      await page.getByTestId('test-run').click();
      const failed = page.getByTestId('test-error').or(page.getByTestId('test-run-error'));
      await page.getByTestId('test-score').filter({ hasText: new RegExp(`^${want}$`) }).or(failed).first().waitFor();
      if (await failed.count()) assert.fail(`test run failed: ${await failed.first().textContent()}`);
      assert.equal((await page.getByTestId('test-score').textContent())?.trim(), String(want));
    };
    await page.getByTestId('toggle-test').click();
    await page.getByTestId('test-sample').fill(JSON.stringify({ id: 'sc-1', type: 'loan_application', occurredAt: '2026-11-24T10:00:00Z', subject: { userId: 'u1' }, data: { amount: 1000, age: 30, housing: 'mortgage' } }));
    await expectScore(535);

    // an inverted range, an empty category set and a second missing bin are flagged inline (zh-CN)
    await inputOf(page, 'sc-bin-max-0-1').fill('10');
    await page.getByTestId('sc-bin-msg-0-1').getByText('下限须小于上限').waitFor();
    await page.getByTestId('sc-add-values-1').click();
    await page.getByTestId('sc-bin-msg-1-2').getByText('请至少添加一个类别值').waitFor();
    await page.getByTestId('sc-bin-type-1-2').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('缺失').click();
    await page.getByTestId('sc-add-missing-1').click();
    await page.getByTestId('sc-bin-msg-1-3').getByText('只能有一个缺失分箱').waitFor();
    await page.getByTestId('validation-status').filter({ hasText: '有错误' }).waitFor();
    assert.equal(await page.getByTestId('publish').isDisabled(), true, 'publishing is blocked while bins are wrong');
    await shot(page, '16-scorecard-bin-checks');
    // fixed: [25, 60) now earns 50; the extra bins are removed
    await inputOf(page, 'sc-bin-max-0-1').fill('60');
    await inputOf(page, 'sc-bin-points-0-1').fill('50');
    await page.getByTestId('sc-bin-msg-0-1').waitFor({ state: 'detached' });
    await page.getByTestId('sc-bin-remove-1-3').click();
    await page.getByTestId('sc-bin-remove-1-2').click();
    await page.getByTestId('sc-bin-msg-1-2').waitFor({ state: 'detached' });

    // "mortgage" joins the first category bin as a tag: +30
    const tags = page.getByTestId('sc-bin-values-1-0');
    await tags.locator('input').fill('mortgage');
    await tags.locator('input').press('Enter');
    await tags.locator('.ant-tag', { hasText: 'mortgage' }).waitFor();
    // the dropdown closes once the tag is added (after its closing animation)
    await page.waitForFunction(`[...document.querySelectorAll('.ant-select-dropdown')].every((e) => e.offsetParent === null || getComputedStyle(e).opacity === '0')`, undefined, { timeout: 3000 });
    await page.getByTestId('validation-status').filter({ hasText: '校验通过' }).waitFor();
    await expectScore(580);
    await shot(page, '17-scorecard-bins-edited');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByText('Base points').waitFor();
    await shot(page, '17-scorecard-bins-edited-en');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByText('基础分').waitFor();

    // typing a characteristic id keeps the focus in the field
    await page.getByTestId('sc-char-id-0').click();
    await page.getByTestId('sc-char-id-0').press('End');
    await page.getByTestId('sc-char-id-0').pressSequentially('_y');
    assert.equal(await page.getByTestId('sc-char-id-0').inputValue(), 'age_y');

    await page.getByTestId('save').click();
    await page.getByText('草稿已保存').waitFor();
    const draft = (await apiCall(svc.url, 'GET', '/v1/strategies/e2e-scorecard', undefined, token)).body.draft;
    const chars = draft.nodes.find((n: any) => n.id === 'sc').content.config.characteristics;
    assert.deepEqual(chars[0].bins[1], { min: 25, max: 60, points: 50 });
    assert.deepEqual(chars[1].bins[0], { values: ['own', 'mortgage'], points: 30 });
    assert.equal(chars[1].bins.length, 2);
    assert.equal(chars[0].id, 'age_y');
  });

  test('an admin changes a user\'s role and disables a user in Settings', async () => {
    const made = await apiCall(svc.url, 'POST', '/v1/users', { username: 'e2e-ana', password: 'analyst-pass-1', role: 'analyst' }, token);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await page.goto(svc.url + '/#/settings');
    // one's own role cannot be changed from here
    await page.getByTestId('user-status-admin').getByText('本人').waitFor();
    assert.equal(await page.getByTestId('user-role-admin').count(), 0);
    await page.getByTestId('user-role-e2e-ana').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('viewer — 只读').click();
    await page.getByText('e2e-ana 的角色已改为 viewer').waitFor();
    const users = await apiCall(svc.url, 'GET', '/v1/users', undefined, token);
    assert.equal(users.body.items.find((u: any) => u.username === 'e2e-ana').role, 'viewer');
    await page.getByTestId('user-disable-e2e-ana').click();
    await page.locator('.ant-modal-confirm').getByText('不可撤销').waitFor();
    await page.getByTestId('user-disable-confirm').click();
    // the outcome toast first: a refused PATCH shows its error here, which the assertion then names
    const toast = page.locator('.ant-message-error, .ant-message-success:has-text("已停用用户 e2e-ana")').last();
    await toast.waitFor({ timeout: 20_000 });
    assert.match((await toast.textContent()) ?? '', /已停用用户 e2e-ana/);
    await page.getByTestId('user-status-e2e-ana').getByText('已停用').waitFor();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    // a disabled user's role is frozen: shown, not editable
    assert.equal(await page.getByTestId('user-role-e2e-ana').count(), 0);
    await shot(page, '18-users-role-disabled');
    const login = await fetch(svc.url + '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'e2e-ana', password: 'analyst-pass-1' }) });
    assert.equal(login.status, 401, 'a disabled user cannot sign in');
  });
});
