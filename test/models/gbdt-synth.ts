import type { Column } from '../../src/models/data.js';
import { rng } from '../../src/models/split.js';

// y depends on an interaction (a·b), on c only through missingness, and not at all on noise.
export function synth(n: number, seed: number) {
  const r = rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const noise = new Float64Array(n);
  const city: (string | null)[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r() * 2 - 1;
    b[i] = r() * 2 - 1;
    const missing = r() < 0.3;
    c[i] = missing ? NaN : r();
    noise[i] = r();
    const k = Math.floor(r() * 3);
    city.push(['bj', 'sh', 'gz'][k]!);
    const z = 3 * a[i]! * b[i]! + (missing ? 1.5 : -0.5) + (k === 2 ? 1 : 0);
    y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const columns: Column[] = [
    { name: 'a', kind: 'numeric', values: a },
    { name: 'b', kind: 'numeric', values: b },
    { name: 'c', kind: 'numeric', values: c },
    { name: 'noise', kind: 'numeric', values: noise },
    { name: 'city', kind: 'categorical', values: city },
  ];
  return { columns, y };
}
