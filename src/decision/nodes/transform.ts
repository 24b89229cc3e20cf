// ZEN's transform attributes, shared by table, expression, decision and custom nodes:
// inputField (evaluate the node on part of its input), executionMode `loop` (once per array item),
// outputPath (nest the result), passThrough (merge the result over the node's input).
import type { CompiledExpression } from '../../expression/types.js';
import { NodeFailure } from '../errors.js';
import { compileStandard, sourceOf, type IssueSink } from '../expr.js';
import { storeAt, takeStoreSite } from '../site-loads.js';
import type { NodeContext, NodeOutput } from '../types.js';
import { copyObject, isPlainObject, isSafePath, mergeInto, mergeValues, setPath, splitPath, withNodes, withoutNodes, type Obj } from '../values.js';

export interface TransformAttributes {
  inputField?: CompiledExpression;
  inputFieldSource?: string;
  outputPath?: string[];
  loop: boolean;
  passThrough: boolean;
}

export interface TransformDefaults {
  passThrough?: boolean;
  outputPath?: string;
}

export function readTransform(content: Obj, issue: IssueSink, defaults: TransformDefaults = {}): TransformAttributes {
  const attrs: TransformAttributes = {
    loop: false,
    passThrough: typeof content.passThrough === 'boolean' ? content.passThrough : defaults.passThrough === true,
  };
  const inputField = sourceOf(content.inputField);
  if (inputField !== undefined) {
    attrs.inputField = compileStandard(inputField, 'inputField', issue);
    attrs.inputFieldSource = inputField;
  }
  const outputPath = content.outputPath === undefined ? defaults.outputPath : sourceOf(content.outputPath);
  if (outputPath !== undefined) {
    if (isSafePath(outputPath)) attrs.outputPath = splitPath(outputPath);
    else issue('outputPath', `outputPath '${outputPath}' is not a usable dotted path`);
  }
  const mode = content.executionMode;
  if (mode === 'loop') attrs.loop = true;
  else if (mode !== undefined && mode !== null && mode !== 'single') issue('executionMode', `executionMode must be 'single' or 'loop', got ${JSON.stringify(mode)}`);
  return attrs;
}

/** Paths a node reads, seen from the node's input: inner paths are re-rooted under a plain inputField path. */
export function transformPaths(attrs: TransformAttributes, inner: readonly string[]): string[] {
  if (!attrs.inputField) return [...inner];
  const own = [...attrs.inputField.paths];
  const src = attrs.inputFieldSource ?? '';
  // Only a plain path (`customer`, `a.b`) maps the inner paths 1:1; loops and computed fields report the field.
  if (!attrs.loop && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(src)) {
    return [...own, ...inner.map((p) => `${src}.${p}`)];
  }
  return own;
}

export type CoreRun = (input: unknown, ctx: NodeContext) => NodeOutput;

/**
 * Hand-over of pass-through objects along a chain (ownership, not values): the runtime sets `inputOwned` when
 * this node's input is a fresh object that only this node will ever see (the output of a pass-through node
 * with a single outgoing edge); a pass-through node whose core never puts its input object into its output
 * may then add its result to that object instead of copying it. The node sets `outputFresh` when its output
 * is such a fresh object. Both stay false while tracing or when the graph reads `$nodes`.
 */
export interface Ownership {
  inputOwned: boolean;
  outputFresh: boolean;
}

/**
 * Wraps a node's core evaluation with the transform attributes; returns the core itself when none are set.
 * `coreKeepsNoInput`: the core's output never contains its input object (at any depth), so pass-through may
 * write into an owned input.
 */
export function withTransform(attrs: TransformAttributes, core: CoreRun, coreKeepsNoInput = false): CoreRun {
  if (!attrs.inputField && !attrs.loop && !attrs.outputPath && !attrs.passThrough) return core;
  const { inputField, loop, outputPath, passThrough } = attrs;
  if (!inputField && !loop && passThrough && outputPath?.length === 1) return passThroughAt(outputPath[0]!, core, coreKeepsNoInput);
  if (!inputField && !loop && passThrough && !outputPath) return passThroughMerge(core, coreKeepsNoInput);
  return (nodeInput, ctx) => {
    let input = nodeInput;
    const nodes = ctx.nodes;
    if (inputField) {
      try {
        input = inputField.evaluate(nodeInput, undefined, ctx.env);
      } catch (err) {
        throw new NodeFailure(`inputField failed: ${(err as Error).message}`, { cause: err });
      }
      // ZEN re-attaches `$nodes` to the narrowed input (to each item in a loop).
      if (nodes && !loop) input = withNodes(input, nodes);
    }
    let output: unknown;
    let matched: string[] | undefined;
    let handles: readonly string[] | undefined;
    let children: NodeOutput['children'];
    if (loop) {
      if (!Array.isArray(input)) throw new NodeFailure(`executionMode 'loop' expects an array, got ${input === null ? 'null' : typeof input}`);
      const items: unknown[] = new Array(input.length);
      for (let i = 0; i < input.length; i++) {
        const item: unknown = nodes ? withNodes(input[i], nodes) : input[i];
        const r = core(item, ctx);
        const one = passThrough ? mergeValues(item, r.output) : r.output;
        items[i] = nodes ? withoutNodes(one) : one;
        if (ctx.trace && r.matched) (matched ??= []).push(...r.matched.map((m) => `[${i}] ${m}`));
      }
      output = items;
    } else {
      const r = core(input, ctx);
      output = r.output;
      matched = r.matched;
      handles = r.handles;
      children = r.children;
    }
    if (outputPath) {
      const wrapped: Obj = {};
      if (outputPath.length === 1) wrapped[outputPath[0]!] = output;
      else setPath(wrapped, outputPath, output);
      output = wrapped;
    }
    if (passThrough) output = mergeValues(nodeInput, output);
    const result: NodeOutput = { output };
    if (matched) result.matched = matched;
    if (handles) result.handles = handles;
    if (children) result.children = children;
    return result;
  };
}

/**
 * The common risk-node shape (`passThrough` with a one-segment `outputPath`): the node input with the result
 * under one key. Same value as wrapping and merging, without the intermediate object and the generic merge.
 */
function passThroughAt(key: string, core: CoreRun, coreKeepsNoInput: boolean): CoreRun {
  const site = takeStoreSite();
  return (nodeInput, ctx) => {
    const owned = coreKeepsNoInput && (ctx as unknown as Ownership).inputOwned;
    const r = core(nodeInput, ctx);
    let output: Obj;
    if (isPlainObject(nodeInput)) {
      output = owned ? nodeInput : copyObject(nodeInput);
      const prev = Object.prototype.hasOwnProperty.call(output, key) ? output[key] : undefined;
      storeAt(site, output, key, isPlainObject(prev) && isPlainObject(r.output) ? mergeValues(prev, r.output) : r.output);
    } else {
      output = {};
      output[key] = r.output;
    }
    (ctx as unknown as Ownership).outputFresh = true;
    return finish(output, r);
  };
}

/** `passThrough` without outputPath: the core's output merged over the node input (mergeValues). */
function passThroughMerge(core: CoreRun, coreKeepsNoInput: boolean): CoreRun {
  return (nodeInput, ctx) => {
    const owned = coreKeepsNoInput && (ctx as unknown as Ownership).inputOwned;
    const r = core(nodeInput, ctx);
    if (!isPlainObject(nodeInput) || !isPlainObject(r.output)) return finish(mergeValues(nodeInput, r.output), r);
    const output = mergeInto(owned ? nodeInput : copyObject(nodeInput), r.output);
    (ctx as unknown as Ownership).outputFresh = true;
    return finish(output, r);
  };
}

function finish(output: unknown, r: NodeOutput): NodeOutput {
  if (r.matched === undefined && r.handles === undefined && r.children === undefined) return { output };
  const result: NodeOutput = { output };
  if (r.matched) result.matched = r.matched;
  if (r.handles) result.handles = r.handles;
  if (r.children) result.children = r.children;
  return result;
}
