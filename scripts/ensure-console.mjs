#!/usr/bin/env node
// `npm start` serves the console from web/dist: build it once on a fresh checkout (about a minute),
// and skip when it is already built and newer than its sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'web', 'dist', 'index.html');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(join(root, 'web', 'package.json'))) process.exit(0);
if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(root, 'web', 'src'))) process.exit(0);
console.log('Building the web console (first start only) / 正在构建控制台（仅首次启动）…');
const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('The console build failed; the API still starts. / 控制台构建失败，API 仍会启动。');
}
