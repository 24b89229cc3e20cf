// Turns source text into tokens. Template strings are lexed recursively: each `${…}` part becomes its own
// token list, parsed later by a sub-parser.
import { ExpressionError } from './errors.js';
import { MAX_NESTING } from './limits.js';

export type TokenType = 'num' | 'str' | 'tpl' | 'ident' | 'kw' | 'op' | 'eof';

export interface Token {
  type: TokenType;
  /** Operator/keyword/identifier text, string value, or the raw number text. */
  value: string;
  num: number;
  start: number;
  end: number;
  /** Template strings: literal chunks and the token lists of the `${…}` parts, alternating (chunk first). */
  quasis?: string[];
  parts?: Token[][];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null', 'as']);
// Longest first so '..' wins over '.', '==' over '=', and so on.
const OPERATORS = ['..', '==', '!=', '<=', '>=', '&&', '||', '??', '+', '-', '*', '/', '%', '^', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', ';', '=', '#'];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens = lexer.run(false);
  return tokens;
}

class Lexer {
  pos = 0;
  private templateDepth = 0;
  constructor(readonly src: string) {}

  private error(message: string, at: number, token: string): never {
    throw new ExpressionError(message, this.src, at, token);
  }

  /** Lexes until the end of input, or (inTemplate) until the `}` closing a `${`. */
  run(inTemplate: boolean): Token[] {
    const src = this.src;
    const out: Token[] = [];
    let braces = 0;
    while (true) {
      // whitespace
      while (this.pos < src.length) {
        const c = src.charCodeAt(this.pos);
        if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
        else break;
      }
      if (this.pos >= src.length) {
        if (inTemplate) this.error('Unterminated template expression', this.pos, '');
        out.push({ type: 'eof', value: '', num: 0, start: this.pos, end: this.pos });
        return out;
      }
      const start = this.pos;
      const c = src.charCodeAt(start);
      if (isDigit(c)) {
        out.push(this.number());
        continue;
      }
      if (isIdentStart(c)) {
        let p = start + 1;
        while (p < src.length && isIdentPart(src.charCodeAt(p))) p++;
        const word = src.slice(start, p);
        this.pos = p;
        out.push({ type: KEYWORDS.has(word) ? 'kw' : 'ident', value: word, num: 0, start, end: p });
        continue;
      }
      if (c === 39 || c === 34) {
        out.push(this.string(c));
        continue;
      }
      if (c === 96) {
        out.push(this.template());
        continue;
      }
      if (inTemplate) {
        if (c === 123) braces++;
        else if (c === 125) {
          if (braces === 0) {
            this.pos++;
            out.push({ type: 'eof', value: '', num: 0, start, end: start });
            return out;
          }
          braces--;
        }
      }
      let op: string | undefined;
      for (const candidate of OPERATORS) {
        if (src.startsWith(candidate, start)) {
          op = candidate;
          break;
        }
      }
      if (op === undefined) this.error(`Unexpected character '${src[start]}'`, start, src[start]!);
      this.pos = start + op.length;
      out.push({ type: 'op', value: op, num: 0, start, end: this.pos });
    }
  }

  private number(): Token {
    const src = this.src;
    const start = this.pos;
    let p = start;
    const digits = () => {
      while (p < src.length && (isDigit(src.charCodeAt(p)) || (src.charCodeAt(p) === 95 && isDigit(src.charCodeAt(p + 1))))) p++;
    };
    digits();
    // A '.' starts a fraction unless another '.' follows: `1..5` is a range, `5.` is 5.
    if (src.charCodeAt(p) === 46 && src.charCodeAt(p + 1) !== 46 && !isIdentStart(src.charCodeAt(p + 1))) {
      p++;
      digits();
    }
    const e = src.charCodeAt(p);
    if (e === 101 || e === 69) {
      let q = p + 1;
      const sign = src.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (isDigit(src.charCodeAt(q))) {
        p = q;
        digits();
      }
    }
    const text = src.slice(start, p);
    this.pos = p;
    return { type: 'num', value: text, num: Number(text.replaceAll('_', '')), start, end: p };
  }

  /** ZEN strings have no escape sequences: a backslash is kept as written (handy for regex patterns). */
  private string(quote: number): Token {
    const src = this.src;
    const start = this.pos;
    const end = src.indexOf(String.fromCharCode(quote), start + 1);
    if (end < 0) this.error('Unterminated string', start, src.slice(start, start + 20));
    this.pos = end + 1;
    return { type: 'str', value: src.slice(start + 1, end), num: 0, start, end: this.pos };
  }

  private template(): Token {
    const src = this.src;
    const start = this.pos;
    const quasis: string[] = [];
    const parts: Token[][] = [];
    let p = start + 1;
    let chunk = '';
    while (true) {
      if (p >= src.length) this.error('Unterminated template string', start, '`');
      const c = src.charCodeAt(p);
      if (c === 96) break;
      if (c === 92 && p + 1 < src.length) {
        chunk += src[p + 1];
        p += 2;
        continue;
      }
      if (c === 36 && src.charCodeAt(p + 1) === 123) {
        quasis.push(chunk);
        chunk = '';
        this.pos = p + 2;
        if (++this.templateDepth > MAX_NESTING) this.error(`Expression nesting too deep (limit ${MAX_NESTING})`, p, '${');
        parts.push(this.run(true));
        this.templateDepth--;
        p = this.pos;
        continue;
      }
      chunk += src[p];
      p++;
    }
    quasis.push(chunk);
    this.pos = p + 1;
    return { type: 'tpl', value: '', num: 0, start, end: this.pos, quasis, parts };
  }
}
