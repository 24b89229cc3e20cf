// `npm run bench -- <name> [--json] [...]`: runs bench/<name>/index.ts. With no name, lists the benchmarks.
import { readdirSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const names = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}> [--json]`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(join(dir, name, 'index.ts')).href)) as { main(args: string[]): Promise<void> };
await mod.main(args);
