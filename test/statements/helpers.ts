// Shared helpers for statement tests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readStatement, type StatementInput } from '../../src/statements/read.js';
import type { Transaction } from '../../src/statements/types.js';

export const DATA = join(process.cwd(), '..', 'shared', 'data', 'statements');
export const sample = (name: string) => join(DATA, name);
export const hasSamples = existsSync(join(DATA, 'alipay-2023-gbk.csv')) && existsSync(join(DATA, 'wechat-csv-utf8.csv'));
export const skipSamples = hasSamples ? false : `real samples not found under ${DATA}`;

export async function readAll(input: StatementInput) {
  const txs: Transaction[] = [];
  const info = await readStatement(input, (t) => txs.push(t));
  return { info, txs };
}
