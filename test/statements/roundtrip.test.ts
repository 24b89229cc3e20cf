// Every layout the generator writes parses back into exactly the generated transactions (money in fen).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateTransactions, LAYOUTS, formatOf, projectTransaction, statementBuffer, type Layout } from '../../src/statements/generate/index.js';
import { readAll } from './helpers.js';

const sourceOf = (l: Layout) => (l.startsWith('wechat') ? 'wechat' : l.startsWith('alipay') ? 'alipay' : 'bank');

for (const layout of LAYOUTS) {
  test(`round trip: ${layout}`, async () => {
    const txs = [...generateTransactions({ seed: 11, count: 400, source: sourceOf(layout), risky: true })];
    const data = await statementBuffer(layout, txs);
    const { info, txs: got } = await readAll({ name: `gen.${layout.includes('xlsx') ? 'xlsx' : 'csv'}`, data });
    assert.equal(info.format, formatOf(layout));
    assert.deepEqual(info.warnings, []);
    const expected = txs.map((t) => projectTransaction(t, layout));
    assert.equal(got.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      const { balance, ...rest } = got[i];
      assert.deepEqual(rest, expected[i], `row ${i}`);
      if (layout === 'cmb-debit' || layout === 'icbc-debit') assert.equal(typeof balance, 'number');
    }
  });
}

test('encodings are the real ones: Alipay GB18030, WeChat UTF-8 with optional BOM, XLSX zip', async () => {
  const txs = [...generateTransactions({ seed: 2, count: 5 })];
  const ali = await statementBuffer('alipay-2023', txs);
  assert.ok(!ali.includes(Buffer.from('交易时间', 'utf8')), 'Alipay must not be UTF-8');
  const bom = await statementBuffer('wechat-csv-bom', txs);
  assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const plain = await statementBuffer('wechat-csv', txs);
  assert.deepEqual([...plain.subarray(0, 3)], [0xe5, 0xbe, 0xae], 'UTF-8 without BOM starts with 微');
  const x = await statementBuffer('wechat-xlsx', txs);
  assert.equal(x.subarray(0, 2).toString(), 'PK');
});

test('a summary that disagrees with the rows is reported as tampering', async () => {
  const txs = [...generateTransactions({ seed: 5, count: 50 })];
  for (const layout of ['alipay-2023', 'alipay-2021', 'alipay-web', 'wechat-csv', 'wechat-xlsx'] as const) {
    const data = await statementBuffer(layout, txs, { tamperSummary: true });
    const { info } = await readAll({ name: layout, data });
    const codes = info.warnings.map((w) => w.code);
    assert.ok(codes.includes('TAMPER_COUNT'), `${layout}: ${codes}`);
    assert.ok(codes.includes('TAMPER_TOTAL'), `${layout}: ${codes}`);
  }
});

test('an edited amount is caught by the totals check', async () => {
  const txs = [...generateTransactions({ seed: 6, count: 30 })];
  const data = await statementBuffer('wechat-csv', txs);
  const i = txs.findIndex((t) => t.direction === 'out');
  const from = `¥${(txs[i].amount / 100).toFixed(2)}`;
  const edited = Buffer.from(data.toString('utf8').replace(from, '¥1.00'));
  const { info } = await readAll({ name: 'edited.csv', data: edited });
  assert.ok(info.warnings.some((w) => w.code === 'TAMPER_TOTAL'));
});
