// decisionTableNode: rows of unary input cells (tested against the column's field value, `$`) or standard
// cells (columns without a field), and output cells written at dotted paths. Hit policies `first` and
// `collect`; output fields ending in `[]` collect that column across every matching row under `first`.
// As in ZEN, a cell that fails to evaluate makes its row not match; empty or missing cells match anything.
import type { CompiledExpression } from '../../expression/types.js';
import { compileStandard, compileUnary, sourceOf, type IssueSink } from '../expr.js';
import type { NodeContext, NodeOutput } from '../types.js';
import { isPlainObject, isSafePath, setPath, splitPath, type Obj } from '../values.js';
import { CELL_CONST, CELL_GE, CELL_GT, CELL_LE, CELL_LT, CELL_SLOW, constantShape, fastTest, unaryShape, type CellShape } from './cells.js';
import type { CoreRun } from './transform.js';

const SLOW_CELL: CellShape = Object.freeze({ op: CELL_SLOW, lo: 0, hi: 0, closed: 0, strings: [], constant: undefined });

interface Column {
  /** Field expression; undefined for columns whose cells are standard boolean expressions. */
  field?: CompiledExpression;
}

interface InputCell {
  column: number;
  expr: CompiledExpression;
  /** Fast test on the column value (CELL_SLOW: always the expression). */
  shape: CellShape;
}

interface OutputCell {
  path: string[];
  expr: CompiledExpression;
  /** `field[]`: gathered from every matching row. */
  collect: boolean;
  /** CELL_CONST for a literal cell (its value is `shape.constant`). */
  shape: CellShape;
}

interface Row {
  id: string;
  inputs: InputCell[];
  outputs: OutputCell[];
}

const FAILED: unique symbol = Symbol('failed');

export interface CompiledTable {
  run: CoreRun;
  paths: string[];
  /** Every output cell is a literal: the output never holds the node input. */
  keepsNoInput: boolean;
}

export function compileTable(content: Obj, issue: IssueSink): CompiledTable | undefined {
  const hitPolicy = content.hitPolicy ?? 'first';
  if (hitPolicy !== 'first' && hitPolicy !== 'collect') {
    issue('hitPolicy', `hitPolicy must be 'first' or 'collect', got ${JSON.stringify(hitPolicy)}`);
    return undefined;
  }
  const rawInputs = Array.isArray(content.inputs) ? content.inputs : undefined;
  const rawOutputs = Array.isArray(content.outputs) ? content.outputs : undefined;
  const rawRules = Array.isArray(content.rules) ? content.rules : undefined;
  if (!rawInputs) issue('inputs', 'inputs must be an array of columns');
  if (!rawOutputs) issue('outputs', 'outputs must be an array of columns');
  if (!rawRules) issue('rules', 'rules must be an array of rows');
  if (!rawInputs || !rawOutputs || !rawRules) return undefined;

  const paths = new Set<string>();
  const add = (e: CompiledExpression | undefined) => e?.paths.forEach((p) => paths.add(p));
  let ok = true;
  const bad: IssueSink = (f, m) => {
    ok = false;
    issue(f, m);
  };

  const columns: Column[] = [];
  const inputIds: string[] = [];
  rawInputs.forEach((raw: unknown, i) => {
    const col = isPlainObject(raw) ? raw : {};
    const id = typeof col.id === 'string' ? col.id : '';
    if (!id) bad(`inputs[${i}].id`, 'input column needs an id');
    inputIds.push(id);
    const fieldSrc = sourceOf(col.field);
    const column: Column = {};
    if (fieldSrc !== undefined) {
      column.field = compileStandard(fieldSrc, `inputs[${i}].field`, bad);
      add(column.field);
    }
    columns.push(column);
  });

  const outputCols: { id: string; path: string[]; collect: boolean }[] = [];
  rawOutputs.forEach((raw: unknown, i) => {
    const col = isPlainObject(raw) ? raw : {};
    const id = typeof col.id === 'string' ? col.id : '';
    let field = typeof col.field === 'string' ? col.field.trim() : '';
    if (!id) bad(`outputs[${i}].id`, 'output column needs an id');
    const collect = field.endsWith('[]');
    if (collect) field = field.slice(0, -2).trim();
    if (!isSafePath(field)) bad(`outputs[${i}].field`, `output field ${JSON.stringify(col.field ?? '')} is not a usable dotted path`);
    outputCols.push({ id, path: splitPath(field), collect: collect && hitPolicy === 'first' });
  });

  const rows: Row[] = [];
  rawRules.forEach((raw: unknown, r) => {
    if (!isPlainObject(raw)) {
      bad(`rules[${r}]`, 'rule must be an object of cells keyed by column id');
      return;
    }
    const row: Row = { id: typeof raw._id === 'string' && raw._id ? raw._id : String(r), inputs: [], outputs: [] };
    inputIds.forEach((colId, c) => {
      const src = sourceOf(raw[colId]);
      if (src === undefined) return;
      const field = `rules[${r}].${colId}`;
      const unary = columns[c]!.field !== undefined;
      const expr = unary ? compileUnary(src, field, bad) : compileStandard(src, field, bad);
      add(expr);
      if (expr) row.inputs.push({ column: c, expr, shape: unary ? unaryShape(src, expr) : SLOW_CELL });
    });
    for (const out of outputCols) {
      const src = sourceOf(raw[out.id]);
      if (src === undefined) continue;
      const expr = compileStandard(src, `rules[${r}].${out.id}`, bad);
      add(expr);
      if (expr) row.outputs.push({ path: out.path, expr, collect: out.collect, shape: constantShape(src, expr) });
    }
    rows.push(row);
  });
  if (!ok) return undefined;

  const hasCollectColumns = outputCols.some((c) => c.collect);
  const run = hitPolicy === 'collect' ? collectRun(columns, rows) : hasCollectColumns ? firstCollectRun(columns, rows, outputCols) : firstRun(columns, rows);
  const keepsNoInput = rows.every((row) => row.outputs.every((c) => c.shape.op === CELL_CONST));
  return { run, paths: [...paths], keepsNoInput };
}

/** Field values per column, computed once per evaluation; FAILED when the field expression throws. */
function fieldValues(columns: Column[], input: unknown, ctx: NodeContext): unknown[] {
  const values: unknown[] = new Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const f = columns[c]!.field;
    if (!f) continue;
    try {
      // A missing value is null (not undefined, which would make `$` fall back to input.$).
      values[c] = f.evaluate(input, undefined, ctx.env) ?? null;
    } catch {
      values[c] = FAILED;
    }
  }
  return values;
}

function rowMatches(row: Row, columns: Column[], values: unknown[], input: unknown, ctx: NodeContext): boolean {
  const cells = row.inputs;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (columns[cell.column]!.field) {
      const v = values[cell.column];
      if (v === FAILED) return false;
      const s = cell.shape;
      let fast: boolean | undefined;
      switch (s.op) {
        case CELL_SLOW:
          break;
        case CELL_LT:
          if (typeof v === 'number') fast = v < s.lo;
          break;
        case CELL_LE:
          if (typeof v === 'number') fast = v <= s.lo;
          break;
        case CELL_GT:
          if (typeof v === 'number') fast = v > s.lo;
          break;
        case CELL_GE:
          if (typeof v === 'number') fast = v >= s.lo;
          break;
        default:
          fast = fastTest(s, v);
      }
      if (fast === false) return false;
      if (fast === true) continue;
      if (!cellPasses(cell.expr, input, v, ctx)) return false;
    } else if (!cellPasses(cell.expr, input, undefined, ctx)) return false;
  }
  return true;
}

/** A cell's expression on its own (a cell that throws does not match, as in ZEN). */
function cellPasses(expr: CompiledExpression, input: unknown, self: unknown, ctx: NodeContext): boolean {
  try {
    return expr.evaluate(input, self, ctx.env) === true;
  } catch {
    return false;
  }
}

/** The row's output object, or undefined when an output cell throws (the row then does not match). */
function rowOutput(row: Row, input: unknown, ctx: NodeContext, skipCollect: boolean): Obj | undefined {
  const out: Obj = {};
  let owned: object[] | undefined;
  const cells = row.outputs;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (skipCollect && cell.collect) continue;
    let v: unknown;
    if (cell.shape.op === CELL_CONST) v = cell.shape.constant;
    else {
      try {
        v = cell.expr.evaluate(input, undefined, ctx.env);
      } catch {
        return undefined;
      }
    }
    if (cell.path.length === 1) out[cell.path[0]!] = v;
    else setPath(out, cell.path, v, (owned ??= []));
  }
  return out;
}

function firstRun(columns: Column[], rows: Row[]): CoreRun {
  return (input, ctx): NodeOutput => {
    const values = fieldValues(columns, input, ctx);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (!rowMatches(row, columns, values, input, ctx)) continue;
      const output = rowOutput(row, input, ctx, false);
      if (output === undefined) continue;
      return ctx.trace ? { output, matched: [row.id] } : { output };
    }
    return ctx.trace ? { output: {}, matched: [] } : { output: {} };
  };
}

function collectRun(columns: Column[], rows: Row[]): CoreRun {
  return (input, ctx): NodeOutput => {
    const values = fieldValues(columns, input, ctx);
    const outputs: Obj[] = [];
    const matched: string[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (!rowMatches(row, columns, values, input, ctx)) continue;
      const output = rowOutput(row, input, ctx, false);
      if (output === undefined) continue;
      outputs.push(output);
      matched.push(row.id);
    }
    return ctx.trace ? { output: outputs, matched } : { output: outputs };
  };
}

/** `first` with `field[]` columns: scalars from the first matching row, `[]` columns from all matching rows. */
function firstCollectRun(columns: Column[], rows: Row[], outputCols: { path: string[]; collect: boolean }[]): CoreRun {
  const collectPaths = outputCols.filter((c) => c.collect).map((c) => c.path);
  return (input, ctx): NodeOutput => {
    const values = fieldValues(columns, input, ctx);
    let output: Obj | undefined;
    const gathered: unknown[][] = collectPaths.map(() => []);
    const matched: string[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (!rowMatches(row, columns, values, input, ctx)) continue;
      const collected: { path: string[]; value: unknown }[] = [];
      let failed = false;
      for (const cell of row.outputs) {
        if (!cell.collect) continue;
        try {
          collected.push({ path: cell.path, value: cell.expr.evaluate(input, undefined, ctx.env) });
        } catch {
          failed = true;
          break;
        }
      }
      if (failed) continue;
      if (output === undefined) {
        const first = rowOutput(row, input, ctx, true);
        if (first === undefined) continue;
        output = first;
      }
      for (const c of collected) gathered[collectPaths.indexOf(c.path)]!.push(c.value);
      matched.push(row.id);
    }
    const result: Obj = output ?? {};
    collectPaths.forEach((p, i) => setPath(result, p, gathered[i]));
    return ctx.trace ? { output: result, matched } : { output: result };
  };
}
