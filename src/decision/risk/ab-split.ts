// abSplit: champion/challenger routing. The chosen field's value is hashed (FNV-1a, 32 bit, with a salt per
// experiment) into one of 10,000 buckets, so the same subject always lands on the same branch; weights give the
// share of buckets per branch. Edges whose sourceHandle names the branch are followed, like a switch.
import type { CompiledNode, CustomNodeCompiler, NodeOutput } from '../types.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, list, num, str } from './config.js';

export const BUCKETS = 10_000;

/** FNV-1a over the UTF-16 code units; stable across processes and platforms. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const compileAbSplit: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'abSplit');
  if (!cfg) return undefined;
  let ok = true;
  const issue = (f: string | undefined, m: string) => {
    ok = false;
    ctx.issue(f, m);
  };
  const field = expr(cfg, 'field', 'field', issue);
  const salt = cfg.salt === undefined ? '' : typeof cfg.salt === 'string' ? cfg.salt : (issue('salt', 'salt must be a string'), '');
  const raw = list(cfg, 'branches', issue);
  const branches: { id: string; upTo: number }[] = [];
  if (raw) {
    if (raw.length === 0) issue('branches', 'abSplit needs at least one branch');
    let total = 0;
    const weights: { id: string; w: number }[] = [];
    raw.forEach((b: unknown, i) => {
      if (!isPlainObject(b)) return issue(`branches[${i}]`, 'branch must be an object {id, weight}');
      const id = str(b, 'id', `branches[${i}].id`, issue);
      const w = num(b, 'weight', `branches[${i}].weight`, issue);
      if (w !== undefined && w < 0) issue(`branches[${i}].weight`, 'weight must not be negative');
      if (id !== undefined && weights.some((x) => x.id === id)) issue(`branches[${i}].id`, `duplicate branch '${id}'`);
      if (id !== undefined && w !== undefined) {
        weights.push({ id, w });
        total += w;
      }
    });
    if (raw.length > 0 && total <= 0) issue('branches', 'branch weights must add up to more than 0');
    let acc = 0;
    for (const { id, w } of weights) {
      acc += w;
      branches.push({ id, upTo: total > 0 ? Math.round((acc / total) * BUCKETS) : 0 });
    }
  }
  if (!ok || !field) return undefined;
  const paths = new Set<string>();
  addPaths(paths, field);
  const prefix = `${salt}\u0000`;

  return {
    paths: [...paths],
    evaluate(input, nctx): NodeOutput {
      let v: unknown;
      try {
        v = field.evaluate(input, undefined, nctx.env);
      } catch {
        v = undefined;
      }
      // No subject to hash: the champion (first branch) decides.
      let bucket = -1;
      let branch = branches[0]!.id;
      if (v !== null && v !== undefined && v !== '') {
        bucket = fnv1a(prefix + (typeof v === 'string' ? v : JSON.stringify(v))) % BUCKETS;
        for (const b of branches) {
          if (bucket < b.upTo) {
            branch = b.id;
            break;
          }
        }
      }
      const handles = [branch];
      const output = { branch, bucket };
      return nctx.trace ? { output, handles, matched: handles } : { output, handles };
    },
  };
};

export function branchIds(config: unknown): string[] {
  if (!isPlainObject(config) || !Array.isArray(config.branches)) return [];
  return config.branches.filter(isPlainObject).map((b) => b.id).filter((id): id is string => typeof id === 'string');
}
