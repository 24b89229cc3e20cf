// Syntax tree produced by the parser and consumed once by the compiler. `at` is the 0-based source offset
// of the node's first token, used for error positions.

export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in' | '+' | '-' | '*' | '/' | '%' | '^' | '??';

export type Node =
  | { kind: 'literal'; at: number; value: string | number | boolean | null }
  | { kind: 'template'; at: number; quasis: string[]; parts: Node[] }
  | { kind: 'ident'; at: number; name: string }
  | { kind: 'self'; at: number }
  | { kind: 'root'; at: number }
  /** `#` or an `as` alias: the current element of closure `slot`. */
  | { kind: 'local'; at: number; slot: number }
  | { kind: 'array'; at: number; items: Node[] }
  | { kind: 'object'; at: number; entries: { key: string | Node; value: Node }[] }
  | { kind: 'interval'; at: number; left: Node; right: Node; leftClosed: boolean; rightClosed: boolean }
  | { kind: 'member'; at: number; object: Node; key: string }
  | { kind: 'index'; at: number; object: Node; index: Node }
  | { kind: 'slice'; at: number; object: Node; from: Node | null; to: Node | null }
  | { kind: 'unary'; at: number; op: 'not' | '-' | '+'; arg: Node }
  | { kind: 'binary'; at: number; op: BinaryOp; left: Node; right: Node; /** offset of the operator */ opAt?: number }
  | { kind: 'cond'; at: number; test: Node; then: Node; otherwise: Node }
  | { kind: 'call'; at: number; name: string; args: Node[] }
  | { kind: 'closure'; at: number; name: string; list: Node; body: Node; slot: number }
  | { kind: 'method'; at: number; object: Node; name: string; args: Node[] }
  /** Unary mode: comma-separated alternatives, true when any is. */
  | { kind: 'any'; at: number; items: Node[] }
  | { kind: 'assign'; at: number; path: string[]; value: Node }
  | { kind: 'program'; at: number; statements: Node[] };

export type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;
