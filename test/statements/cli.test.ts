// `xiezhi statement analyze`: JSON/HTML output, and exit code 2 naming an unreadable file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../../src/cli/commands/statement.js';
import { generateTransactions, statementBuffer } from '../../src/statements/generate/index.js';

async function capture(fn: () => Promise<number>) {
  const err: string[] = [];
  const out: string[] = [];
  const e = console.error;
  const l = console.log;
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  try {
    return { code: await fn(), err: err.join('\n'), out: out.join('\n') };
  } finally {
    console.error = e;
    console.log = l;
  }
}

test('analyze writes JSON and HTML; unreadable files exit 2 with the file named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-stmt-cli-'));
  try {
    const f = join(dir, 'ali.csv');
    writeFileSync(f, await statementBuffer('alipay-2023', [...generateTransactions({ seed: 4, count: 80 })]));
    const json = join(dir, 'r.json');
    const r1 = await capture(() => command.run(['analyze', f, '--out', json, '--now', '2026-11-01T00:00:00Z']));
    assert.equal(r1.code, 0, r1.err);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(Object.keys(report).filter((k) => ['files', 'transactions', 'indicators', 'risk'].includes(k)).sort(), ['files', 'indicators', 'risk', 'transactions']);
    assert.equal(report.files[0].format, 'alipay-2023');
    assert.equal(report.files[0].transactionCount, 80);
    assert.ok(Array.isArray(report.files[0].warnings));
    assert.ok(['low', 'medium', 'high'].includes(report.risk.level));

    const html = join(dir, 'r.html');
    const r2 = await capture(() => command.run(['analyze', f, '--out', html, '--lang', 'en']));
    assert.equal(r2.code, 0, r2.err);
    assert.match(readFileSync(html, 'utf8'), /Statement analysis report/);

    const bad = join(dir, 'notes.csv');
    writeFileSync(bad, 'hello\nworld\n');
    const r3 = await capture(() => command.run(['analyze', f, bad, '--out', json]));
    assert.equal(r3.code, 2);
    assert.match(r3.err, /notes\.csv/);
    assert.match(r3.err, /UNKNOWN_FORMAT/);

    const r4 = await capture(() => command.run(['analyze', join(dir, 'missing.csv')]));
    assert.equal(r4.code, 2);
    assert.match(r4.err, /missing\.csv/);

    assert.equal((await capture(() => command.run(['analyze', f, '--out', 'x.txt']))).code, 1);
    assert.equal((await capture(() => command.run(['--help']))).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
