// How a test case's expected output is compared with the actual one. Two documented rules:
// - a bare JDM graph (ZEN's format): the whole output must equal the expectation (sameValue);
// - a strategy document ({id, name, draft}: templates, the service and console): every expected field must
//   equal the actual one, extra actual fields allowed, so a test keeps passing when a node adds an output.

/** Path of the first difference where `expected` is not contained in `actual`; undefined when contained. */
export function firstMismatch(expected: unknown, actual: unknown, path = 'output'): string | undefined {
  if (expected === actual) return undefined;
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected)) ? undefined : path;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const m = firstMismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return path;
    for (const [k, v] of Object.entries(expected)) {
      const m = firstMismatch(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return path;
}
