// Runs a draft's embedded tests (`tests: [{input, output}]`) and sample events against a compiled graph.
// A test passes when every field of the expected output equals the actual one (extra actual fields allowed),
// so a template's tests keep passing when a node adds an output the test did not pin.
import type { CompiledDecision } from '../decision/index.js';
import { maskPersonalData } from '../core/mask.js';
import { firstMismatch } from '../decision/compare.js';

export { firstMismatch };

export interface TestOutcome {
  index: number;
  name?: string;
  passed: boolean;
  expected: unknown;
  actual?: unknown;
  /** First differing path, when failed. */
  mismatch?: string;
  error?: string;
}

export function runGraphTests(compiled: CompiledDecision, tests: unknown, now: number): TestOutcome[] {
  if (!Array.isArray(tests)) return [];
  return tests.map((t: { input?: unknown; output?: unknown; name?: string; now?: string | number }, index) => {
    try {
      const res = compiled.evaluate(t?.input ?? {}, { now: t?.now ?? now });
      const mismatch = firstMismatch(t?.output, res.result);
      return { index, ...(t?.name ? { name: t.name } : {}), passed: !mismatch, expected: t?.output, actual: maskPersonalData(res.result), ...(mismatch ? { mismatch } : {}) };
    } catch (err) {
      return { index, ...(t?.name ? { name: t.name } : {}), passed: false, expected: t?.output, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
