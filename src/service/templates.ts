// Strategy templates shipped under examples/strategies/*.json: {id, name, description, eventTypes, draft}.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StrategyTemplate } from './context.js';

export async function loadTemplates(dir: string): Promise<StrategyTemplate[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: StrategyTemplate[] = [];
  for (const f of files) {
    const t = JSON.parse(await readFile(join(dir, f), 'utf8')) as StrategyTemplate;
    if (t && typeof t.id === 'string' && t.draft) out.push(t);
  }
  return out;
}
