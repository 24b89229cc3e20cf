// list: checks values (phone, device, ID number, ...) against the host's name lists (black/white/grey),
// through the ListLookup injected at compile time, so the engine itself does no I/O.
// Values echoed in the output are masked (personal data never leaves the node in clear).
import { maskField } from '../../core/mask.js';
import type { CompiledExpression } from '../../expression/types.js';
import { NodeFailure } from '../errors.js';
import type { CompiledNode, CustomNodeCompiler, ListHit, NodeOutput } from '../types.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, list, str } from './config.js';

interface Check {
  dimension: string;
  value: CompiledExpression;
  lists?: string[];
}

export const compileListNode: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'list');
  if (!cfg) return undefined;
  let ok = true;
  const issue = (f: string | undefined, m: string) => {
    ok = false;
    ctx.issue(f, m);
  };
  if (!ctx.lists) issue(undefined, 'the list node needs name lists: pass `lists` (a ListLookup) to compileDecision');
  const checks: Check[] = [];
  const paths = new Set<string>();
  const raw = list(cfg, 'checks', issue);
  if (raw && raw.length === 0) issue('checks', 'list node needs at least one check');
  raw?.forEach((c: unknown, i) => {
    const at = `checks[${i}]`;
    if (!isPlainObject(c)) return issue(at, 'check must be an object {dimension, value, lists?}');
    const dimension = str(c, 'dimension', `${at}.dimension`, issue);
    const value = expr(c, 'value', `${at}.value`, issue);
    addPaths(paths, value);
    let lists: string[] | undefined;
    if (c.lists !== undefined) {
      if (Array.isArray(c.lists) && c.lists.every((x) => typeof x === 'string')) lists = c.lists as string[];
      else issue(`${at}.lists`, 'lists must be an array of list ids');
    }
    if (dimension && value) checks.push({ dimension, value, lists });
  });
  if (!ok || !ctx.lists) return undefined;
  const lookup = ctx.lists;

  return {
    paths: [...paths],
    evaluate(input, nctx): NodeOutput {
      const hits: (ListHit & { dimension: string; value: string })[] = [];
      let black = false;
      let white = false;
      let grey = false;
      for (let i = 0; i < checks.length; i++) {
        const c = checks[i]!;
        let v: unknown;
        try {
          v = c.value.evaluate(input, undefined, nctx.env);
        } catch {
          continue;
        }
        if (v === null || v === undefined || v === '') continue;
        const values = Array.isArray(v) ? v : [v];
        for (const one of values) {
          if (one === null || one === undefined || one === '') continue;
          const text = typeof one === 'string' ? one : String(one);
          let found: ListHit[];
          try {
            found = lookup.lookup(c.dimension, text, c.lists);
          } catch (err) {
            throw new NodeFailure(`list lookup failed for ${c.dimension}: ${(err as Error).message}`, { cause: err });
          }
          for (const h of found) {
            if (h.kind === 'black') black = true;
            else if (h.kind === 'white') white = true;
            else grey = true;
            hits.push({ ...h, dimension: c.dimension, value: maskField(c.dimension, text) });
          }
        }
      }
      const output = { hit: hits.length > 0, black, white, grey, hits };
      return nctx.trace ? { output, matched: hits.map((h) => `${h.dimension}:${h.listId}`) } : { output };
    },
  };
};
