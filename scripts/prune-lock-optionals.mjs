#!/usr/bin/env node
// The npm registry this project is built from serves only the linux-x64 builds of some native packages
// (@gorules/zen-engine's darwin/arm/windows builds answer 404), so `npm install` cannot record them in
// package-lock.json, yet still lists them as the parent's optionalDependencies — and `npm ci` then refuses
// the lock as out of sync. Drop optional dependencies that have no entry in the lock. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const removed = [];
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!lock.packages[`node_modules/${dep}`] && !lock.packages[`${key}/node_modules/${dep}`]) {
      delete entry.optionalDependencies[dep];
      removed.push(`${key || '(root)'} → ${dep}`);
    }
  }
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(removed.length ? `pruned ${removed.length} unavailable optional dependencies:\n  ${removed.join('\n  ')}` : 'lock already consistent');
