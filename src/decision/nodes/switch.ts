// switchNode: statements are tested in order (`first` stops at the first true one, `collect` takes all);
// only edges whose sourceHandle names a chosen statement are followed. An empty condition is always true.
// The node passes its input through unchanged. A condition that throws counts as false (as in ZEN).
import type { CompiledExpression } from '../../expression/types.js';
import { compileStandard, sourceOf, type IssueSink } from '../expr.js';
import type { NodeOutput } from '../types.js';
import { isPlainObject, type Obj } from '../values.js';
import type { CoreRun } from './transform.js';

interface Statement {
  id: string;
  expr?: CompiledExpression;
}

export function compileSwitch(content: Obj, issue: IssueSink): { run: CoreRun; paths: string[]; statementIds: string[] } | undefined {
  const hit = content.hitPolicy ?? 'first';
  if (hit !== 'first' && hit !== 'collect') {
    issue('hitPolicy', `hitPolicy must be 'first' or 'collect', got ${JSON.stringify(hit)}`);
    return undefined;
  }
  if (!Array.isArray(content.statements)) {
    issue('statements', 'statements must be an array of {id, condition}');
    return undefined;
  }
  let ok = true;
  const paths = new Set<string>();
  const statements: Statement[] = [];
  content.statements.forEach((raw: unknown, i) => {
    const s = isPlainObject(raw) ? raw : {};
    const id = typeof s.id === 'string' ? s.id : '';
    if (!id) {
      ok = false;
      issue(`statements[${i}].id`, 'statement needs an id (edges refer to it as sourceHandle)');
      return;
    }
    const src = sourceOf(s.condition);
    const st: Statement = { id };
    if (src !== undefined) {
      const expr = compileStandard(src, `statements[${i}].condition`, (f, m) => {
        ok = false;
        issue(f, m);
      });
      if (!expr) return;
      expr.paths.forEach((p) => paths.add(p));
      st.expr = expr;
    }
    statements.push(st);
  });
  if (!ok) return undefined;
  const collect = hit === 'collect';

  const run: CoreRun = (input, ctx): NodeOutput => {
    const handles: string[] = [];
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      let pass = true;
      if (s.expr) {
        try {
          pass = s.expr.evaluate(input, undefined, ctx.env) === true;
        } catch {
          pass = false;
        }
      }
      if (pass) {
        handles.push(s.id);
        if (!collect) break;
      }
    }
    return ctx.trace ? { output: input, handles, matched: handles } : { output: input, handles };
  };
  return { run, paths: [...paths], statementIds: statements.map((s) => s.id) };
}
