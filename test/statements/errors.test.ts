// Unknown, truncated, wrongly encoded and Excel-resaved files fail with a StatementError naming the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { StatementError } from '../../src/statements/errors.js';
import { generateTransactions, statementBuffer } from '../../src/statements/generate/index.js';
import { readAll } from './helpers.js';

async function fails(data: Buffer, code: string, name = 'f.csv'): Promise<StatementError> {
  try {
    await readAll({ name, data });
  } catch (e) {
    assert.ok(e instanceof StatementError, `expected StatementError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.file, name);
    assert.ok(e.zh.length > 0 && e.en.length > 0);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const txs = [...generateTransactions({ seed: 9, count: 60 })];

test('empty, binary, PDF and unknown CSV files', async () => {
  await fails(Buffer.alloc(0), 'EMPTY_FILE');
  await fails(Buffer.from([0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9]), 'UNKNOWN_FORMAT');
  await fails(Buffer.from('%PDF-1.7\n...'), 'UNKNOWN_FORMAT');
  const e = await fails(Buffer.from('name,age\nbob,3\n'), 'UNKNOWN_FORMAT', 'people.csv');
  assert.match(e.message, /people\.csv/);
});

test('a GBK statement that was opened as UTF-8 and saved again is refused as damaged', async () => {
  const gbk = await statementBuffer('alipay-2023', txs);
  const mangled = Buffer.from(gbk.toString('utf8'), 'utf8'); // every invalid byte became U+FFFD
  const e = await fails(mangled, 'ENCODING_DAMAGED');
  assert.match(e.en, /U\+FFFD/);
});

test('a GBK statement is decoded as GBK, and the same content as UTF-8 also parses', async () => {
  const gbk = await statementBuffer('alipay-2023', txs);
  const asUtf8 = Buffer.from(iconv.decode(gbk, 'gb18030'), 'utf8');
  const a = await readAll({ name: 'gbk.csv', data: gbk });
  const b = await readAll({ name: 'utf8.csv', data: asUtf8 });
  assert.equal(a.txs.length, 60);
  assert.deepEqual(b.txs, a.txs);
});

test('a file cut in the middle of a row is reported as truncated', async () => {
  for (const layout of ['alipay-2023', 'wechat-csv'] as const) {
    const full = await statementBuffer(layout, txs);
    const text = layout === 'alipay-2023' ? iconv.decode(full, 'gb18030') : full.toString('utf8');
    const cut = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 30);
    const data = layout === 'alipay-2023' ? iconv.encode(cut, 'gb18030') : Buffer.from(cut);
    await fails(data, 'TRUNCATED');
  }
});

test('a layout with a closing footer that is missing is reported as truncated', async () => {
  const full = iconv.decode(await statementBuffer('alipay-2021', txs), 'gb18030');
  const lines = full.split('\n');
  const cutAt = lines.findIndex((l, i) => i > 2 && l.startsWith('-----'));
  await fails(iconv.encode(lines.slice(0, cutAt).join('\n') + '\n', 'gb18030'), 'TRUNCATED');
});

test('a header-less tail (only the preamble) is reported', async () => {
  const full = iconv.decode(await statementBuffer('alipay-2023', txs), 'gb18030');
  await fails(iconv.encode(full.slice(0, full.indexOf('电子客户回单')), 'gb18030'), 'NO_HEADER');
});

test('Excel re-saves are recognised: scientific-notation ids and legacy .xls', async () => {
  const text = (await statementBuffer('wechat-csv', txs)).toString('utf8');
  const resaved = text.replace(/"(\d{20,})"\t/, (_m, id: string) => `${id[0]}.${id.slice(1, 6)}E+${id.length - 1}`);
  const e = await fails(Buffer.from(resaved), 'EXCEL_RESAVED');
  assert.match(e.zh, /科学计数法/);
  await fails(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'EXCEL_RESAVED', 'x.xls');
});

test('times rewritten by Excel (2023/2/12 21:32) are reported as a re-saved file', async () => {
  const text = (await statementBuffer('wechat-csv', txs)).toString('utf8');
  const resaved = text.replace(/^(\d{4})-0?(\d{1,2})-0?(\d{1,2}) (\d\d:\d\d):\d\d/gm, '$1/$2/$3 $4');
  const { info } = await readAll({ name: 'resaved.csv', data: Buffer.from(resaved) });
  assert.deepEqual(info.warnings.map((w) => w.code), ['EXCEL_RESAVED']);
});

test('a broken XLSX is a clear error, not a crash', async () => {
  const x = await statementBuffer('wechat-xlsx', txs);
  await fails(x.subarray(0, Math.floor(x.length / 2)), 'BAD_XLSX', 'half.xlsx');
});

test('files over the size limit are refused', async () => {
  const data = await statementBuffer('wechat-csv', txs);
  await assert.rejects(
    () => import('../../src/statements/read.js').then((m) => m.readStatement({ name: 'big.csv', data }, () => {}, { maxBytes: 100 })),
    (e: unknown) => e instanceof StatementError && e.code === 'TOO_LARGE',
  );
});
