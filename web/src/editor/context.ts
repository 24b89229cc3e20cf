// What the side panels need from the editor: validation issues per node, and completion words.
import { createContext, useContext } from 'react';
import type { Issue } from '../types.js';

export interface EditorCtx {
  issues: Map<string, Issue[]>;
  /** Input fields and features offered while typing an expression. */
  completions: string[];
}

export const EditorContext = createContext<EditorCtx>({ issues: new Map(), completions: [] });
export const useEditor = () => useContext(EditorContext);

/** `content.rules[0]["i1-1"]` and `rules.0.i1-1` name the same place. */
export function normPath(p: string): string {
  return p
    .replace(/^content\./, '')
    .replace(/^config\./, '')
    .replace(/\[\s*["']?([^\]"']+)["']?\s*\]/g, '.$1')
    .replace(/^\./, '');
}

export function issuesAt(issues: Issue[] | undefined, path: string): Issue[] {
  if (!issues) return [];
  const want = normPath(path);
  return issues.filter((i) => i.field !== undefined && normPath(i.field) === want);
}
