import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trainGbdt } from '../../src/models/gbdt/train.js';
import { synth } from './gbdt-synth.js';

const child = fileURLToPath(new URL('./gbdt-train-child.ts', import.meta.url));

// Without WebAssembly (a locked-down runtime) training falls back to the generated JavaScript kernel; it
// must give the very same model, with the helper thread too.
test('without WebAssembly, training uses the JavaScript kernel and gives the same model', () => {
  const runs = [
    { nEstimators: 20, threads: 2 },
    { nEstimators: 8, growth: 'leafwise', maxDepth: 0, maxLeaves: 20, colsampleByTree: 0.6, threads: 2 },
  ] as const;
  for (const opts of runs) {
    const out = execFileSync(process.execPath, ['--noexpose-wasm', '--import', 'tsx', child, JSON.stringify(opts)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const js = JSON.parse(out) as { wasm: boolean; trees: unknown; baseMargin: number };
    assert.equal(js.wasm, false, 'the child ran without WebAssembly');
    const here = trainGbdt(synth(14000, 8), opts);
    assert.deepEqual(js.trees, JSON.parse(JSON.stringify(here.trees)));
    assert.equal(js.baseMargin, here.baseMargin);
  }
});
