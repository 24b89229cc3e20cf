// PDF through playwright-core driving the system Chromium. No browser → a clear StatementError, never a crash.
import { existsSync } from 'node:fs';
import { StatementError } from '../errors.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function findChromium(explicit?: string): string | undefined {
  const list = explicit ? [explicit] : [process.env.XIEZHI_CHROMIUM, ...CANDIDATES].filter((x): x is string => !!x);
  return list.find((p) => existsSync(p));
}

async function withPage<T>(html: string, opts: { executablePath?: string }, fn: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
  const exe = findChromium(opts.executablePath);
  if (!exe) {
    throw new StatementError(
      'PDF_UNAVAILABLE',
      '无法生成 PDF：没有找到 Chromium 浏览器（/usr/bin/chromium）；请安装 chromium 或改用 HTML 报告',
      'cannot render PDF: no Chromium browser found (/usr/bin/chromium); install chromium or use the HTML report',
    );
  }
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath: exe, args: ARGS, headless: true });
  } catch (e) {
    throw new StatementError('PDF_UNAVAILABLE', `无法启动 Chromium：${(e as Error).message.split('\n')[0]}`, `cannot start Chromium: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const page = await browser.newPage({ viewport: { width: 980, height: 1200 } });
    await page.setContent(html, { waitUntil: 'load' });
    return await fn(page);
  } finally {
    await browser.close();
  }
}

/** Renders report HTML to an A4 PDF. */
export async function renderPdf(html: string, opts: { executablePath?: string } = {}): Promise<Buffer> {
  return withPage(html, opts, async (page) => Buffer.from(await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } })));
}

/** Full-page PNG screenshot (for reviewing the layout). */
export async function renderPng(html: string, opts: { executablePath?: string } = {}): Promise<Buffer> {
  return withPage(html, opts, async (page) => Buffer.from(await page.screenshot({ fullPage: true, type: 'png' })));
}
