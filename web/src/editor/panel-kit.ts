// What every node side panel shares: the props a panel receives and the row reordering its lists use.

export type Obj = Record<string, any>;

export interface PanelProps {
  nodeId: string;
  content: Obj;
  onChange(c: unknown): void;
}

/** A copy of `a` with item i moved by d places (-1 up, +1 down); `a` itself when that leaves the list. */
export function moveItem<T>(a: T[], i: number, d: number): T[] {
  const j = i + d;
  if (j < 0 || j >= a.length) return a;
  const b = a.slice();
  [b[i], b[j]] = [b[j]!, b[i]!];
  return b;
}
