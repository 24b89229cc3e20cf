// Growable typed-array columns: the graph keeps every node and edge attribute in flat arrays indexed by int id,
// so traversals touch no objects and a 1M-edge graph stays a few tens of MiB.
import { seededRandom } from '../core/random.js';

export function growInt32(a: Int32Array, min: number, fill = 0): Int32Array {
  if (a.length >= min) return a;
  const b = new Int32Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growFloat64(a: Float64Array, min: number): Float64Array {
  if (a.length >= min) return a;
  const b = new Float64Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}

export function growUint8(a: Uint8Array, min: number): Uint8Array {
  if (a.length >= min) return a;
  const b = new Uint8Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}

export function growUint16(a: Uint16Array, min: number): Uint16Array {
  if (a.length >= min) return a;
  const b = new Uint16Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}

export { seededRandom };
