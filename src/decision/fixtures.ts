// Runs the `tests: [{input, output}]` embedded in decision files (what `xiezhi test` reports).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { compileDecision } from './compile.js';
import { DecisionValidationError } from './errors.js';
import type { CompileDecisionOptions, JdmGraph } from './types.js';
import { sameValue } from './values.js';
import { firstMismatch } from './compare.js';

export interface CaseFailure {
  file: string;
  index: number;
  message: string;
}

export interface FileReport {
  file: string;
  passed: number;
  failed: CaseFailure[];
  /** Set when the whole file was refused because it uses functionNode (arbitrary JavaScript, by design unsupported). */
  rejected?: { cases: number; reason: string };
  /** Set for JSON files that are not decision graphs at all (no `nodes`, no `tests`): not counted. */
  skipped?: string;
}

/** Expands files and directories (recursively, `*.json`) into a sorted list of decision files. */
export function decisionFiles(targets: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const child = join(p, name);
        if (statSync(child).isDirectory() || name.endsWith('.json')) walk(child);
      }
    } else out.push(p);
  };
  for (const t of targets) walk(t);
  return out;
}

/**
 * Resolves decisionNode keys to decision files next to `file` (`key`, then `key.json`), as ZEN's filesystem
 * loader does. Keys cannot leave that directory.
 */
/**
 * Reads a decision file: a bare JDM graph, or a strategy document that wraps one (`{id, name, draft}` as the
 * templates under examples/strategies and the service's strategy export, or `{content}` as ZEN's exports).
 */
export function readDecisionFile(file: string): JdmGraph {
  return readDecisionDocument(file).graph;
}

/** As readDecisionFile, also saying whether the graph came wrapped in a strategy document. */
export function readDecisionDocument(file: string): { graph: JdmGraph; strategy: boolean } {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (doc !== null && typeof doc === 'object' && !Array.isArray((doc as JdmGraph).nodes)) {
    for (const key of ['draft', 'graph', 'content'] as const) {
      const inner = (doc as Record<string, unknown>)[key];
      if (inner !== null && typeof inner === 'object' && Array.isArray((inner as JdmGraph).nodes)) return { graph: inner as JdmGraph, strategy: true };
    }
  }
  return { graph: doc as JdmGraph, strategy: false };
}

export function fileLoader(file: string): (key: string) => JdmGraph | undefined {
  const base = dirname(resolve(file));
  const cache = new Map<string, JdmGraph | undefined>();
  return (key) => {
    if (cache.has(key)) return cache.get(key);
    let graph: JdmGraph | undefined;
    for (const candidate of [key, `${key}.json`]) {
      const target = resolve(base, candidate);
      const rel = relative(base, target);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`decision key '${key}' points outside ${base}`);
      if (existsSync(target) && statSync(target).isFile()) {
        graph = readDecisionFile(target);
        break;
      }
    }
    cache.set(key, graph);
    return graph;
  };
}

export function runDecisionFile(file: string, now: number | undefined, opts: CompileDecisionOptions = {}): FileReport {
  const report: FileReport = { file, passed: 0, failed: [] };
  let graph: JdmGraph;
  let strategy = false;
  try {
    ({ graph, strategy } = readDecisionDocument(file));
  } catch (err) {
    report.failed.push({ file, index: -1, message: `cannot read decision file: ${(err as Error).message}` });
    return report;
  }
  if (graph === null || typeof graph !== 'object' || (!Array.isArray(graph.nodes) && !Array.isArray(graph.tests))) {
    report.skipped = 'not a decision graph (no nodes, no tests)';
    return report;
  }
  const tests = Array.isArray(graph.tests) ? graph.tests : [];
  let compiled;
  try {
    compiled = compileDecision(graph, { loader: fileLoader(file), ...opts });
  } catch (err) {
    const issues = err instanceof DecisionValidationError ? err.issues : [];
    const fn = issues.filter((i) => i.field === 'type' && i.message.startsWith('functionNode'));
    if (fn.length > 0) {
      const others = issues.length - fn.length;
      report.rejected = {
        cases: tests.length,
        reason: `uses functionNode (arbitrary JavaScript), which Xiezhi rejects by design${others > 0 ? `; ${others} other issue${others === 1 ? '' : 's'}: ${issues.filter((i) => !fn.includes(i)).map((i) => `${i.nodeId} ${i.field ?? ''}: ${i.message}`).join('; ')}` : ''}`,
      };
      return report;
    }
    const msg = (err as Error).message;
    if (tests.length === 0) report.failed.push({ file, index: -1, message: msg });
    tests.forEach((_, i) => report.failed.push({ file, index: i, message: `graph rejected: ${msg}` }));
    return report;
  }
  tests.forEach((t, i) => {
    try {
      const { result } = compiled.evaluate(t.input, { now });
      const pass = strategy ? firstMismatch(t.output, result) === undefined : sameValue(result, t.output);
      if (pass) report.passed++;
      else report.failed.push({ file, index: i, message: diff(t.output, result) });
    } catch (err) {
      report.failed.push({ file, index: i, message: `evaluation failed: ${(err as Error).message}` });
    }
  });
  return report;
}

/** A compact diff: each differing path with expected and actual values. */
export function diff(expected: unknown, actual: unknown, path = '', out: string[] = []): string {
  if (sameValue(expected, actual)) return out.join('; ');
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(expected) && isObj(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) diff(e[k] ?? null, a[k] ?? null, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((v, i) => diff(v, actual[i], `${path}[${i}]`, out));
  } else {
    out.push(`${path || '(result)'}: expected ${short(expected)}, got ${short(actual)}`);
  }
  return out.join('; ');
}

function short(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
