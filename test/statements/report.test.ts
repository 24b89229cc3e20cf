// analyzeStatements merges and de-duplicates files; the HTML report carries charts, both languages and masks
// personal data; PDF works with Chromium and fails clearly without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeStatements } from '../../src/statements/analyze.js';
import { renderReportHtml } from '../../src/statements/report/html.js';
import { renderPdf } from '../../src/statements/report/pdf.js';
import { StatementError } from '../../src/statements/errors.js';
import { generateTransactions, statementBuffer } from '../../src/statements/generate/index.js';

const now = () => Date.parse('2026-11-01T00:00:00Z');

async function fixture() {
  const ali = [...generateTransactions({ seed: 21, count: 400, source: 'alipay', risky: true, holderName: '王小明' })];
  const we = [...generateTransactions({ seed: 22, count: 200, source: 'wechat' })];
  const a = await statementBuffer('alipay-2023', ali, { holderName: '王小明', account: '13812345678' });
  const w = await statementBuffer('wechat-xlsx', we, { holderName: '王小明' });
  return { a, w, ali, we };
}

test('several files merge; the same file twice is de-duplicated by order id', async () => {
  const { a, w } = await fixture();
  const r = await analyzeStatements([{ name: 'a.csv', data: a }, { name: 'w.xlsx', data: w }, { name: 'a-again.csv', data: a }], { clock: now });
  assert.deepEqual(r.files.map((f) => [f.name, f.format, f.transactionCount]), [['a.csv', 'alipay-2023', 400], ['w.xlsx', 'wechat-xlsx', 200], ['a-again.csv', 'alipay-2023', 0]]);
  assert.ok(r.files[2].warnings.some((w) => w.code === 'DUPLICATES'));
  assert.equal(r.transactions.length, 600);
  assert.equal(r.indicators.counts.transactions, 600);
  for (let i = 1; i < r.transactions.length; i++) assert.ok(r.transactions[i - 1].time <= r.transactions[i].time);
  assert.ok(['low', 'medium', 'high'].includes(r.risk.level));
  assert.equal(r.risk.level, 'high', 'the risky generator includes gambling and many lenders');
  assert.ok(r.risk.reasons.some((x) => x.code === 'GAMBLING'));
  assert.equal(typeof r.features.platformCount, 'number');
  assert.equal(r.holder, '王**');
});

test('one unreadable file fails the analysis with its name', async () => {
  const { a } = await fixture();
  await assert.rejects(
    analyzeStatements([{ name: 'a.csv', data: a }, { name: 'junk.csv', data: Buffer.from('x,y\n1,2\n') }], { clock: now }),
    (e: unknown) => e instanceof StatementError && e.file === 'junk.csv' && e.code === 'UNKNOWN_FORMAT',
  );
});

test('HTML report: risk first, five charts as inline SVG, zh-CN and en, personal data masked', async () => {
  const { a } = await fixture();
  const r = await analyzeStatements([{ name: 'a.csv', data: a }], { clock: now });
  const zh = renderReportHtml(r, { lang: 'zh-CN' });
  const en = renderReportHtml(r, { lang: 'en' });
  assert.ok(zh.indexOf('风险等级') < zh.indexOf('<svg'), 'risk comes before the charts');
  assert.equal((zh.match(/<svg/g) ?? []).length, 5);
  for (const h of ['月度收支', '支出分类', '卡/渠道资金流', '借贷平台时间线', '交易时段分布']) assert.ok(zh.includes(h), h);
  for (const h of ['Monthly inflow and outflow', 'Flagged transactions', 'High risk']) assert.ok(en.includes(h), h);
  assert.ok(!zh.includes('王小明'), 'holder name masked');
  assert.ok(!zh.includes('<script'), 'no script in the report');
  const people = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏'];
  assert.ok(r.transactions.some((t) => t.counterparty === '张*'), 'generated friends appear, masked');
  for (const t of r.transactions) assert.ok(!people.includes(t.counterparty), `unmasked person ${t.counterparty}`);
  for (const p of people) assert.ok(!zh.includes(p), `unmasked person ${p} in HTML`);
  assert.ok(r.transactions.some((t) => t.counterparty === '拼多多'), 'merchants stay readable');
});

const chromium = existsSync('/usr/bin/chromium');
test('PDF through Chromium', { skip: chromium ? false : 'no /usr/bin/chromium' }, async () => {
  const { we } = await fixture();
  const data = await statementBuffer('wechat-csv', we.slice(0, 50));
  const r = await analyzeStatements([{ name: 'w.csv', data }], { clock: now });
  const pdf = await renderPdf(renderReportHtml(r, { lang: 'en' }));
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10_000);
});

test('PDF without a browser is a clear error', async () => {
  await assert.rejects(renderPdf('<p>x</p>', { executablePath: '/nonexistent/chromium' }), (e: unknown) => e instanceof StatementError && e.code === 'PDF_UNAVAILABLE' && /Chromium/.test(e.en));
});
