// expressionNode: an ordered list of `key = expression`. Keys are dotted output paths; each expression sees
// the node input as its root and `$` as the output built so far (so later rows can reuse earlier ones).
// A failing expression fails the evaluation (as in ZEN), naming the node and the key.
import type { CompiledExpression } from '../../expression/types.js';
import { NodeFailure } from '../errors.js';
import { compileStandard, sourceOf, type IssueSink } from '../expr.js';
import { cloneValue, isPlainObject, isSafePath, setPath, splitPath, type Obj } from '../values.js';
import { storeAt, takeStoreSite } from '../site-loads.js';
import type { CoreRun } from './transform.js';

interface Assignment {
  key: string;
  path: string[];
  expr: CompiledExpression;
  /** Reads `$`: its value may alias the object being built, so it is snapshotted. */
  readsSelf: boolean;
  /** Store site for one-segment keys (see site-loads.ts). */
  site: number;
}

export function compileExpressionNode(content: Obj, issue: IssueSink): { run: CoreRun; paths: string[] } | undefined {
  if (!Array.isArray(content.expressions)) {
    issue('expressions', 'expressions must be an array of {key, value}');
    return undefined;
  }
  let ok = true;
  const bad: IssueSink = (f, m) => {
    ok = false;
    issue(f, m);
  };
  const list: Assignment[] = [];
  const paths = new Set<string>();
  content.expressions.forEach((raw: unknown, i) => {
    const e = isPlainObject(raw) ? raw : {};
    const key = typeof e.key === 'string' ? e.key.trim() : '';
    const src = sourceOf(e.value);
    // ZEN skips rows with an empty key or value (half-filled editor rows).
    if (!key || src === undefined) return;
    if (!isSafePath(key)) {
      bad(`expressions[${i}].key`, `key '${key}' is not a usable dotted path`);
      return;
    }
    const expr = compileStandard(src, `expressions[${i}].value`, bad);
    if (!expr) return;
    expr.paths.forEach((p) => paths.add(p));
    const path = splitPath(key);
    list.push({ key, path, expr, readsSelf: src.includes('$'), site: path.length === 1 ? takeStoreSite() : -1 });
  });
  if (!ok) return undefined;

  const run: CoreRun = (input, ctx) => {
    const out: Obj = {};
    let owned: object[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      let v: unknown;
      try {
        v = a.expr.evaluate(input, out, ctx.env);
      } catch (err) {
        throw new NodeFailure(`expression '${a.key}' failed: ${(err as Error).message}`, { cause: err });
      }
      if (a.readsSelf && v !== null && typeof v === 'object') v = cloneValue(v);
      if (a.site >= 0) storeAt(a.site, out, a.path[0]!, v);
      else setPath(out, a.path, v, (owned ??= []));
    }
    return { output: out };
  };
  return { run, paths: [...paths] };
}
