// Reads ZEN's expression fixtures (`expression;input (json5);output (json5)`) from the shared data set.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import JSON5 from 'json5';

export const FIXTURE_DIR = resolve(process.cwd(), '../shared/data/decisions/expressions');

export interface FixtureCase {
  line: number;
  expression: string;
  input: unknown;
  expected: unknown;
}

/** Splits one row: the expression may be a double-quoted CSV field (it can contain ';'). */
function splitRow(row: string): string[] {
  let expression: string;
  let rest: string;
  const quoted = row.startsWith('"') ? /^"((?:[^"]|"")*)";/.exec(row) : null;
  if (quoted) {
    expression = quoted[1]!.replaceAll('""', '"');
    rest = row.slice(quoted[0].length);
  } else {
    const k = row.indexOf(';');
    expression = row.slice(0, k);
    rest = row.slice(k + 1);
  }
  const k = rest.indexOf(';');
  // A few rows have only two fields: expression;output.
  return k < 0 ? [expression, '', rest] : [expression, rest.slice(0, k), rest.slice(k + 1)];
}

export function loadFixture(name: string): FixtureCase[] | null {
  const file = resolve(FIXTURE_DIR, name);
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const cases: FixtureCase[] = [];
  lines.forEach((raw, idx) => {
    const row = raw.trim();
    if (idx === 0 || row === '' || row.startsWith('#')) return;
    const [expression, input, output] = splitRow(row);
    cases.push({
      line: idx + 1,
      expression: expression!.trim(),
      input: input!.trim() === '' ? undefined : JSON5.parse(input!),
      expected: JSON5.parse(output!),
    });
  });
  return cases;
}
