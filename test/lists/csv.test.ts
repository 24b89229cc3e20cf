import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { exportListCsv, importListCsv, parseListCsv, parseTime } from '../../src/lists/index.js';
import { openStore, StoreNotFoundError } from '../../src/store/index.js';

const GOOD_AND_BAD = [
  'value,category,riskIntensity,collectionCount,source,reason,expiresAt',
  '+86 138-0000-0001,小贷类,5,3,同业共享,多头逾期,2027-01-01',
  '13800000002,bank,low,,,,',
  '13800000003,不存在的类,3,,,,',
  '13800000004,其他,9,,,,',
  ',其他,1,,,,',
  '13800000006,其他,2,0,,,',
  '13800000007,其他,2,1,,,next tuesday',
  '"13800000008",消金类,high,2,"来源, 含逗号","原因 ""引号""",1798761600000',
].join('\n');

test('parse: good rows kept, bad rows reported by line with the reason', () => {
  const r = parseListCsv(GOOD_AND_BAD, 'phone');
  assert.deepEqual(r.rows.map((x) => [x.line, x.entry.value]), [
    [2, '+86 138-0000-0001'],
    [3, '13800000002'],
    [9, '13800000008'],
  ]);
  assert.deepEqual(r.rows[0]!.entry, {
    value: '+86 138-0000-0001',
    category: '小贷类',
    riskIntensity: 5,
    collectionCount: 3,
    source: '同业共享',
    reason: '多头逾期',
    expiresAt: Date.UTC(2027, 0, 1),
  });
  assert.equal(r.rows[1]!.entry.category, '银行类');
  assert.equal(r.rows[1]!.entry.riskIntensity, 1);
  assert.equal(r.rows[2]!.entry.source, '来源, 含逗号');
  assert.equal(r.rows[2]!.entry.reason, '原因 "引号"');
  assert.equal(r.rows[2]!.entry.expiresAt, 1798761600000);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.field]),
    [
      [4, 'category'],
      [5, 'riskIntensity'],
      [6, 'value'],
      [7, 'collectionCount'],
      [8, 'expiresAt'],
    ],
  );
  assert.match(r.errors[0]!.message, /不存在的类/);
});

test('parse: Chinese headers, GBK bytes, unknown columns ignored, missing value column refused', () => {
  const zh = '值,类别,风险强度,收录次数,来源,原因,过期时间,备注\n110101199003071234,汽车金融类,高,2,法院,失信被执行人,2026-06-30 12:00:00,x\n';
  const utf8 = parseListCsv(zh, 'idNumber');
  assert.deepEqual(utf8.errors, []);
  assert.deepEqual(utf8.ignoredColumns, ['备注']);
  assert.deepEqual(utf8.rows[0]!.entry, {
    value: '110101199003071234',
    category: '汽车金融类',
    riskIntensity: 5,
    collectionCount: 2,
    source: '法院',
    reason: '失信被执行人',
    expiresAt: Date.UTC(2026, 5, 30, 12),
  });
  const gbk = parseListCsv(iconv.encode(zh, 'gbk'), 'idNumber');
  assert.deepEqual(gbk.rows, utf8.rows, 'GBK file reads the same');
  const bom = parseListCsv(Buffer.from('\uFEFF' + zh, 'utf8'), 'idNumber');
  assert.deepEqual(bom.rows, utf8.rows, 'BOM is skipped');

  const noValue = parseListCsv('phone,category\n1,其他\n', 'phone');
  assert.deepEqual(noValue.rows, []);
  assert.equal(noValue.errors[0]!.line, 1);
  assert.match(noValue.errors[0]!.message, /value/);
});

test('parse: broken quoting is reported, not thrown', () => {
  const r = parseListCsv('value,reason\n13800000001,ok\n13800000002,"unterminated\n', 'phone');
  assert.ok(r.errors.length >= 1);
  assert.match(r.errors[0]!.message, /CSV/);
});

test('parseTime: ISO (zone-less is UTC) and epoch', () => {
  assert.equal(parseTime('2026-01-02'), Date.UTC(2026, 0, 2));
  assert.equal(parseTime('2026-01-02T03:04:05+08:00'), Date.UTC(2026, 0, 1, 19, 4, 5));
  assert.equal(parseTime('2026-01-02 03:04'), Date.UTC(2026, 0, 2, 3, 4));
  assert.equal(parseTime('1767225600'), 1767225600000);
  assert.equal(parseTime('tomorrow'), undefined);
  assert.equal(parseTime('2026-13-45'), undefined);
});

test('import then export round-trips through the store', async () => {
  const store = await openStore({ dataDir: ':memory:' });
  await store.migrate();
  try {
    await store.lists.createList('t1', { id: 'bl', name: '黑名单', dimension: 'phone', kind: 'black' }, 'alice');
    const r = await importListCsv(store.lists, 't1', 'bl', GOOD_AND_BAD, 'alice', { batchSize: 2 });
    assert.equal(r.rows, 8);
    assert.equal(r.inserted, 3);
    assert.equal(r.updated, 0);
    assert.equal(r.errors.length, 5);
    assert.equal((await store.lists.getEntry('t1', 'bl', '13800000001'))?.collectionCount, 3);

    const again = await importListCsv(store.lists, 't1', 'bl', GOOD_AND_BAD, 'alice');
    assert.deepEqual([again.inserted, again.updated], [0, 3]);

    const csv = await exportListCsv(store.lists, 't1', 'bl');
    assert.ok(csv.startsWith('\uFEFFvalue,category,riskIntensity,collectionCount,source,reason,expiresAt\n'));
    assert.match(csv, /^13800000001,小贷类,5,3,同业共享,多头逾期,2027-01-01T00:00:00.000Z$/m);
    assert.match(csv, /^13800000008,消金类,5,2,"来源, 含逗号","原因 ""引号""",2027-01-01T00:00:00.000Z$/m);
    const zh = await exportListCsv(store.lists, 't1', 'bl', { header: 'zh', bom: false });
    assert.ok(zh.startsWith('值,类别,风险强度,收录次数,来源,原因,过期时间\n'));

    // Re-importing the export into another list reproduces it.
    await store.lists.createList('t1', { id: 'copy', name: 'copy', dimension: 'phone', kind: 'black' }, 'alice');
    const back = await importListCsv(store.lists, 't1', 'copy', csv, 'alice');
    assert.deepEqual(back.errors, []);
    const strip = (es: { value: string; category?: string; riskIntensity?: number; reason?: string; expiresAt?: number }[]) =>
      es.map((e) => [e.value, e.category, e.riskIntensity, e.reason, e.expiresAt]);
    assert.deepEqual(strip(await store.lists.entries('t1', 'copy')), strip(await store.lists.entries('t1', 'bl')));

    await assert.rejects(importListCsv(store.lists, 't2', 'bl', GOOD_AND_BAD, 'x'), StoreNotFoundError);
    await assert.rejects(exportListCsv(store.lists, 't2', 'bl'), StoreNotFoundError);
  } finally {
    await store.close();
  }
});
