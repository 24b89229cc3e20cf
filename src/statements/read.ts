// Reads one statement file end to end as a stream: sniff → pick a parser → rows → transactions, then checks the
// rows against the file's own summary. Memory stays flat: rows are handed to `onTransaction` one at a time.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { StatementError } from './errors.js';
import { decodeSample, sniff, type Sniffed } from './decode.js';
import { csvRecords } from './csv.js';
import { detectParser } from './parsers/registry.js';
import { fenToYuan } from './money.js';
import type { ParseState, Row, StatementMeta, StatementSummary, StatementWarning, Transaction } from './types.js';

export interface StatementInput {
  name: string;
  /** File content; or `path` to stream it from disk. */
  data?: Buffer;
  path?: string;
}

export interface ReadOptions {
  /** Refuse files larger than this (bytes). Default 64 MiB. */
  maxBytes?: number;
}

export interface ParsedFileInfo {
  name: string;
  format: string;
  label: { zh: string; en: string };
  transactionCount: number;
  warnings: StatementWarning[];
  summary: StatementSummary;
  meta: StatementMeta;
}

const HEAD_BYTES = 64 * 1024;
const XLSX_SAMPLE_ROWS = 40;

async function headOf(input: StatementInput): Promise<{ head: Buffer; size: number }> {
  if (input.data) return { head: input.data.subarray(0, HEAD_BYTES), size: input.data.length };
  const fh = await open(input.path!, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await fh.read(buf, 0, buf.length, 0);
    return { head: buf, size };
  } finally {
    await fh.close();
  }
}

function byteStream(input: StatementInput): Readable {
  return input.data ? Readable.from([input.data]) : createReadStream(input.path!, { highWaterMark: 1024 * 1024 });
}

function csvRows(input: StatementInput, s: Sniffed): AsyncIterable<readonly Row[]> {
  const src = byteStream(input);
  return csvRecords(skipBytes(src, s.skip), s.encoding);
}

async function* skipBytes(src: AsyncIterable<Buffer>, skip: number): AsyncGenerator<Buffer> {
  for await (const chunk of src) {
    if (skip > 0) {
      const c = chunk.subarray(skip);
      skip -= chunk.length - c.length;
      if (c.length) yield c;
    } else yield chunk;
  }
}

async function* xlsxBatches(input: StatementInput): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for await (const r of xlsxRows(input)) {
    batch.push(r);
    if (batch.length >= 512) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function* xlsxRows(input: StatementInput, limit = Infinity): AsyncGenerator<Row> {
  let reader: ExcelJS.stream.xlsx.WorkbookReader;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(byteStream(input), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
    });
  } catch (e) {
    throw badXlsx(e);
  }
  let n = 0;
  try {
    for await (const ws of reader) {
      for await (const row of ws) {
        const vals = row.values as unknown[];
        yield Array.isArray(vals) ? vals.slice(1) : [];
        if (++n >= limit) return;
      }
      return; // the statement is on the first sheet
    }
  } catch (e) {
    if (e instanceof StatementError) throw e;
    throw badXlsx(e);
  }
}

function badXlsx(e: unknown): StatementError {
  return new StatementError(
    'BAD_XLSX',
    `XLSX 文件已损坏或不完整（${(e as Error).message}）`,
    `the XLSX file is damaged or incomplete (${(e as Error).message})`,
  );
}

async function xlsxSample(input: StatementInput): Promise<string> {
  const lines: string[] = [];
  for await (const r of xlsxRows(input, XLSX_SAMPLE_ROWS)) {
    lines.push(r.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : String(v))).join(','));
  }
  return lines.join('\n');
}

const CLOSED = /关闭|失败/;

/** Parses one file, calling `onTransaction` for every row; resolves to what the file was and what looked wrong. */
export async function readStatement(
  input: StatementInput,
  onTransaction: (tx: Transaction) => void,
  opts: ReadOptions = {},
): Promise<ParsedFileInfo> {
  try {
    return await readInner(input, onTransaction, opts);
  } catch (e) {
    if (e instanceof StatementError) {
      if (e.file === undefined) {
        e.file = input.name;
        e.message = `${input.name}: ${e.en}`;
      }
      throw e;
    }
    const msg = (e as Error).message ?? String(e);
    if ((e as { code?: string }).code?.startsWith('CSV_')) {
      throw new StatementError('BAD_ROW', `CSV 格式错误：${msg}`, `malformed CSV: ${msg}`, input.name);
    }
    throw e;
  }
}

async function readInner(input: StatementInput, onTransaction: (tx: Transaction) => void, opts: ReadOptions): Promise<ParsedFileInfo> {
  const { head, size } = await headOf(input);
  const max = opts.maxBytes ?? 64 * 1024 * 1024;
  if (size > max) {
    throw new StatementError('TOO_LARGE', `文件过大（${size} 字节，上限 ${max}）`, `file too large (${size} bytes, limit ${max})`);
  }
  const sn = sniff(head, size <= head.length);
  const sample = sn.container === 'xlsx' ? await xlsxSample(input) : decodeSample(head, sn);
  const parser = detectParser(sn.container, sample);
  if (!parser) {
    const hint = sn.container === 'xlsx' ? 'XLSX' : sn.encoding === 'gb18030' ? 'GBK/GB18030 文本' : 'UTF-8 文本';
    throw new StatementError(
      'UNKNOWN_FORMAT',
      `无法识别的账单格式（${hint}）：不是支付宝、微信支付、招商银行或工商银行的导出文件，或表头已被修改`,
      `unknown statement format (${sn.container}, ${sn.encoding}): not an Alipay, WeChat Pay, CMB or ICBC export, or its column header was edited`,
    );
  }
  const state: ParseState = { summary: {}, meta: {}, headerSeen: false, warnings: [] };
  const rows = sn.container === 'xlsx' ? xlsxBatches(input) : csvRows(input, sn);
  const count = { in: 0, out: 0, neutral: 0 };
  const total = { in: 0, out: 0, neutral: 0 };
  const totalOpen = { in: 0, out: 0, neutral: 0 };
  let n = 0;
  let lastStatus = '';
  let lastClosed = false; // statuses repeat: test the regex once per change
  await parser.parse(rows, state, (tx) => {
    n++;
    count[tx.direction]++;
    total[tx.direction] += tx.amount;
    if (tx.status !== lastStatus) {
      lastStatus = tx.status;
      lastClosed = CLOSED.test(tx.status);
    }
    if (!lastClosed) totalOpen[tx.direction] += tx.amount;
    onTransaction(tx);
  });
  if (!state.headerSeen) {
    throw new StatementError('NO_HEADER', `没有找到「${parser.label.zh}」的列标题行，文件可能被截断或修改`, `the column header of "${parser.label.en}" was not found; the file may be truncated or edited`);
  }
  verify(state, n, count, total, totalOpen);
  return { name: input.name, format: parser.format, label: parser.label, transactionCount: n, warnings: state.warnings, summary: state.summary, meta: state.meta };
}

type ByDir = Record<'in' | 'out' | 'neutral', number>;

/** Compares rows with the file's own 共N笔记录 and income/expense totals; a mismatch suggests editing. */
function verify(state: ParseState, n: number, count: ByDir, total: ByDir, totalOpen: ByDir): void {
  const s = state.summary;
  const w = state.warnings;
  if (n === 0) w.push({ code: 'NO_TRANSACTIONS', zh: '文件中没有交易记录', en: 'the file holds no transactions' });
  if (s.count !== undefined && s.count !== n) {
    w.push({
      code: 'TAMPER_COUNT',
      zh: `疑似篡改：文件声明共 ${s.count} 笔记录，实际读到 ${n} 笔`,
      en: `possible tampering: the file declares ${s.count} records but holds ${n}`,
    });
  }
  const check = (dir: 'in' | 'out' | 'neutral', label: [string, string], c?: number, t?: number) => {
    if (c !== undefined && c !== count[dir]) {
      w.push({ code: 'TAMPER_COUNT', zh: `疑似篡改：${label[0]}笔数声明 ${c}，实际 ${count[dir]}`, en: `possible tampering: ${label[1]} count declared ${c}, found ${count[dir]}` });
    }
    if (t !== undefined && t !== total[dir] && t !== totalOpen[dir]) {
      w.push({
        code: 'TAMPER_TOTAL',
        zh: `疑似篡改：${label[0]}合计声明 ${fenToYuan(t)} 元，明细合计 ${fenToYuan(total[dir])} 元`,
        en: `possible tampering: ${label[1]} total declared ${fenToYuan(t)}, rows sum to ${fenToYuan(total[dir])}`,
      });
    }
  };
  check('in', ['收入', 'income'], s.incomeCount, s.incomeTotal);
  check('out', ['支出', 'expense'], s.expenseCount, s.expenseTotal);
  check('neutral', ['不计收支', 'neutral'], s.neutralCount, s.neutralTotal);
}
