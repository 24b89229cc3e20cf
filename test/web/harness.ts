// Browser-test harness: builds the console if needed, starts the real service on a free port with an empty
// data directory, and drives Debian's Chromium through playwright-core (no browser downloads).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.XIEZHI_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');
export const ADMIN_PASSWORD = 'admin-e2e-password';
export const API_KEY = 'xz_e2e_bootstrap_key_0123456789abcdef';

/** Why the browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set XIEZHI_CHROMIUM`;
  return undefined;
}

/**
 * Builds web/dist when it is missing (CI builds it before the tests; this keeps a fresh checkout working).
 * Test files run in parallel: a lock directory makes one of them build while the others wait.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const index = join(ROOT, 'web/dist/index.html');
  const lock = join(ROOT, 'web/.build-lock');
  const deadline = Date.now() + 180_000;
  while (!existsSync(index)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 180 s for another test to build the console (remove ${lock} if stale)`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('building the console failed (npm run build -w web)');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface Service {
  url: string;
  proc: ChildProcess;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `xiezhi start` (embedded SQLite, no demo traffic) as a child process and waits for /readyz. */
export async function startService(): Promise<Service> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'xiezhi-web-'));
  const env = {
    ...process.env,
    XIEZHI_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    XIEZHI_BOOTSTRAP_API_KEY: API_KEY,
    XIEZHI_DEMO_APPLICANTS: '0',
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`service exited (${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`service did not become ready in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    proc,
    dataDir,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Calls the API with the bootstrap key. */
export async function apiCall<T = any>(base: string, method: string, path: string, body?: unknown, token = API_KEY): Promise<{ status: number; body: T }> {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The <input> of an antd control (Input, InputNumber, Select) whose test id sits on the input or on its wrapper. */
export function inputOf(page: Page, id: string) {
  return page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
}

/**
 * Picks an antd Select option and waits for what choosing it shows. Under CI load a click can land while the
 * dropdown is still animating and choose nothing, so the pick is retried (at most three times).
 */
export async function pickOption(page: Page, select: Locator, option: string, chosen: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // A dropdown closing from an earlier pick would take the option lookup: let it go first. One still open
    // after 2 s is this select's own, left open by a click that chose nothing: pick from it again.
    const open = page.locator('.ant-select-dropdown:visible');
    for (let i = 0; i < 40 && (await open.count()) > 0; i++) await page.waitForTimeout(50);
    if ((await open.count()) === 0) await select.click();
    await page.locator('.ant-select-dropdown:visible').getByText(option).click();
    try {
      await chosen.waitFor({ timeout: 5000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
