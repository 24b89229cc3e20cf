// Works out how a statement file is encoded from its first bytes, and refuses files whose text is already damaged.
import iconv from 'iconv-lite';
import { StatementError } from './errors.js';

export type Container = 'csv' | 'xlsx';
export interface Sniffed {
  container: Container;
  /** iconv-lite encoding name for text files. */
  encoding: 'utf8' | 'gb18030' | 'utf16le';
  /** Bytes to skip at the start (BOM). */
  skip: number;
}

/** Validates UTF-8 over `buf`, tolerating a multi-byte sequence cut by the end of the sample. */
function isValidUtf8(buf: Uint8Array, truncatedTailOk: boolean): boolean {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const c = buf[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return false;
    if (i + need >= n) return truncatedTailOk;
    for (let k = 1; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += need + 1;
  }
  return true;
}

/** U+FFFD encoded as UTF-8: the trace of a GBK file opened as UTF-8 and saved again. */
function countReplacementChars(buf: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < buf.length; i++) if (buf[i] === 0xef && buf[i + 1] === 0xbf && buf[i + 2] === 0xbd) n++;
  return n;
}

/** Looks at the head of a file (a few KB is enough) and decides container and encoding. */
export function sniff(head: Buffer, wholeFile: boolean): Sniffed {
  if (head.length === 0) throw new StatementError('EMPTY_FILE', '文件为空', 'the file is empty');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return { container: 'xlsx', encoding: 'utf8', skip: 0 };
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new StatementError(
      'EXCEL_RESAVED',
      '这是旧版 Excel（.xls）文件，多半是用 Excel 另存过的账单；请上传支付宝/微信导出的原始 CSV 或 XLSX 文件',
      'this is a legacy Excel .xls file, most likely a statement re-saved in Excel; upload the original CSV/XLSX export',
    );
  }
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) {
    throw new StatementError('UNKNOWN_FORMAT', '这是 PDF 文件；请上传 CSV 或 XLSX 格式的账单明细', 'this is a PDF; upload the CSV or XLSX statement export');
  }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return checkDamage(head, { container: 'csv', encoding: 'utf8', skip: 3 });
  if (head[0] === 0xff && head[1] === 0xfe) return { container: 'csv', encoding: 'utf16le', skip: 2 };
  let zeros = 0;
  for (let i = 0; i < Math.min(head.length, 4096); i++) if (head[i] === 0) zeros++;
  if (zeros > 8) throw new StatementError('UNKNOWN_FORMAT', '文件是二进制数据，不是账单明细', 'the file is binary data, not a statement export');
  if (isValidUtf8(head, !wholeFile)) return checkDamage(head, { container: 'csv', encoding: 'utf8', skip: 0 });
  return { container: 'csv', encoding: 'gb18030', skip: 0 };
}

function checkDamage(head: Buffer, s: Sniffed): Sniffed {
  if (countReplacementChars(head) >= 3) {
    throw new StatementError(
      'ENCODING_DAMAGED',
      '文件中的中文已损坏（出现大量 “�” 替换字符）：原本是 GBK 编码的账单被当作 UTF-8 打开后又保存过，无法还原；请重新导出原始文件',
      'the Chinese text is destroyed (many U+FFFD replacement characters): a GBK statement was opened as UTF-8 and saved again, which cannot be undone; export the original file again',
    );
  }
  return s;
}

/** Decodes a head sample to text for `detect`. */
export function decodeSample(head: Buffer, s: Sniffed): string {
  return iconv.decode(head.subarray(s.skip), s.encoding);
}
