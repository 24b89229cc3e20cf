// Name lists: normalisation, the in-memory O(1) index the engine's `list` node reads, and CSV import/export.
export { normalizeValue } from './normalize.js';
export { ListIndex, type ListHit, type ListLookup } from './list-index.js';
export { TenantListIndexes } from './tenant-indexes.js';
export {
  CSV_COLUMNS,
  CSV_COLUMNS_ZH,
  decodeCsvBytes,
  entriesToCsv,
  exportListCsv,
  importListCsv,
  parseListCsv,
  parseTime,
  upsertCsvRows,
  type CsvImportResult,
  type CsvRowError,
  type ParsedCsv,
} from './csv.js';
