// model: scores the case with a registered model through the host's ModelHost (injected at compile time).
// Features are named expressions over the node input, or one expression yielding the whole feature object.
import type { CompiledExpression } from '../../expression/types.js';
import { NodeFailure } from '../errors.js';
import type { CompiledNode, CustomNodeCompiler, NodeOutput } from '../types.js';
import { isPlainObject } from '../values.js';
import { addPaths, configObject, expr, str } from './config.js';

export const compileModelNode: CustomNodeCompiler = (config, ctx): CompiledNode | undefined => {
  const cfg = configObject(config, ctx.issue, 'model');
  if (!cfg) return undefined;
  let ok = true;
  const issue = (f: string | undefined, m: string) => {
    ok = false;
    ctx.issue(f, m);
  };
  if (!ctx.models) issue(undefined, 'the model node needs a model host: pass `models` (a ModelHost) to compileDecision');
  const modelId = str(cfg, 'modelId', 'modelId', issue);
  let version: number | undefined;
  if (cfg.version !== undefined) {
    if (typeof cfg.version === 'number' && Number.isInteger(cfg.version) && cfg.version > 0) version = cfg.version;
    else issue('version', 'version must be a positive integer (omit it for the active version)');
  }
  const paths = new Set<string>();
  const named: { name: string; e: CompiledExpression }[] = [];
  let whole: CompiledExpression | undefined;
  if (typeof cfg.features === 'string') {
    whole = expr(cfg, 'features', 'features', issue);
    addPaths(paths, whole);
  } else if (isPlainObject(cfg.features)) {
    for (const [name, src] of Object.entries(cfg.features)) {
      const e = expr({ v: src }, 'v', `features.${name}`, issue);
      addPaths(paths, e);
      if (e) named.push({ name, e });
    }
  } else issue('features', 'features must map feature names to expressions, or be one expression yielding an object');
  if (!ok || !modelId || !ctx.models) return undefined;
  const host = ctx.models;

  return {
    paths: [...paths],
    evaluate(input, nctx): NodeOutput {
      let features: Record<string, unknown>;
      if (whole) {
        let v: unknown;
        try {
          v = whole.evaluate(input, undefined, nctx.env);
        } catch (err) {
          throw new NodeFailure(`features expression failed: ${(err as Error).message}`, { cause: err });
        }
        if (!isPlainObject(v)) throw new NodeFailure('features expression must yield an object');
        features = v;
      } else {
        features = {};
        for (const { name, e } of named) {
          try {
            features[name] = e.evaluate(input, undefined, nctx.env);
          } catch {
            features[name] = null;
          }
        }
      }
      let r: ReturnType<typeof host.predict>;
      try {
        r = host.predict(modelId, version, features);
      } catch (err) {
        throw new NodeFailure(`model '${modelId}' failed: ${(err as Error).message}`, { cause: err });
      }
      const output = { modelId, version: version ?? null, score: r.score, reasons: r.reasons ?? [] };
      return { output };
    },
  };
};
