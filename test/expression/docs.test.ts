// Keeps docs/expression.md honest: every row of its "Examples" table is evaluated and compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateExpression } from '../../src/expression/index.js';

/** Cells are wrapped in backticks (double backticks when the code contains one). */
function code(cell: string): string {
  const t = cell.trim();
  if (t === '') return '';
  const m = /^(`+)\s?([\s\S]*?)\s?\1$/.exec(t);
  assert.ok(m, `cell is not code: ${t}`);
  return m[2]!.replaceAll('\\|', '|');
}

/** Splits a table row on `|` outside code spans. */
function splitCells(row: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let fence = 0;
  for (let i = 1; i < row.length - 1; i++) {
    const c = row[i]!;
    if (c === '`') {
      let n = 0;
      while (row[i + n] === '`') n++;
      if (fence === 0) fence = n;
      else if (n === fence) fence = 0;
      cur += '`'.repeat(n);
      i += n - 1;
      continue;
    }
    if (c === '|' && fence === 0 && row[i - 1] !== '\\') {
      cells.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  cells.push(cur);
  return cells;
}

test('docs/expression.md examples evaluate as documented', () => {
  const doc = readFileSync(resolve(process.cwd(), 'docs/expression.md'), 'utf8');
  const section = doc.split('## Examples')[1]!.split('\n## ')[0]!;
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  assert.ok(rows.length >= 10, 'examples table found');
  for (const row of rows) {
    const cells = splitCells(row);
    const [expression, input, result] = cells.map(code);
    const value = evaluateExpression(expression!, input ? JSON.parse(input) : {}, { now: '2025-08-19T16:55:02Z' });
    assert.deepEqual(value, JSON.parse(result!), expression);
  }
});
