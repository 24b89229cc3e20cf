// The GB18030 reader splits raw bytes and decodes field by field through a cache; it must give exactly what
// decoding the whole file first and splitting the text gives, wherever the read chunks happen to be cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { csvRecords, splitCsvLine } from '../../src/statements/csv.js';
import { parseBeijingTime } from '../../src/statements/time.js';

async function readChunked(bytes: Buffer, size: number, encoding: string): Promise<string[][]> {
  const rows: string[][] = [];
  const chunks = async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
  for await (const b of csvRecords(chunks(), encoding)) rows.push(...b);
  return rows;
}

// 丂 (81 40) and 乗 (81 5C, a backslash) have ASCII trail bytes; ¥ is a four-byte GB18030 sequence whose 2nd and
// 4th bytes are digits; U+3000 (ideographic space) is kept by the splitter and trimmed later by the parser.
const TEXT = [
  '交易时间,交易对方,商品说明,金额,备注',
  '2023-02-12 21:32:14 ,丂乗科技   ,¥28.16,   28.16 ,"引号""内""逗,号"\t,',
  '2023-02-12 21:32:15,€12,"　全角空格　",1,交通银行信用卡(7449)',
  '2023-02-12 21:32:16,"跨行',
  '的字段",丂@,9,乗~~',
  '',
  '2023-02-12 21:32:17,用户1234,二维码收款,1.00,',
].join('\r\n');

test('csvRecords (GB18030): byte splitting with a decode cache equals decode-then-split, for any chunking', async () => {
  const bytes = iconv.encode(TEXT, 'gb18030');
  assert.ok(bytes.includes(Buffer.from([0x81, 0x40])) && bytes.includes(Buffer.from([0x81, 0x5c])), 'the sample holds ASCII trail bytes');
  const expected = await readChunked(Buffer.from(TEXT, 'utf8'), 1 << 20, 'utf8');
  assert.equal(expected.length, 5);
  assert.deepEqual(expected[1], ['2023-02-12 21:32:14', '丂乗科技', '¥28.16', '28.16', '引号"内"逗,号', '']);
  assert.deepEqual(expected[2].slice(1, 3), ['€12', '　全角空格　']); // only ASCII blanks are trimmed here
  assert.deepEqual(expected[3], ['2023-02-12 21:32:16', '跨行\n的字段', '丂@', '9', '乗~~']);
  for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) {
    assert.deepEqual(await readChunked(bytes, size, 'gb18030'), expected, `chunks of ${size} bytes`);
  }
  // Repeated rows hit the cache and must still decode to the same text.
  const many = iconv.encode(Array.from({ length: 50 }, () => TEXT).join('\r\n'), 'gb18030');
  const rows = await readChunked(many, 4096, 'gb18030');
  assert.equal(rows.length, 250);
  assert.deepEqual(rows.slice(245), expected);
});

test('csvRecords (GB18030): a record split by a chunk boundary and an unterminated last line', async () => {
  const text = '甲,乙\n丙丁,戊己庚';
  const bytes = iconv.encode(text, 'gb18030');
  for (let cut = 1; cut < bytes.length; cut++) {
    const rows: string[][] = [];
    const chunks = async function* () {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    };
    for await (const b of csvRecords(chunks(), 'gb18030')) rows.push(...b);
    assert.deepEqual(rows, text.split('\n').map(splitCsvLine), `cut at ${cut}`);
  }
});

test('parseBeijingTime: the fixed-format fast path agrees with the general one', () => {
  assert.equal(parseBeijingTime('2023-02-12 21:32:14'), Date.UTC(2023, 1, 12, 13, 32, 14));
  assert.equal(parseBeijingTime('2023-02-12 21:32:14'), parseBeijingTime('2023/2/12 21:32:14'));
  assert.equal(parseBeijingTime('2023-02-13 00:00:00') - parseBeijingTime('2023-02-12 23:59:59'), 1000);
  assert.equal(parseBeijingTime('2024-02-30 01:02:03'), Date.UTC(2024, 1, 30, 1, 2, 3) - 8 * 3600_000); // Date.UTC rolls over, as before
  for (const bad of ['2023-02-12 24:00:00', '2023-13-01 00:00:00', '1989-12-31 12:00:00', '2023-02-00 10:00:00', '2023-02-12 21:60:00']) {
    assert.ok(Number.isNaN(parseBeijingTime(bad)), bad);
  }
  assert.equal(parseBeijingTime('2023-02-1x 21:32:14'), Date.UTC(2023, 1, 1, 13, 32, 14)); // general path: runs of digits
});
