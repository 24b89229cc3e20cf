// CSV import/export of list entries. Columns: value,category,riskIntensity,collectionCount,source,reason,expiresAt
// (or the Chinese header names 值,类别,风险强度,收录次数,来源,原因,过期时间). Bad rows are reported by line number
// with the reason; good rows are imported. Files may be UTF-8 (with or without BOM) or GBK (Excel in zh-CN).
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { StoreNotFoundError, StoreValidationError } from '../store/errors.js';
import { entryRow, parseRiskIntensity } from '../store/repos/lists.js';
import { LIST_CATEGORIES, type ListCategory, type ListEntry, type ListEntryInput, type ListRepo } from '../store/types.js';

export const CSV_COLUMNS = ['value', 'category', 'riskIntensity', 'collectionCount', 'source', 'reason', 'expiresAt'] as const;
type Column = (typeof CSV_COLUMNS)[number];
export const CSV_COLUMNS_ZH: Record<Column, string> = {
  value: '值',
  category: '类别',
  riskIntensity: '风险强度',
  collectionCount: '收录次数',
  source: '来源',
  reason: '原因',
  expiresAt: '过期时间',
};

const HEADER_ALIASES = new Map<string, Column>();
for (const c of CSV_COLUMNS) {
  HEADER_ALIASES.set(c.toLowerCase(), c);
  HEADER_ALIASES.set(CSV_COLUMNS_ZH[c], c);
}
for (const [alias, c] of [
  ['risk_intensity', 'riskIntensity'],
  ['collection_count', 'collectionCount'],
  ['expires_at', 'expiresAt'],
  ['风险等级', 'riskIntensity'],
  ['到期时间', 'expiresAt'],
  ['失效时间', 'expiresAt'],
] as const)
  HEADER_ALIASES.set(alias, c);

/** English names accepted for the categories, besides the Chinese ones themselves. */
const CATEGORY_ALIASES: Record<string, ListCategory> = {
  bank: '银行类',
  insurance: '保险类',
  microloan: '小贷类',
  consumer_finance: '消金类',
  auto_finance: '汽车金融类',
  special_finance: '特殊金融类',
  mixed_finance: '混合金融类',
  other: '其他',
};

export interface CsvRowError {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  field?: string;
  message: string;
}

export interface ParsedCsv {
  /** Good rows with the line each came from. */
  rows: { line: number; entry: ListEntryInput }[];
  errors: CsvRowError[];
  /** Header names not recognised (their columns are ignored). */
  ignoredColumns: string[];
}

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), otherwise GBK. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes), 'gbk');
  }
}

/** ISO-8601 (a zone-less time is UTC) or epoch milliseconds. */
export function parseTime(s: string): number | undefined {
  if (/^\d{10,13}$/.test(s)) return s.length === 13 ? Number(s) : Number(s) * 1000;
  let iso = s.replace(' ', 'T');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso += 'Z';
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Parses a list CSV. Rows with a problem (unknown category, intensity out of range, bad date, empty value,
 * broken quoting) land in `errors` with their line; the others in `rows`, validated for `dimension`.
 */
export function parseListCsv(input: string | Uint8Array, dimension: string): ParsedCsv {
  const text = typeof input === 'string' ? input : decodeCsvBytes(input);
  const errors: CsvRowError[] = [];
  const rows: ParsedCsv['rows'] = [];
  const ignoredColumns: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        const cols = header.map((h) => HEADER_ALIASES.get(h.trim()) ?? HEADER_ALIASES.get(h.trim().toLowerCase()) ?? '');
        ignoredColumns.push(...header.filter((_, i) => cols[i] === ''));
        if (!cols.includes('value')) {
          throw new StoreValidationError('header', `needs a value (值) column; columns: ${CSV_COLUMNS.join(',')}`);
        }
        return cols.map((c, i) => c || `__ignored_${i}`);
      },
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) errors.push({ line: (err as { lines?: number }).lines ?? 0, message: `unreadable CSV row: ${err.message}` });
        return undefined;
      },
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof StoreValidationError) return { rows, errors: [{ line: 1, field: 'header', message: err.message }], ignoredColumns };
    const line = (err as { lines?: number }).lines ?? 0;
    return { rows, errors: [{ line, message: `unreadable CSV: ${(err as Error).message}` }], ignoredColumns };
  }
  for (const { record, info } of records) {
    const line = info.lines;
    try {
      const entry = toEntry(record);
      entryRow(dimension, entry, 'row', '', '', 0); // full validation, same rules as the repository
      rows.push({ line, entry });
    } catch (err) {
      // The message without its "field: " prefix: the field has its own property.
      if (err instanceof StoreValidationError) errors.push({ line, field: err.field.replace(/^row\./, ''), message: err.message.slice(err.field.length + 2) });
      else throw err;
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, ignoredColumns };
}

function toEntry(r: Record<string, string>): ListEntryInput {
  const e: ListEntryInput = { value: r.value ?? '' };
  const cat = r.category?.trim();
  if (cat) {
    const c = (LIST_CATEGORIES as readonly string[]).includes(cat) ? (cat as ListCategory) : CATEGORY_ALIASES[cat.toLowerCase()];
    if (!c) throw new StoreValidationError('category', `unknown category "${cat}"; one of ${LIST_CATEGORIES.join(', ')}`);
    e.category = c;
  }
  const ri = parseRiskIntensity(r.riskIntensity, 'riskIntensity');
  if (ri !== undefined) e.riskIntensity = ri;
  if (r.collectionCount) {
    const n = Number(r.collectionCount);
    if (!Number.isInteger(n) || n < 1) throw new StoreValidationError('collectionCount', `"${r.collectionCount}" is not an integer ≥ 1`);
    e.collectionCount = n;
  }
  if (r.source) e.source = r.source;
  if (r.reason) e.reason = r.reason;
  if (r.expiresAt) {
    const t = parseTime(r.expiresAt);
    if (t === undefined) throw new StoreValidationError('expiresAt', `"${r.expiresAt}" is not an ISO-8601 time or epoch milliseconds`);
    e.expiresAt = t;
  }
  return e;
}

export interface CsvImportResult {
  /** Data rows read (good + bad). */
  rows: number;
  inserted: number;
  updated: number;
  errors: CsvRowError[];
  ignoredColumns: string[];
}

/** Parses and upserts a CSV into a list: good rows are written (in batches), bad rows reported by line. */
export async function importListCsv(
  repo: ListRepo,
  tenantId: string,
  listId: string,
  input: string | Uint8Array,
  actor: string,
  options: { batchSize?: number } = {},
): Promise<CsvImportResult> {
  const list = await repo.getList(tenantId, listId);
  if (!list) throw new StoreNotFoundError(`list ${listId} not found`);
  const parsed = parseListCsv(input, list.dimension);
  const { inserted, updated } = await upsertCsvRows(repo, tenantId, listId, parsed.rows, actor, options.batchSize);
  const rowCount = parsed.rows.length + parsed.errors.filter((e) => e.field !== 'header').length;
  return { rows: rowCount, inserted, updated, errors: parsed.errors, ignoredColumns: parsed.ignoredColumns };
}

/** Writes parsed rows in batches (one transaction each, so a huge file never becomes one huge transaction). */
export async function upsertCsvRows(
  repo: ListRepo,
  tenantId: string,
  listId: string,
  rows: ParsedCsv['rows'],
  actor: string,
  batchSize = 5000,
): Promise<{ inserted: number; updated: number }> {
  const batch = Math.max(1, batchSize);
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += batch) {
    const r = await repo.upsertEntries(tenantId, listId, rows.slice(i, i + batch).map((x) => x.entry), actor);
    inserted += r.inserted;
    updated += r.updated;
  }
  return { inserted, updated };
}

/** CSV text of entries, header in English (default) or Chinese; expiresAt as ISO-8601; BOM for Excel. */
export function entriesToCsv(entries: Iterable<ListEntry>, options: { header?: 'en' | 'zh'; bom?: boolean } = {}): string {
  const header = options.header === 'zh' ? CSV_COLUMNS.map((c) => CSV_COLUMNS_ZH[c]) : [...CSV_COLUMNS];
  const out: unknown[][] = [header];
  for (const e of entries) {
    out.push([
      e.value,
      e.category ?? '',
      e.riskIntensity ?? '',
      e.collectionCount,
      e.source ?? '',
      e.reason ?? '',
      e.expiresAt === undefined ? '' : new Date(e.expiresAt).toISOString(),
    ]);
  }
  return (options.bom === false ? '' : '\uFEFF') + stringify(out);
}

/** Every entry of a list (expired ones too, unless includeExpired is false) as CSV. */
export async function exportListCsv(
  repo: ListRepo,
  tenantId: string,
  listId: string,
  options: { header?: 'en' | 'zh'; bom?: boolean; includeExpired?: boolean } = {},
): Promise<string> {
  if (!(await repo.getList(tenantId, listId))) throw new StoreNotFoundError(`list ${listId} not found`);
  const all: ListEntry[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await repo.entries(tenantId, listId, { includeExpired: options.includeExpired ?? true, limit: 5000, offset });
    all.push(...page);
    if (page.length < 5000) break;
  }
  return entriesToCsv(all, options);
}
