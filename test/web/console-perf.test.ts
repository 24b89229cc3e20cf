// Quality bar of the console, measured in a real browser against the real service: first load of the
// production build on loopback (< 2 s) with its size, and frame times while dragging in a 200-node graph.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, ROOT, apiCall, ensureConsoleBuilt, launchBrowser, shot, skipReason, startService, type Service } from './harness.js';

const skip = skipReason();

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      const s = dirSize(p);
      bytes += s.bytes;
      files += s.files;
    } else {
      bytes += st.size;
      files++;
    }
  }
  return { bytes, files };
}

/** A 200-node chain laid out on a grid: input → 198 expression nodes → output. */
function bigGraph(n = 200) {
  const nodes: any[] = [];
  const edges: any[] = [];
  for (let i = 0; i < n; i++) {
    const type = i === 0 ? 'inputNode' : i === n - 1 ? 'outputNode' : 'expressionNode';
    const node: any = { id: `n${i}`, type, name: `${type} ${i}`, position: { x: (i % 20) * 230, y: Math.floor(i / 20) * 130 } };
    if (type === 'expressionNode') node.content = { expressions: [{ id: `e${i}`, key: `v${i}`, value: `${i} + 1` }], passThrough: true };
    nodes.push(node);
    if (i > 0) edges.push({ id: `edge${i}`, sourceId: `n${i - 1}`, targetId: `n${i}`, type: 'edge' });
  }
  return { nodes, edges };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

describe('web console quality bar', { skip: skip !== undefined }, () => {
  let svc: Service;
  let browser: Browser;
  let token: string;

  before(async () => {
    await ensureConsoleBuilt();
    svc = await startService();
    browser = await launchBrowser();
    const r = await fetch(svc.url + '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    token = ((await r.json()) as { token: string }).token;
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  test('first load of the production build is under 2 s on loopback', async (t) => {
    const dist = dirSize(join(ROOT, 'web/dist'));
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    const t0 = Date.now();
    await page.goto(svc.url + '/');
    await page.getByTestId('login-submit').waitFor();
    const loginMs = Date.now() - t0;
    // page scripts are strings: the test runner's transpiler would add helpers the page does not have
    const nav = (await page.evaluate(`(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: res.reduce((a, r) => a + (r.encodedBodySize || 0), n.encodedBodySize || 0), requests: res.length + 1 };
    })()`)) as { domContentLoaded: number; load: number; bytes: number; requests: number };
    // signed in: the dashboard (with the chart library) on a cold cache too
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    const t1 = Date.now();
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
    const dashboardMs = Date.now() - t1;
    t.diagnostic(`web/dist: ${(dist.bytes / 1024).toFixed(0)} KiB in ${dist.files} files`);
    t.diagnostic(`first load (sign-in page): ${loginMs} ms to usable form; DOMContentLoaded ${nav.domContentLoaded.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms; ${nav.requests} requests, ${(nav.bytes / 1024).toFixed(0)} KiB`);
    t.diagnostic(`sign-in → dashboard shown: ${dashboardMs} ms`);
    assert.ok(loginMs < 2000, `first load took ${loginMs} ms`);
    // sign-in → dashboard includes the login call, the chart chunk and the stats query: looser on a busy CI machine
    assert.ok(dashboardMs < 3000, `dashboard took ${dashboardMs} ms`);
    await ctx.close();
  });

  test('dragging a node in a 200-node graph keeps frames short', async (t) => {
    const created = await apiCall(svc.url, 'POST', '/v1/strategies', { id: 'perf-200', name: 'perf 200 nodes', eventTypes: ['perf_check'], draft: bigGraph() }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await ctx.addInitScript(`localStorage.setItem('xiezhi.token', ${JSON.stringify(token)})`);
    const page = await ctx.newPage();
    const t0 = Date.now();
    await page.goto(svc.url + '/#/strategies/perf-200');
    await page.locator('.react-flow__node').nth(199).waitFor();
    const openMs = Date.now() - t0;
    assert.equal(await page.locator('.react-flow__node').count(), 200);
    // zoom in so a node is big enough to grab, then drag one across the canvas while sampling frames
    const node = page.locator('.react-flow__node[data-id="n45"]');
    await node.scrollIntoViewIfNeeded();
    const b = (await node.boundingBox())!;
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__sampling = true;
      let last = performance.now();
      const tick = (now) => {
        window.__frames.push(now - last);
        last = now;
        if (window.__sampling) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(b.x + b.width / 2 + i * 4, b.y + b.height / 2 + i * 2);
    await page.mouse.up();
    const frames = (await page.evaluate('(() => { window.__sampling = false; return window.__frames.slice(1); })()')) as number[];
    const moved = (await node.boundingBox())!;
    assert.ok(moved.x > b.x + 50, 'the node moved with the mouse');
    const mean = frames.reduce((a, x) => a + x, 0) / frames.length;
    t.diagnostic(`200-node editor opened in ${openMs} ms; drag: ${frames.length} frames, mean ${mean.toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
    await shot(page, '20-200-nodes');
    // smooth = most frames within a 60 Hz budget on a shared CI machine; a regression to full re-renders shows as 100+ ms
    assert.ok(pct(frames, 95) < 100, `p95 frame ${pct(frames, 95).toFixed(1)} ms`);
    await ctx.close();
  });
});
