// The shape every known statement shares: free-text preamble → one column-header row → data rows → optional
// footer. A layout is a small spec (column names, how to read direction and amount); this module does the rest.
import { StatementError } from '../errors.js';
import { parseFen } from '../money.js';
import { parseBeijingTime } from '../time.js';
import type { Direction, ParseState, Row, StatementParser, StatementSource, Transaction } from '../types.js';

export type ColumnKey =
  | 'time'
  | 'direction'
  | 'amount'
  | 'signedAmount'
  | 'inAmount'
  | 'outAmount'
  | 'counterparty'
  | 'counterpartyAccount'
  | 'item'
  | 'platformCategory'
  | 'method'
  | 'status'
  | 'orderId'
  | 'merchantOrderId'
  | 'note'
  | 'balance';

export interface LayoutSpec {
  format: string;
  source: StatementSource;
  container: 'csv' | 'xlsx';
  label: { zh: string; en: string };
  detect(sample: string): number;
  /** Header text for each column this layout has (exact, after trimming). */
  columns: Partial<Record<ColumnKey, string>>;
  /** A line after the table that proves the file ends where the exporter ended it. */
  footer?: RegExp;
  /** The exporter always writes `YYYY-MM-DD HH:mm:ss`; `2023/2/12 21:32` then means Excel re-saved the file. */
  isoTimes?: boolean;
  /** The payment method when the layout has no such column (bank statements: the card from the preamble). */
  methodFrom?(state: ParseState): string;
}

const SUMMARY_COUNT = /共\s*(\d+)\s*笔记录/;
const SUMMARY_LINE = /^(已?收入|已?支出|不计收支|中性交易)[:：]\s*(\d+)\s*笔[,，\s]*([\d,]+\.?\d*)\s*元/;
const HOLDER = /^(?:姓名|户名|微信昵称)[:：]\s*\[?([^\]]*?)\]?\s*$/;
const ACCOUNT = /^(?:支付宝账户|账号|卡号|账户)[:：]\s*\[?([^\]\s]*)\]?/;
const PERIOD = /(?:起始时间|起始日期)[:：]\s*\[([^\]]+)\].*?(?:终止时间|终止日期)[:：]\s*\[([^\]]+)\]/;

/** Could trim() remove this code unit? (ASCII blanks and controls, NBSP, the Unicode spaces, U+3000, BOM.) */
const maybeSpace = (c: number): boolean => c <= 32 || (c >= 0xa0 && c <= 0x3000 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x205f) || c === 0x3000)) || c === 0xfeff;

/** Cell → trimmed text; '/' (WeChat's "none") and null become ''. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    // CSV fields arrive trimmed of ASCII blanks; trim() only when an end may still be white space.
    const n = v.length;
    if (n === 0) return v;
    const t = maybeSpace(v.charCodeAt(0)) || maybeSpace(v.charCodeAt(n - 1)) ? v.trim() : v;
    return t === '/' ? '' : t;
  }
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('').trim();
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
  }
  return String(v).trim();
}

/** Reads free-text lines (preamble or footer) for the file's own summary and holder details. */
export function readInfoLine(line: string, state: ParseState): void {
  const c = SUMMARY_COUNT.exec(line);
  if (c) state.summary.count = Number(c[1]);
  const s = SUMMARY_LINE.exec(line);
  if (s) {
    const n = Number(s[2]);
    const fen = parseFen(s[3]);
    if (s[1].endsWith('收入')) {
      state.summary.incomeCount = n;
      state.summary.incomeTotal = fen;
    } else if (s[1].endsWith('支出')) {
      state.summary.expenseCount = n;
      state.summary.expenseTotal = fen;
    } else {
      state.summary.neutralCount = n;
      state.summary.neutralTotal = fen;
    }
  }
  const h = HOLDER.exec(line);
  if (h) state.meta.holderName = h[1];
  const a = ACCOUNT.exec(line);
  if (a) state.meta.account = a[1];
  const p = PERIOD.exec(line);
  if (p) {
    state.meta.periodStart = parseBeijingTime(p[1]);
    state.meta.periodEnd = parseBeijingTime(p[2]);
  }
}

function directionOf(text: string): Direction {
  if (text === '收入' || text === '已收入') return 'in';
  if (text === '支出' || text === '已支出') return 'out';
  return 'neutral';
}

const EXCEL_SCIENTIFIC = /^\d(\.\d+)?E\+\d+$/i;
function isExcelScientific(v: string): boolean {
  const c = v.charCodeAt(1); // '.', 'E' or 'e' right after the first digit; skips the regex for real ids
  return (c === 46 || c === 69 || c === 101) && EXCEL_SCIENTIFIC.test(v);
}

/** Cell at `i` as text; '' when the layout has no such column (i < 0). */
function textAt(r: Row, i: number): string {
  return i < 0 ? '' : cellText(r[i]);
}

/** True when every cell from `from` on is empty (a trailing comma), so the row is not too wide. */
function blankFrom(r: Row, from: number): boolean {
  for (let i = from; i < r.length; i++) {
    const v = r[i];
    if (!(v === null || v === undefined || (typeof v === 'string' && v.trim() === ''))) return false;
  }
  return true;
}

/** Builds a StatementParser from a layout spec. */
export function tabularParser(spec: LayoutSpec): StatementParser {
  const headerNames = Object.values(spec.columns) as string[];
  return {
    format: spec.format,
    source: spec.source,
    container: spec.container,
    label: spec.label,
    detect: spec.detect,
    async parse(batches: AsyncIterable<readonly Row[]>, state: ParseState, emit: (tx: Transaction) => void): Promise<void> {
      const idx: Partial<Record<ColumnKey, number>> = {};
      let width = 0;
      let cpIdx = -1;
      let inTable = false;
      let line = 0;
      let badTail: string | undefined;
      let method = '';
      let resaved = false;
      // Column positions as plain numbers (-1: the layout has no such column), read once per row below.
      let cTime = -1;
      let cCounterparty = -1;
      let cAccount = -1;
      let cItem = -1;
      let cCategory = -1;
      let cMethod = -1;
      let cStatus = -1;
      let cOrder = -1;
      let cMerchantOrder = -1;
      let cNote = -1;
      for await (const batch of batches) for (const raw of batch) {
        line++;
        if (!inTable) {
          const cells = raw.map(cellText);
          if (!state.headerSeen && headerNames.every((h) => cells.includes(h))) {
            for (const [k, name] of Object.entries(spec.columns) as [ColumnKey, string][]) idx[k] = cells.indexOf(name);
            width = cells.length;
            cpIdx = idx.counterparty ?? -1;
            const col = (k: ColumnKey): number => idx[k] ?? -1;
            cTime = col('time');
            cCounterparty = col('counterparty');
            cAccount = col('counterpartyAccount');
            cItem = col('item');
            cCategory = col('platformCategory');
            cMethod = col('method');
            cStatus = col('status');
            cOrder = col('orderId');
            cMerchantOrder = col('merchantOrderId');
            cNote = col('note');
            state.headerSeen = true;
            inTable = true;
            method = spec.methodFrom ? spec.methodFrom(state) : '';
          } else {
            readInfoLine(cells.filter((c) => c !== '').join(','), state);
          }
          continue;
        }
        let r = raw;
        // WeChat writes counterparty names with commas unquoted: fold the surplus cells back into that column.
        if (r.length > width && cpIdx >= 0 && !blankFrom(r, width)) {
          const extra = r.length - width;
          r = [...r.slice(0, cpIdx), r.slice(cpIdx, cpIdx + extra + 1).map((v) => String(v ?? '')).join(','), ...r.slice(cpIdx + extra + 1)];
        }
        const t0 = r[cTime];
        const time = parseBeijingTime(typeof t0 === 'string' ? t0.trim() : t0);
        if (spec.isoTimes && !resaved && typeof t0 === 'string' && t0.charCodeAt(4) === 47 /* '/' */) {
          resaved = true;
          state.warnings.push({
            code: 'EXCEL_RESAVED',
            zh: '时间格式被 Excel 改写（如 2023/2/12 21:32，秒已丢失）：文件被 Excel 另存过，不是原始导出',
            en: 'times were rewritten by Excel (e.g. 2023/2/12 21:32, seconds lost): the file was re-saved in Excel and is not the original export',
          });
        }
        if (Number.isNaN(time)) {
          const text = r.map(cellText).filter((c) => c !== '').join(',');
          if (text === '') continue;
          if (badTail === undefined && (text.startsWith('---') || (spec.footer && spec.footer.test(text)) || SUMMARY_COUNT.test(text) || /^[^\d]/.test(text))) {
            // Footer: the table is over; the rest is summary text.
            inTable = false;
            state.footerSeen = true;
            readInfoLine(text, state);
            continue;
          }
          badTail = `line ${line}: ${text.slice(0, 60)}`;
          continue;
        }
        if (badTail !== undefined) {
          throw new StatementError('BAD_ROW', `第 ${line} 行之前有无法识别的行（${badTail}）`, `unreadable row before a valid one (${badTail})`);
        }
        let amount: number;
        let direction: Direction;
        if (idx.signedAmount !== undefined) {
          const v = parseFen(r[idx.signedAmount]);
          amount = Math.abs(v);
          direction = v < 0 ? 'out' : 'in';
        } else if (idx.inAmount !== undefined && idx.outAmount !== undefined) {
          const a = parseFen(r[idx.inAmount]);
          const b = parseFen(r[idx.outAmount]);
          direction = a > 0 ? 'in' : 'out';
          amount = a > 0 ? a : b;
        } else {
          amount = parseFen(r[idx.amount!]);
          direction = directionOf(cellText(r[idx.direction!]));
        }
        if (Number.isNaN(amount) || r.length < width - 1) {
          badTail = `line ${line}: ${r.map(cellText).join(',').slice(0, 60)}`;
          continue;
        }
        const orderId = textAt(r, cOrder);
        if (isExcelScientific(orderId)) {
          throw new StatementError(
            'EXCEL_RESAVED',
            `第 ${line} 行的订单号变成了科学计数法（${orderId}）：文件被 Excel 打开并另存过，订单号已丢失；请上传原始导出文件`,
            `line ${line}: the order id became scientific notation (${orderId}): the file was opened and re-saved in Excel, and the ids are lost; upload the original export`,
          );
        }
        const tx: Transaction = {
          source: spec.source,
          time,
          direction,
          amount,
          counterparty: textAt(r, cCounterparty),
          counterpartyAccount: textAt(r, cAccount),
          item: textAt(r, cItem),
          platformCategory: textAt(r, cCategory),
          method: cMethod < 0 ? method : textAt(r, cMethod),
          status: textAt(r, cStatus),
          orderId,
          merchantOrderId: textAt(r, cMerchantOrder),
          note: textAt(r, cNote),
        };
        if (idx.balance !== undefined) tx.balance = parseFen(r[idx.balance]);
        emit(tx);
      }
      if (badTail !== undefined) {
        throw new StatementError('TRUNCATED', `文件在结尾处被截断（${badTail}）`, `the file is truncated at the end (${badTail})`);
      }
      if (state.headerSeen && spec.footer && !state.footerSeen) {
        throw new StatementError(
          'TRUNCATED',
          '文件不完整：缺少导出时附带的结尾统计信息，可能在传输或编辑中被截断',
          'the file is incomplete: the closing summary the exporter always writes is missing, so it was cut off',
        );
      }
    },
  };
}
