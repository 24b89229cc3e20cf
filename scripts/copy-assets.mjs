#!/usr/bin/env node
// tsc compiles only .ts: copy the data files that modules read at run time (keyword tables, default
// strategies) next to their compiled modules, so `dist/` works as the installed package.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const out = join(root, 'dist', 'src');
let copied = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (!name.endsWith('.ts')) {
      const target = join(out, relative(src, p));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(p, target);
      copied++;
    }
  }
})(src);
console.log(`copied ${copied} asset file(s) into dist/src`);
