// Runs every case of ZEN's expression fixtures and reports the pass rate per file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { compileExpression, compileUnaryExpression, toPlain } from '../../src/expression/index.js';
import { FIXTURE_DIR, loadFixture } from './fixtures.js';

const NOW = Date.parse('2025-08-19T16:55:02.078Z');

for (const file of ['standard.csv', 'unary.csv', 'date.csv']) {
  const cases = loadFixture(file);
  test(`ZEN fixtures ${file}`, { skip: cases === null ? `fixture ${FIXTURE_DIR}/${file} not found` : false }, () => {
    const failures: string[] = [];
    for (const c of cases!) {
      let got: unknown;
      try {
        const compiled = file === 'unary.csv' ? compileUnaryExpression(c.expression) : compileExpression(c.expression);
        // Relative-date cases (isToday, isYesterday) read the injected clock.
        got = JSON.parse(JSON.stringify(toPlain(compiled.evaluate(c.input, undefined, { now: NOW })) ?? null));
      } catch (e) {
        got = `error: ${(e as Error).message}`;
      }
      if (!isDeepStrictEqual(got, c.expected)) {
        failures.push(`${file}:${c.line} ${c.expression} → ${JSON.stringify(got)}, expected ${JSON.stringify(c.expected)}`);
      }
    }
    const rate = (cases!.length - failures.length) / cases!.length;
    console.log(`${file}: ${cases!.length - failures.length}/${cases!.length} passed (${(rate * 100).toFixed(1)}%)`);
    for (const f of failures) console.log(`  FAIL ${f}`);
    assert.ok(cases!.length > 40, 'fixture file has cases');
    // Every case passes today; any regression fails the suite (the floor is 95%).
    assert.deepEqual(failures, [], `pass rate ${(rate * 100).toFixed(1)}%`);
  });
}
