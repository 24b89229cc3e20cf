// The real exports in ../shared/data/statements parse into the rows they hold, and their inconsistent
// summaries are reported as possible tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { readAll, sample, skipSamples } from './helpers.js';
import { splitCsvLine } from '../../src/statements/csv.js';

test('Alipay 2023 GBK sample: detected by content, all rows, fields and money exact', { skip: skipSamples }, async () => {
  const { info, txs } = await readAll({ name: 'alipay.csv', path: sample('alipay-2023-gbk.csv') });
  assert.equal(info.format, 'alipay-2023');
  assert.equal(txs.length, 10);
  assert.equal(info.meta.holderName, 'xx');
  assert.deepEqual(txs[0], {
    source: 'alipay',
    time: Date.parse('2023-02-12T21:32:14+08:00'),
    direction: 'out',
    amount: 4974,
    counterparty: 'xxxxxxxxxxxx',
    counterpartyAccount: '',
    item: '亲情卡',
    platformCategory: '亲友代付',
    method: '交通银行信用卡(7449)',
    status: '交易成功',
    orderId: '202302xxxxxx0011000103xxxxxx',
    merchantOrderId: '20230xxxxxxx014741014xxxxxx',
    note: '',
  });
  const big = txs.find((t) => t.direction === 'in')!;
  assert.equal(big.amount, 22222850);
  assert.equal(txs.filter((t) => t.direction === 'neutral').length, 4);
  // The sample declares 共66笔记录 but holds 10 rows: that must be flagged.
  assert.ok(info.warnings.some((w) => w.code === 'TAMPER_COUNT' && w.en.includes('66')));
  assert.ok(info.warnings.some((w) => w.code === 'TAMPER_TOTAL'));
});

test('WeChat CSV sample: ¥ amounts, "/" as empty, quotes inside unquoted names', { skip: skipSamples }, async () => {
  const { info, txs } = await readAll({ name: 'wechat.csv', path: sample('wechat-csv-utf8.csv') });
  assert.equal(info.format, 'wechat-csv');
  assert.equal(txs.length, 27);
  assert.equal(txs[0].amount, 2816);
  assert.equal(txs[0].counterparty, '云膳过桥米线(传奇广场店)');
  assert.equal(txs[1].method, '');
  assert.ok(txs.some((t) => t.counterparty === '打开拼多多，点击底部"多多视频"'));
  assert.equal(txs.find((t) => t.item === '美团订单-54321')!.amount, 5000);
  assert.equal(txs.find((t) => t.platformCategory === '零钱提现')!.note, '服务费¥0.10');
  assert.ok(info.warnings.some((w) => w.code === 'TAMPER_COUNT'));
});

test('our CSV splitter agrees with csv-parse on both real samples', { skip: skipSamples }, () => {
  for (const [file, enc] of [['alipay-2023-gbk.csv', 'gb18030'], ['wechat-csv-utf8.csv', 'utf8']] as const) {
    const text = iconv.decode(readFileSync(sample(file)), enc);
    const ref = parse(text, { relax_quotes: true, relax_column_count: true, trim: true, skip_empty_lines: true }) as string[][];
    const ours = text.split(/\r?\n/).filter((l) => l.length > 0).map(splitCsvLine);
    assert.equal(ours.length, ref.length, file);
    for (let i = 0; i < ref.length; i++) assert.deepEqual(ours[i], ref[i], `${file} row ${i}`);
  }
});

test('csvRecords: a quoted field may span lines; CRLF and blank lines are handled', async () => {
  const { csvRecords } = await import('../../src/statements/csv.js');
  const chunks = [Buffer.from('a,"multi\r\nli'), Buffer.from('ne",c\r\n\r\nx,y\r\n')];
  const rows: string[][] = [];
  for await (const b of csvRecords((async function* () { yield* chunks; })(), 'utf8')) rows.push(...b);
  assert.deepEqual(rows, [['a', 'multi\nline', 'c'], ['x', 'y']]);
});

test('splitCsvLine: quoting rules', () => {
  assert.deepEqual(splitCsvLine('a, b ,"c,d" ,"e""f",'), ['a', 'b', 'c,d', 'e"f', '']);
  assert.deepEqual(splitCsvLine('"3985734"\t,x'), ['3985734', 'x']);
  assert.deepEqual(splitCsvLine('点击"多多视频",1'), ['点击"多多视频"', '1']);
  assert.deepEqual(splitCsvLine(''), ['']);
});
