// Reads what the training form needs from the chosen file before upload: the header (to pick the target and
// the columns to drop) and the distinct values of a column (to pick good / bad values). Plain RFC 4180 CSV.

/** Splits CSV text into records (quoted fields, doubled quotes, CRLF); stops after `maxRows` records. */
export function parseCsvRows(text: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field.trim());
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (rows.length < maxRows && (field !== '' || row.length)) {
    row.push(field.trim());
    rows.push(row);
  }
  return rows;
}

export interface CsvPreview {
  header: string[];
  rows: string[][];
}

/** The header and up to 5 000 rows of a file (enough to list a label column's values). */
export async function previewCsv(file: Blob): Promise<CsvPreview> {
  const text = await file.slice(0, 4 * 1024 * 1024).text();
  const all = parseCsvRows(text, 5001);
  return { header: all[0] ?? [], rows: all.slice(1) };
}

/** Distinct values of a column with their counts, most frequent first (at most 20). */
export function distinctValues(p: CsvPreview, column: string): { value: string; count: number }[] {
  const j = p.header.indexOf(column);
  if (j < 0) return [];
  const counts = new Map<string, number>();
  for (const r of p.rows) {
    const v = r[j] ?? '';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count).slice(0, 20);
}

const BAD = ['1', 'bad', 'yes', 'true', 'default', 'y', '1.0'];

/** A guess at which of two values means bad, using the service's defaults (1, bad, yes, ...). */
export function guessBad(values: string[]): string | undefined {
  return values.find((v) => BAD.includes(v.toLowerCase()));
}
