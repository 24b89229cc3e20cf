// The link-graph console in a real browser against the real service: events sent through the API form a small
// ring (three applicants on one device and phone, a fourth through a bank card, a fifth through an IP); the
// explorer shows the shared device and the other members, expands a subject, filters attribute kinds; the
// rings list shows the ring and opens it; a decision's detail links to its subject in the graph.
// The explorer's merge/filter model is tested without a browser too. Screenshots go to test-artifacts/web/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiCall, ensureConsoleBuilt, launchBrowser, shot, skipReason, startService, type Service } from './harness.js';
import { EMPTY_VIEW, filterView, kindsOf, mergeView, nodeColor, subjectLabel, type Neighbourhood } from '../../web/src/graph/model.js';

const skip = skipReason();
if (skip) console.log(`# skipping browser tests: ${skip}`);

const node = (id: string, type: 'subject' | 'attribute', kind: string, value: string, hop: number, labels: string[] = []) => ({ id, type, kind, value, degree: 1, capped: false, labels, communityId: null, hop });
const edge = (source: string, target: string) => ({ source, target, roles: ['own'], firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', count: 1 });

test('explorer model: expanding merges nodes and edges without duplicates, filters hide attribute kinds only', () => {
  const a: Neighbourhood = {
    subject: 'u1', tenantId: 't', hops: 1, truncated: false,
    nodes: [node('n1', 'subject', 'subject', 'u1', 0), node('n2', 'attribute', 'deviceId', 'D1', 1), node('n3', 'subject', 'subject', 'u2', 1, ['fraud'])],
    edges: [edge('n1', 'n2'), edge('n3', 'n2')],
  };
  const b: Neighbourhood = {
    subject: 'u2', tenantId: 't', hops: 1, truncated: true,
    nodes: [node('n3', 'subject', 'subject', 'u2', 0, ['fraud']), node('n2', 'attribute', 'deviceId', 'D1', 1), node('n4', 'attribute', 'phone', '139****1111', 1), node('n5', 'subject', 'subject', 'u3', 1)],
    edges: [edge('n3', 'n2'), edge('n3', 'n4'), edge('n5', 'n4')],
  };
  const v = mergeView(mergeView(EMPTY_VIEW, a), b);
  assert.deepEqual(v.nodes.map((n) => n.id).sort(), ['n1', 'n2', 'n3', 'n4', 'n5']);
  assert.equal(v.edges.length, 4);
  assert.deepEqual(v.expanded, ['u1', 'u2']);
  assert.equal(v.truncated, true);
  assert.equal(v.nodes.find((n) => n.id === 'n3')!.hop, 1, 'a node keeps the hop it was first reached at');
  assert.equal(v.nodes.find((n) => n.id === 'n5')!.hop, 2, 'hops of an expansion count from the first subject');
  assert.deepEqual(kindsOf(v), ['deviceId', 'phone']);
  const f = filterView(v, new Set(['phone']));
  assert.deepEqual(f.nodes.map((n) => n.id).sort(), ['n1', 'n2', 'n3', 'n5']);
  assert.equal(f.edges.length, 2);
  assert.equal(subjectLabel(v.nodes.find((n) => n.id === 'n3')!), 'fraud');
  assert.notEqual(nodeColor(v.nodes.find((n) => n.id === 'n3')!), nodeColor(v.nodes.find((n) => n.id === 'n1')!));
});

/** Where the chart canvas draws fraud-red (#cf1322) pixels, in CSS pixels of the chart element. */
async function redCentre(page: Page): Promise<{ x: number; y: number; n: number } | null> {
  // runs in the page: the test tsconfig has no DOM types
  return page.getByTestId('graph-chart').evaluate((el: any) => {
    const c = el.querySelector('canvas');
    const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let sx = 0, sy = 0, n = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - 207) < 6 && Math.abs(data[i + 1] - 19) < 6 && Math.abs(data[i + 2] - 34) < 6) {
          sx += x; sy += y; n++;
        }
      }
    const scale = c.width / c.getBoundingClientRect().width;
    return n ? { x: sx / n / scale, y: sy / n / scale, n } : null;
  });
}

describe('link graph console (browser, real service)', { skip: skip !== undefined }, () => {
  let svc: Service;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const stamp = Date.now();
  const ev = (n: number, subject: Record<string, string>) => ({ id: `g-evt-${stamp}-${n}`, type: 'register', occurredAt: new Date().toISOString(), subject, data: {} });
  const events = [
    ev(1, { userId: 'g-u1', deviceId: 'D-RING-1', phone: '13900001111' }),
    ev(2, { userId: 'g-u2', deviceId: 'D-RING-1', phone: '13900001111' }),
    ev(3, { userId: 'g-u3', deviceId: 'D-RING-1', phone: '13900001111', bankCard: '6222020000001234' }),
    ev(4, { userId: 'g-u4', bankCard: '6222020000001234', ip: '10.9.8.7' }),
    ev(5, { userId: 'g-u5', ip: '10.9.8.7' }),
  ];
  const nodes = (kind: string) => page.locator(`[data-testid="graph-node"][data-kind="${kind}"]`);
  const subjectNode = (id: string) => page.locator(`[data-testid="graph-node"][data-kind="subject"][data-value="${id}"]`);

  before(async () => {
    await ensureConsoleBuilt();
    svc = await startService();
    for (const e of events) {
      const r = await apiCall(svc.url, 'POST', '/v1/events', e);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const l = await apiCall(svc.url, 'POST', '/v1/labels', { subject: { userId: 'g-u2' }, label: 'fraud', observedAt: new Date().toISOString() });
    assert.ok(l.status < 300, JSON.stringify(l.body));
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(svc.url + '/');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
  });

  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  test('the explorer shows the shared device and phone and the other members, masked', async () => {
    await page.getByTestId('menu-graph').click();
    await page.getByTestId('graph-page').waitFor();
    const search = page.locator('input[data-testid="graph-search"], [data-testid="graph-search"] input').first();
    await search.fill('g-u1');
    await search.press('Enter');
    await subjectNode('g-u2').waitFor();
    assert.match(page.url(), /#\/graph\/g-u1$/);
    await nodes('deviceId').filter({ hasText: 'D-RING-1' }).waitFor();
    for (const u of ['g-u1', 'g-u2', 'g-u3', 'g-u4']) assert.equal(await subjectNode(u).count(), 1, `${u} shown within 2 hops`);
    assert.equal(await subjectNode('g-u5').count(), 0, 'g-u5 is 3 hops away');
    const phone = (await nodes('phone').first().getAttribute('data-value')) ?? '';
    assert.notEqual(phone, '13900001111');
    assert.match(phone, /\*/, 'the phone number is masked');
    assert.doesNotMatch((await page.getByTestId('graph-page').textContent()) ?? '', /13900001111|6222020000001234/);
    // the chart draws the same nodes
    await page.waitForTimeout(800);
    assert.match((await page.getByTestId('graph-summary').textContent()) ?? '', /^4 subjects, 3 attributes/);
    await shot(page, 'graph-01-explorer');
  });

  test('clicking a node in the chart selects it and expands it (the fraud-labelled member is drawn red)', async () => {
    // g-u2 is the only fraud-labelled subject, drawn in #cf1322: find its pixels on the chart canvas and click there
    const chart = page.getByTestId('graph-chart');
    await page.waitForTimeout(1500); // let the force layout settle
    const at = await redCentre(page);
    assert.ok(at && at.n > 50, 'the fraud-labelled subject is drawn red');
    await chart.click({ position: { x: at.x, y: at.y } });
    await page.getByTestId('graph-selected').filter({ hasText: 'g-u2' }).waitFor();
    assert.match((await page.getByTestId('graph-selected').textContent()) ?? '', /Fraud/);
    await page.locator('tr', { has: subjectNode('g-u2') }).getByText('expanded').waitFor();
    await page.mouse.move(5, 5); // leave the chart: hovering a node fades the others
    // selecting and expanding re-render the chart without reshuffling the layout
    await page.waitForTimeout(800);
    const again = await redCentre(page);
    assert.ok(again && Math.hypot(again.x - at.x, again.y - at.y) < 20, `g-u2 stayed in place: ${JSON.stringify({ at, again })}`);
  });

  test('expanding a subject fetches its neighbourhood and merges it', async () => {
    await page.getByTestId('expand-g-u4').click();
    await subjectNode('g-u5').waitFor();
    assert.equal(await nodes('ip').count(), 1);
    assert.equal(await subjectNode('g-u1').count(), 1, 'the earlier nodes stay');
    await page.getByTestId('graph-selected').filter({ hasText: 'g-u4' }).waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'graph-02-expanded');
  });

  test('unchecking an attribute kind hides those nodes, checking it shows them again', async () => {
    assert.equal(await nodes('phone').count(), 1);
    await page.getByTestId('kind-phone').click();
    await page.waitForFunction('!document.querySelector(\'[data-testid="graph-node"][data-kind="phone"]\')');
    assert.equal(await nodes('deviceId').count(), 1, 'other kinds stay');
    assert.equal(await subjectNode('g-u2').count(), 1, 'subjects stay');
    await page.waitForTimeout(800);
    await shot(page, 'graph-03-filtered');
    await page.getByTestId('kind-phone').click();
    await nodes('phone').waitFor();
  });

  test('the rings list shows the ring; clicking it opens its first member in the explorer', async () => {
    await page.getByTestId('tab-rings').click();
    const row = page.getByTestId('ring-row').filter({ hasText: 'g-u1' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /g-u2/);
    assert.match(text, /D-RING-1/);
    assert.doesNotMatch(text, /13900001111/, 'shared phone masked');
    await page.waitForTimeout(300);
    await shot(page, 'graph-04-rings');
    // zh-CN texts come from the same tr() pairs
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByText('显示全部群组（不只可疑团伙）').waitFor();
    assert.match((await page.getByTestId('graph-page').textContent()) ?? '', /关联图谱.*团伙.*共用属性/);
    await shot(page, 'graph-04b-rings-zh');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByText('Shared attributes').waitFor();
    const first = ((await row.getByTestId('ring-members').textContent()) ?? '').split(',')[0]!.trim();
    await row.click();
    await page.waitForURL(new RegExp(`#/graph/${first}$`));
    await subjectNode(first).waitFor();
  });

  test('a decision detail links to its subject in the graph; an unknown subject shows a clear error', async () => {
    await page.goto(`${svc.url}/#/decisions/${events[2]!.id}`);
    await page.getByTestId('decision-detail').waitFor();
    await page.getByTestId('open-in-graph').click();
    await page.waitForURL(/#\/graph\/g-u3$/);
    await subjectNode('g-u3').waitFor();
    await nodes('deviceId').first().waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'graph-05-from-decision');
    await page.goto(`${svc.url}/#/graph/nobody-here`);
    await page.getByTestId('graph-error').filter({ hasText: 'not found' }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
