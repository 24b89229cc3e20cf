// Recursive-descent parser for ZEN expressions (standard and unary modes). Operator precedences follow ZEN:
// or 10, and 15, comparisons/in 20, + - 30, * / % 60, ^ 70 (right), ?? 80; prefix not 50, prefix - + 200.
import type { BinaryOp, Node } from './ast.js';
import { ExpressionError } from './errors.js';
import { MAX_NESTING } from './limits.js';
import { tokenize, type Token } from './lexer.js';

const BINARY: Record<string, { prec: number; right: boolean; op: BinaryOp }> = {
  or: { prec: 10, right: false, op: 'or' },
  '||': { prec: 10, right: false, op: 'or' },
  and: { prec: 15, right: false, op: 'and' },
  '&&': { prec: 15, right: false, op: 'and' },
  '==': { prec: 20, right: false, op: '==' },
  '!=': { prec: 20, right: false, op: '!=' },
  '<': { prec: 20, right: false, op: '<' },
  '>': { prec: 20, right: false, op: '>' },
  '<=': { prec: 20, right: false, op: '<=' },
  '>=': { prec: 20, right: false, op: '>=' },
  in: { prec: 20, right: false, op: 'in' },
  '+': { prec: 30, right: false, op: '+' },
  '-': { prec: 30, right: false, op: '-' },
  '*': { prec: 60, right: false, op: '*' },
  '/': { prec: 60, right: false, op: '/' },
  '%': { prec: 60, right: false, op: '%' },
  '^': { prec: 70, right: true, op: '^' },
  '??': { prec: 80, right: false, op: '??' },
};
const NOT_IN = { prec: 20, right: false, op: 'not in' as BinaryOp };
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** Functions whose second argument is a closure body evaluated per element (`#` is the element). */
export const CLOSURE_FUNCTIONS = new Set(['map', 'filter', 'all', 'some', 'none', 'one', 'count', 'flatMap']);

export interface ParseResult {
  root: Node;
  /** Number of closure slots (`#` frames) the compiled code needs. */
  slots: number;
  hasAssignments: boolean;
}

interface Shared {
  slots: number;
  depth: number;
  hasAssignments: boolean;
}

export function parseStandard(source: string): ParseResult {
  const shared: Shared = { slots: 0, depth: 0, hasAssignments: false };
  const p = new Parser(source, tokenize(source), shared, []);
  const root = p.program();
  return { root, slots: shared.slots, hasAssignments: shared.hasAssignments };
}

export function parseUnary(source: string): ParseResult {
  const shared: Shared = { slots: 0, depth: 0, hasAssignments: false };
  const p = new Parser(source, tokenize(source), shared, []);
  const root = p.unaryRoot();
  return { root, slots: shared.slots, hasAssignments: false };
}

interface Scope {
  alias: string | null;
  slot: number;
}

class Parser {
  private i = 0;
  /** Unary mode top level: `and`, `or` and `,` join alternatives instead of being operators. */
  private stopAtJoin = false;

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
    private readonly shared: Shared,
    private readonly scopes: Scope[],
  ) {}

  // ---- token helpers ----
  private get cur(): Token {
    return this.tokens[this.i]!;
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]!;
  }
  private isOp(value: string, t: Token = this.cur): boolean {
    return t.type === 'op' && t.value === value;
  }
  private isKw(value: string, t: Token = this.cur): boolean {
    return t.type === 'kw' && t.value === value;
  }
  private unexpected(t: Token = this.cur): never {
    if (t.type === 'eof') throw new ExpressionError('Unexpected end of expression', this.src, t.start, '');
    const text = this.src.slice(t.start, t.end);
    throw new ExpressionError(`Unexpected token '${text}'`, this.src, t.start, text);
  }
  private expectOp(value: string): Token {
    if (!this.isOp(value)) this.unexpected();
    return this.tokens[this.i++]!;
  }
  private enter(t: Token): void {
    if (++this.shared.depth > MAX_NESTING) {
      throw new ExpressionError(`Expression nesting too deep (limit ${MAX_NESTING})`, this.src, t.start, this.src.slice(t.start, t.end));
    }
  }
  private leave(): void {
    this.shared.depth--;
  }
  private atEnd(): boolean {
    return this.cur.type === 'eof';
  }
  private expectEnd(): void {
    if (this.cur.type !== 'eof') this.unexpected();
  }

  // ---- entry points ----
  program(): Node {
    const statements: Node[] = [];
    const at = this.cur.start;
    while (true) {
      if (this.cur.type === 'eof' && statements.length > 0) break;
      statements.push(this.statement());
      if (this.isOp(';')) {
        this.i++;
        continue;
      }
      break;
    }
    this.expectEnd();
    if (statements.length === 1 && statements[0]!.kind !== 'assign') return statements[0]!;
    return { kind: 'program', at, statements };
  }

  private statement(): Node {
    const start = this.cur;
    const node = this.expression();
    if (!this.isOp('=')) return node;
    const eq = this.cur;
    const path: string[] = [];
    let n: Node = node;
    while (n.kind === 'member') {
      path.unshift(n.key);
      n = n.object;
    }
    if (n.kind !== 'ident') throw new ExpressionError('Invalid assignment target', this.src, eq.start, '=');
    path.unshift(n.name);
    this.i++;
    const value = this.expression();
    this.shared.hasAssignments = true;
    return { kind: 'assign', at: start.start, path, value };
  }

  unaryRoot(): Node {
    // An empty unary test matches anything (an empty decision-table cell).
    if (this.atEnd()) return { kind: 'literal', at: 0, value: true };
    this.stopAtJoin = true;
    const items: Node[] = [];
    let left = this.unaryPair();
    const at = left.at;
    while (!this.atEnd()) {
      const t = this.cur;
      if (this.isOp(',')) {
        items.push(left);
        this.i++;
        left = this.unaryPair();
        continue;
      }
      let op: BinaryOp;
      if (this.isKw('and') || this.isOp('&&')) op = 'and';
      else if (this.isKw('or') || this.isOp('||')) op = 'or';
      else throw new ExpressionError(`Invalid join operator '${this.src.slice(t.start, t.end)}'`, this.src, t.start, this.src.slice(t.start, t.end));
      this.i++;
      const right = this.unaryPair();
      // ZEN folds and/or left to right at the top of a unary test.
      left = { kind: 'binary', at: left.at, op, left, right };
    }
    if (items.length === 0) return left;
    items.push(left);
    return { kind: 'any', at, items };
  }

  /** One unary test: `> 5` (implicit `$` on the left), or a value compared with `$` by ZEN's rules. */
  private unaryPair(): Node {
    const t = this.cur;
    const self: Node = { kind: 'self', at: t.start };
    if (t.type === 'op' && COMPARISONS.has(t.value)) {
      this.i++;
      const right = this.expression();
      return { kind: 'binary', at: t.start, op: t.value as BinaryOp, left: self, right };
    }
    if (this.isKw('in') || (this.isKw('not') && this.isKw('in', this.peek()))) {
      const op: BinaryOp = this.isKw('in') ? 'in' : 'not in';
      this.i += op === 'in' ? 1 : 2;
      const right = this.expression();
      return { kind: 'binary', at: t.start, op, left: self, right };
    }
    const node = this.expression();
    const behaviour = unaryBehaviour(node);
    if (behaviour === 'bool') return { kind: 'call', at: node.at, name: 'bool', args: [node] };
    return { kind: 'binary', at: node.at, op: behaviour, left: self, right: node };
  }

  // ---- expressions ----
  expression(): Node {
    return this.binary(0);
  }

  private binary(minPrec: number): Node {
    this.enter(this.cur);
    let left = this.prefix();
    while (true) {
      const t = this.cur;
      let info: { prec: number; right: boolean; op: BinaryOp } | undefined;
      if (t.type === 'op' || t.type === 'kw') {
        if (this.isKw('not') && this.isKw('in', this.peek())) info = NOT_IN;
        else info = BINARY[t.value];
      }
      if (info === undefined) break;
      if (this.stopAtJoin && (info.op === 'and' || info.op === 'or')) break;
      if (info.prec < minPrec) break;
      this.i += info === NOT_IN ? 2 : 1;
      const right = this.binary(info.right ? info.prec : info.prec + 1);
      left = { kind: 'binary', at: left.at, op: info.op, left, right, opAt: t.start };
    }
    if (minPrec === 0 && this.isOp('?')) {
      this.i++;
      const then = this.binary(0);
      this.expectOp(':');
      const otherwise = this.binary(0);
      left = { kind: 'cond', at: left.at, test: left, then, otherwise };
    }
    this.leave();
    return left;
  }

  private prefix(): Node {
    const t = this.cur;
    if (this.isKw('not') || this.isOp('!')) {
      this.i++;
      return { kind: 'unary', at: t.start, op: 'not', arg: this.binary(50) };
    }
    if (this.isOp('-') || this.isOp('+')) {
      this.i++;
      const arg = this.binary(200);
      // Fold negative literals so `-5` is a constant (unary cells like `> -5` stay tight).
      if (arg.kind === 'literal' && typeof arg.value === 'number') {
        return { kind: 'literal', at: t.start, value: t.value === '-' ? -arg.value : arg.value };
      }
      return { kind: 'unary', at: t.start, op: t.value as '-' | '+', arg };
    }
    return this.postfix(this.primary());
  }

  /** Parses a nested construct with the unary join rule switched off (inside brackets, arguments, …). */
  private nested<T>(fn: () => T): T {
    const saved = this.stopAtJoin;
    this.stopAtJoin = false;
    try {
      return fn();
    } finally {
      this.stopAtJoin = saved;
    }
  }

  private primary(): Node {
    const t = this.cur;
    switch (t.type) {
      case 'num':
        this.i++;
        return { kind: 'literal', at: t.start, value: t.num };
      case 'str':
        this.i++;
        return { kind: 'literal', at: t.start, value: t.value };
      case 'tpl':
        this.i++;
        return this.template(t);
      case 'kw':
        if (t.value === 'true' || t.value === 'false') {
          this.i++;
          return { kind: 'literal', at: t.start, value: t.value === 'true' };
        }
        if (t.value === 'null') {
          this.i++;
          return { kind: 'literal', at: t.start, value: null };
        }
        return this.unexpected();
      case 'ident':
        return this.identifier(t);
      case 'op':
        if (t.value === '#') {
          this.i++;
          const scope = this.scopes[this.scopes.length - 1];
          if (scope === undefined) throw new ExpressionError("'#' is only allowed inside a closure argument", this.src, t.start, '#');
          return { kind: 'local', at: t.start, slot: scope.slot };
        }
        if (t.value === '(') return this.nested(() => this.parenOrInterval(t));
        if (t.value === '[') return this.nested(() => this.bracketOrInterval(t));
        if (t.value === '{') return this.nested(() => this.objectLiteral(t));
        return this.unexpected();
      default:
        return this.unexpected();
    }
  }

  private template(t: Token): Node {
    const parts: Node[] = [];
    for (const tokens of t.parts!) {
      const sub = new Parser(this.src, tokens, this.shared, this.scopes);
      const node = sub.expression();
      sub.expectEnd();
      parts.push(node);
    }
    return { kind: 'template', at: t.start, quasis: t.quasis!, parts };
  }

  private identifier(t: Token): Node {
    this.i++;
    const name = t.value;
    if (this.isOp('(')) {
      return this.nested(() => this.call(t, name));
    }
    if (name === '$') return { kind: 'self', at: t.start };
    if (name === '$root') return { kind: 'root', at: t.start };
    for (let k = this.scopes.length - 1; k >= 0; k--) {
      if (this.scopes[k]!.alias === name) return { kind: 'local', at: t.start, slot: this.scopes[k]!.slot };
    }
    return { kind: 'ident', at: t.start, name };
  }

  private call(t: Token, name: string): Node {
    this.i++; // (
    if (CLOSURE_FUNCTIONS.has(name)) {
      const list = this.expression();
      let alias: string | null = null;
      if (this.isKw('as')) {
        this.i++;
        if (this.cur.type !== 'ident') this.unexpected();
        alias = this.cur.value;
        this.i++;
      }
      this.expectOp(',');
      const slot = this.shared.slots++;
      this.scopes.push({ alias, slot });
      const body = this.expression();
      this.scopes.pop();
      this.expectOp(')');
      return { kind: 'closure', at: t.start, name, list, body, slot };
    }
    const args = this.arguments();
    return { kind: 'call', at: t.start, name, args };
  }

  private arguments(): Node[] {
    const args: Node[] = [];
    if (this.isOp(')')) {
      this.i++;
      return args;
    }
    while (true) {
      args.push(this.expression());
      if (this.isOp(',')) {
        this.i++;
        continue;
      }
      this.expectOp(')');
      return args;
    }
  }

  private parenOrInterval(t: Token): Node {
    this.i++;
    const first = this.expression();
    if (this.isOp('..')) return this.intervalRest(t, first, false);
    this.expectOp(')');
    return first;
  }

  private bracketOrInterval(t: Token): Node {
    this.i++;
    const items: Node[] = [];
    if (this.isOp(']')) {
      this.i++;
      return { kind: 'array', at: t.start, items };
    }
    const first = this.expression();
    if (this.isOp('..')) return this.intervalRest(t, first, true);
    items.push(first);
    while (this.isOp(',')) {
      this.i++;
      if (this.isOp(']')) break; // trailing comma
      items.push(this.expression());
    }
    this.expectOp(']');
    return { kind: 'array', at: t.start, items };
  }

  private intervalRest(t: Token, left: Node, leftClosed: boolean): Node {
    this.i++; // ..
    const right = this.expression();
    let rightClosed: boolean;
    if (this.isOp(']')) rightClosed = true;
    else if (this.isOp(')')) rightClosed = false;
    else return this.unexpected();
    this.i++;
    return { kind: 'interval', at: t.start, left, right, leftClosed, rightClosed };
  }

  private objectLiteral(t: Token): Node {
    this.i++;
    const entries: { key: string | Node; value: Node }[] = [];
    while (!this.isOp('}')) {
      const k = this.cur;
      let key: string | Node;
      if (k.type === 'ident' || k.type === 'kw' || k.type === 'str') {
        key = k.value;
        this.i++;
      } else if (k.type === 'num') {
        key = String(k.num);
        this.i++;
      } else if (this.isOp('[')) {
        this.i++;
        key = this.expression();
        this.expectOp(']');
      } else {
        return this.unexpected();
      }
      this.expectOp(':');
      entries.push({ key, value: this.expression() });
      if (this.isOp(',')) {
        this.i++;
        continue;
      }
      if (!this.isOp('}')) this.unexpected();
    }
    this.i++;
    return { kind: 'object', at: t.start, entries };
  }

  private postfix(node: Node): Node {
    let n = node;
    let chain = 0;
    while (true) {
      const t = this.cur;
      if (this.isOp('.')) {
        const name = this.peek();
        if (name.type !== 'ident' && name.type !== 'kw') this.unexpected(name);
        this.i += 2;
        if (this.isOp('(')) {
          this.i++;
          const args = this.nested(() => this.arguments());
          n = { kind: 'method', at: n.at, object: n, name: name.value, args };
        } else {
          n = { kind: 'member', at: n.at, object: n, key: name.value };
        }
      } else if (this.isOp('[')) {
        this.i++;
        n = this.nested(() => this.indexOrSlice(n));
      } else {
        return n;
      }
      // Long access chains nest like parentheses do.
      if (++chain > MAX_NESTING) {
        throw new ExpressionError(`Expression nesting too deep (limit ${MAX_NESTING})`, this.src, t.start, t.value);
      }
    }
  }

  private indexOrSlice(object: Node): Node {
    let from: Node | null = null;
    if (!this.isOp(':')) {
      from = this.expression();
      if (this.isOp(']')) {
        this.i++;
        return { kind: 'index', at: object.at, object, index: from };
      }
    }
    this.expectOp(':');
    let to: Node | null = null;
    if (!this.isOp(']')) to = this.expression();
    this.expectOp(']');
    return { kind: 'slice', at: object.at, object, from, to };
  }
}

/** How a bare unary-test value relates to `$` (ZEN's UnaryNodeBehaviour): compared with ==, tested with in, or used as a boolean. */
function unaryBehaviour(node: Node): '==' | 'in' | 'bool' {
  switch (node.kind) {
    case 'literal':
    case 'template':
    case 'object':
    case 'ident':
    case 'self':
    case 'root':
    case 'member':
    case 'index':
      return '==';
    case 'local':
      return 'bool';
    case 'array':
    case 'slice':
    case 'interval':
      return 'in';
    case 'cond': {
      const a = unaryBehaviour(node.then);
      return a === unaryBehaviour(node.otherwise) ? a : '==';
    }
    case 'unary':
      return unaryBehaviour(node.arg);
    case 'binary':
      switch (node.op) {
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
        case '^': {
          const a = unaryBehaviour(node.left);
          return a === unaryBehaviour(node.right) ? a : '==';
        }
        case '??':
          return '==';
        default:
          return 'bool';
      }
    case 'call':
      return BOOLEAN_FUNCTIONS.has(node.name) ? 'bool' : IN_FUNCTIONS.has(node.name) ? 'in' : '==';
    case 'closure':
      return node.name === 'filter' || node.name === 'map' || node.name === 'flatMap' ? 'in' : node.name === 'count' ? '==' : 'bool';
    case 'method':
      return node.name.startsWith('is') ? 'bool' : '==';
    default:
      return 'bool';
  }
}

const BOOLEAN_FUNCTIONS = new Set(['contains', 'startsWith', 'endsWith', 'matches', 'isNumeric']);
const IN_FUNCTIONS = new Set(['flatten', 'merge', 'mergeDeep', 'extract', 'split', 'keys', 'values']);
