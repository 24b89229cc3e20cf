// POST /v1/statements (multipart) → GET JSON / HTML; bad files get 4xx with a coded error, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { statementRoutes, MemoryStatementStore } from '../../src/statements/http.js';
import { generateTransactions, statementBuffer } from '../../src/statements/generate/index.js';

function multipart(files: { name: string; data: Buffer }[]) {
  const boundary = '----xiezhi' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function app(maxFileBytes?: number) {
  const a = Fastify();
  await a.register(statementRoutes, { store: new MemoryStatementStore(), maxFileBytes, analyze: { clock: () => Date.parse('2026-11-01T00:00:00Z') } });
  return a;
}

test('upload two files, then read JSON and the HTML report', async () => {
  const a = await app();
  const ali = await statementBuffer('alipay-2023', [...generateTransactions({ seed: 1, count: 120 })]);
  const we = await statementBuffer('wechat-csv', [...generateTransactions({ seed: 2, count: 80, source: 'wechat' })]);
  const res = await a.inject({ method: 'POST', url: '/v1/statements', ...multipart([{ name: 'ali.csv', data: ali }, { name: 'we.csv', data: we }]) });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as { id: string; files: { format: string }[]; risk: { level: string } };
  assert.deepEqual(body.files.map((f) => f.format), ['alipay-2023', 'wechat-csv']);
  const j = await a.inject({ url: `/v1/statements/${body.id}` });
  assert.equal(j.statusCode, 200);
  const report = j.json() as { transactions: unknown[]; indicators: unknown; risk: { level: string } };
  assert.equal(report.transactions.length, 200);
  assert.equal(report.risk.level, body.risk.level);
  const h = await a.inject({ url: `/v1/statements/${body.id}/report.html?lang=en` });
  assert.equal(h.statusCode, 200);
  assert.match(h.headers['content-type'] as string, /text\/html/);
  assert.match(h.body, /Statement analysis report/);
  assert.equal((await a.inject({ url: '/v1/statements/nope' })).statusCode, 404);
  assert.equal((await a.inject({ url: '/v1/statements/nope/report.html' })).statusCode, 404);
  await a.close();
});

test('bad uploads: unknown file 422, oversize 413, not multipart 415, no files 400', async () => {
  const a = await app(4096);
  const r1 = await a.inject({ method: 'POST', url: '/v1/statements', ...multipart([{ name: 'junk.csv', data: Buffer.from('a,b\n1,2\n') }]) });
  assert.equal(r1.statusCode, 422);
  assert.deepEqual((r1.json() as { error: { code: string; file: string } }).error.code, 'UNKNOWN_FORMAT');
  assert.equal((r1.json() as { error: { file: string } }).error.file, 'junk.csv');
  const big = await statementBuffer('wechat-csv', [...generateTransactions({ seed: 3, count: 200, source: 'wechat' })]);
  const r2 = await a.inject({ method: 'POST', url: '/v1/statements', ...multipart([{ name: 'big.csv', data: big }]) });
  assert.equal(r2.statusCode, 413);
  const r3 = await a.inject({ method: 'POST', url: '/v1/statements', payload: { x: 1 } });
  assert.equal(r3.statusCode, 415);
  const r4 = await a.inject({ method: 'POST', url: '/v1/statements', ...multipart([]) });
  assert.equal(r4.statusCode, 400);
  await a.close();
});
