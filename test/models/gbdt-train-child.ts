// Trains the synthetic data set and prints the trees as JSON: run by gbdt-js-kernel.test.ts in a process
// started with --noexpose-wasm, to train through the JavaScript kernel fallback.
import { trainGbdt } from '../../src/models/gbdt/train.js';
import { synth } from './gbdt-synth.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof trainGbdt>[1];
const model = trainGbdt(synth(14000, 8), opts);
process.stdout.write(JSON.stringify({ wasm: typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'undefined', trees: model.trees, baseMargin: model.baseMargin }));
