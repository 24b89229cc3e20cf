import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../../src/cli/commands/model.js';

const GERMAN = new URL('../../../shared/data/credit/german.csv', import.meta.url).pathname;
const skip = existsSync(GERMAN) ? false : `German credit data not found at ${GERMAN}`;
const XGB = new URL('./fixtures/xgboost-taiwan.json', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await command.run(args);
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    console.log = log;
    console.error = error;
    process.stderr.write = write;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xiezhi-model-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('clear errors: missing target column, non-binary target, empty file, unknown type', async () => {
  const f = join(dir, 'bad.csv');
  writeFileSync(f, 'a,b\n1,2\n3,4\n');
  let r = await run(['train', '--data', f, '--target', 'label']);
  assert.equal(r.code, 2);
  assert.match(r.err, /target column "label" is not in the CSV/);
  assert.match(r.err, /目标列/);
  r = await run(['train', '--data', f, '--target', 'b']);
  assert.equal(r.code, 2);
  assert.match(r.err, /must be binary/);
  writeFileSync(f, '');
  r = await run(['train', '--data', f, '--target', 'b']);
  assert.match(r.err, /empty/);
  r = await run(['train', '--data', join(dir, 'nope.csv'), '--target', 'b']);
  assert.match(r.err, /cannot read/);
  r = await run(['train', '--data', f, '--target', 'b', '--type', 'forest']);
  assert.match(r.err, /--type must be scorecard or gbdt/);
  r = await run(['train', '--data', f, '--target', 'b', '--trees', 'many', '--type', 'gbdt']);
  assert.equal(r.code, 2);
});

test('train --json (scorecard and gbdt), evaluate on the CSV, and a file registry', { skip }, async () => {
  const out = join(dir, 'sc.json');
  let r = await run(['train', '--data', GERMAN, '--target', 'creditability', '--json', '--out', out, '--register', join(dir, 'reg'), '--id', 'german-sc', '--author', 'tester']);
  assert.equal(r.code, 0, r.err);
  const m = JSON.parse(r.out) as Record<string, number>;
  for (const k of ['auc', 'ks', 'gini', 'psi', 'trainAuc']) assert.equal(typeof m[k], 'number', k);
  assert.ok(m.auc! > 0.7 && m.auc! < 0.9);
  assert.deepEqual(JSON.parse(r.out).registered, { id: 'german-sc', version: 1 });
  r = await run(['evaluate', '--model', out, '--data', GERMAN, '--json']);
  assert.equal(r.code, 0, r.err);
  const e = JSON.parse(r.out) as { auc: number; lift: unknown[] };
  assert.ok(e.auc > 0.7);
  assert.equal(e.lift.length, 10);
  r = await run(['train', '--data', GERMAN, '--target', 'creditability', '--type', 'gbdt', '--trees', '20', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.ok((JSON.parse(r.out) as { auc: number }).auc > 0.65);
  assert.match(r.err, /20\/20/, 'progress on stderr');
  r = await run(['train', '--data', GERMAN, '--target', 'creditability']);
  assert.match(r.out, /base points/);
  assert.match(r.out, /converged/);
});

test('import an XGBoost model, then evaluate it; unsupported files fail clearly', async () => {
  const out = join(dir, 'xgb.json');
  let r = await run(['import', XGB, '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported ensemble \(xgboost, 15 trees\) with 23 features/);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).format, 'xiezhi.model');
  const csv = join(dir, 't.csv');
  writeFileSync(csv, 'LIMIT_BAL,SEX,EDUCATION,MARRIAGE,AGE,PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6,BILL_AMT1,BILL_AMT2,BILL_AMT3,BILL_AMT4,BILL_AMT5,BILL_AMT6,PAY_AMT1,PAY_AMT2,PAY_AMT3,PAY_AMT4,PAY_AMT5,PAY_AMT6,y\n' +
    '20000,2,2,1,24,2,2,-1,-1,-2,-2,3913,3102,689,0,0,0,0,689,0,0,0,0,1\n120000,2,2,2,26,-1,2,0,0,0,2,2682,1725,2682,3272,3455,3261,0,1000,1000,1000,0,2000,0\n90000,2,2,2,34,0,0,0,0,0,0,29239,14027,13559,14331,14948,15549,1518,1500,1000,1000,1000,5000,0\n');
  r = await run(['evaluate', '--model', out, '--data', csv, '--target', 'y', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).n, 3);
  writeFileSync(csv, 'a,y\n1,0\n2,1\n');
  r = await run(['evaluate', '--model', out, '--data', csv, '--target', 'y']);
  assert.match(r.err, /lacks the model's features: LIMIT_BAL/);
  const junk = join(dir, 'junk.bin');
  writeFileSync(junk, 'hello');
  r = await run(['import', junk]);
  assert.match(r.err, /unknown model format/);
});
