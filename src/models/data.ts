// Tabular data for model training: CSV loading, target declaration, and column typing.
// Numeric columns become Float64Array with NaN for missing; anything else stays categorical strings.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { ModelError } from './errors.js';

export interface NumericColumn {
  name: string;
  kind: 'numeric';
  values: Float64Array;
}
export interface CategoricalColumn {
  name: string;
  kind: 'categorical';
  /** null = missing */
  values: (string | null)[];
}
export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  columns: Column[];
  /** 1 = bad (the event the model predicts), 0 = good. */
  y: Uint8Array;
  /** Number of rows. */
  n: number;
  target: string;
  /** sha256 of the raw input, for the registry's training-data fingerprint. */
  fingerprint: string;
}

export interface TargetSpec {
  target: string;
  /** Raw values meaning "bad" (1). Defaults: '1', 'bad', 'yes', 'true', 'default', 'y'. */
  bad?: string[];
  /** Raw values meaning "good" (0). Defaults: '0', 'good', 'no', 'false', 'n'. */
  good?: string[];
}

export interface LoadOptions extends Partial<TargetSpec> {
  /** Columns to drop (ids, dates used only for splitting, ...). */
  drop?: string[];
  /** Columns to keep as strings even when numeric-looking. */
  categorical?: string[];
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', 'n/a', '?']);
const DEFAULT_BAD = ['1', 'bad', 'yes', 'true', 'default', 'y', '1.0'];
const DEFAULT_GOOD = ['0', 'good', 'no', 'false', 'n', '0.0'];

export function isMissing(raw: string | undefined | null): boolean {
  return raw === undefined || raw === null || MISSING.has(raw.trim().toLowerCase());
}

/** Parses CSV text into a header and rows of strings. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  if (text.trim() === '') throw new ModelError('empty_file', 'the CSV file is empty', 'CSV 文件为空');
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (err) {
    throw new ModelError('bad_csv', `cannot parse CSV: ${(err as Error).message}`, `无法解析 CSV：${(err as Error).message}`);
  }
  if (records.length === 0) throw new ModelError('empty_file', 'the CSV file is empty', 'CSV 文件为空');
  const [header, ...rows] = records;
  if (rows.length === 0) throw new ModelError('empty_file', 'the CSV file has a header but no data rows', 'CSV 文件只有表头，没有数据行');
  return { header: header!, rows };
}

/** Maps raw target values to 0/1, failing clearly on anything that is not binary. */
export function encodeTarget(raw: string[], spec: TargetSpec): Uint8Array {
  const bad = new Set((spec.bad ?? DEFAULT_BAD).map((s) => s.toLowerCase()));
  const good = new Set((spec.good ?? DEFAULT_GOOD).map((s) => s.toLowerCase()));
  const y = new Uint8Array(raw.length);
  const seen = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    const v = (raw[i] ?? '').trim().toLowerCase();
    seen.add(v);
    if (bad.has(v)) y[i] = 1;
    else if (good.has(v)) y[i] = 0;
    else {
      const shown = [...seen].slice(0, 5).join(', ');
      throw new ModelError(
        'non_binary_target',
        `target "${spec.target}" must be binary: value "${raw[i]}" (row ${i + 1}) is neither a good value nor a bad value (seen: ${shown}); declare them with good/bad`,
        `目标列 "${spec.target}" 必须是二分类：第 ${i + 1} 行的值 "${raw[i]}" 既不是好样本值也不是坏样本值（已见：${shown}），请声明 good/bad 取值`,
      );
    }
  }
  let ones = 0;
  for (let i = 0; i < y.length; i++) ones += y[i]!;
  if (ones === 0 || ones === y.length) {
    throw new ModelError(
      'non_binary_target',
      `target "${spec.target}" has only one class (${ones === 0 ? 'no bad' : 'no good'} rows)`,
      `目标列 "${spec.target}" 只有一个类别（没有${ones === 0 ? '坏' : '好'}样本）`,
    );
  }
  return y;
}

/** Types columns from raw strings: numeric when every non-missing value parses as a finite number. */
export function typeColumns(header: string[], rows: string[][], skip: Set<string>, categorical: Set<string>): Column[] {
  const cols: Column[] = [];
  for (let j = 0; j < header.length; j++) {
    const name = header[j]!;
    if (skip.has(name)) continue;
    let numeric = !categorical.has(name);
    if (numeric) {
      for (const r of rows) {
        const v = r[j]!;
        if (!isMissing(v) && !Number.isFinite(Number(v))) {
          numeric = false;
          break;
        }
      }
    }
    if (numeric) {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i]![j]!;
        values[i] = isMissing(v) ? NaN : Number(v);
      }
      cols.push({ name, kind: 'numeric', values });
    } else {
      cols.push({ name, kind: 'categorical', values: rows.map((r) => (isMissing(r[j]) ? null : r[j]!)) });
    }
  }
  return cols;
}

/** Builds a dataset from CSV text; `target` is required. */
export function datasetFromCsv(text: string, opts: LoadOptions & { target: string }): Dataset {
  const { header, rows } = parseCsv(text);
  const ti = header.indexOf(opts.target);
  if (ti < 0) {
    throw new ModelError(
      'missing_target',
      `target column "${opts.target}" is not in the CSV (columns: ${header.slice(0, 30).join(', ')})`,
      `CSV 中没有目标列 "${opts.target}"（现有列：${header.slice(0, 30).join(', ')}）`,
    );
  }
  const y = encodeTarget(rows.map((r) => r[ti]!), { target: opts.target, ...(opts.bad ? { bad: opts.bad } : {}), ...(opts.good ? { good: opts.good } : {}) });
  const skip = new Set([opts.target, ...(opts.drop ?? [])]);
  const columns = typeColumns(header, rows, skip, new Set(opts.categorical ?? []));
  return { columns, y, n: rows.length, target: opts.target, fingerprint: createHash('sha256').update(text).digest('hex') };
}

export function loadCsv(path: string, opts: LoadOptions & { target: string }): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModelError('file_not_found', `cannot read ${path}: ${(err as Error).message}`, `无法读取 ${path}：${(err as Error).message}`);
  }
  return datasetFromCsv(text, opts);
}

/** Rows of a dataset by index (a new dataset sharing nothing mutable). */
export function subset(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const n = idx.length;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = ds.y[idx[i]!]!;
  const columns: Column[] = ds.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[idx[i]!]!;
      return { name: c.name, kind: 'numeric', values: v };
    }
    const v: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) v[i] = c.values[idx[i]!]!;
    return { name: c.name, kind: 'categorical', values: v };
  });
  return { columns, y, n, target: ds.target, fingerprint: ds.fingerprint };
}

/** Row i as a feature record (numbers, strings, or null for missing). */
export function rowRecord(ds: Dataset, i: number): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const c of ds.columns) {
    const v = c.values[i];
    r[c.name] = c.kind === 'numeric' ? (Number.isNaN(v as number) ? null : v) : v;
  }
  return r;
}
