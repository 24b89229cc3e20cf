// Disjoint sets over int ids with union by size and path halving; also counts subjects per set, which is the
// "connected group size" feature, answered in near-constant time.
import { growInt32 } from './pools.js';

export class UnionFind {
  parent: Int32Array = new Int32Array(0);
  size: Int32Array = new Int32Array(0);
  /** Subjects (not attribute nodes) in the set, valid at the root. */
  subjects: Int32Array = new Int32Array(0);
  n = 0;

  /** Makes sure ids [0, n) exist as singletons; `isSubject(i)` seeds the subject counts. */
  ensure(n: number, isSubject: (i: number) => boolean): void {
    if (n <= this.n) return;
    this.parent = growInt32(this.parent, n);
    this.size = growInt32(this.size, n);
    this.subjects = growInt32(this.subjects, n);
    for (let i = this.n; i < n; i++) {
      this.parent[i] = i;
      this.size[i] = 1;
      this.subjects[i] = isSubject(i) ? 1 : 0;
    }
    this.n = n;
  }

  reset(isSubject: (i: number) => boolean): void {
    for (let i = 0; i < this.n; i++) {
      this.parent[i] = i;
      this.size[i] = 1;
      this.subjects[i] = isSubject(i) ? 1 : 0;
    }
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size[ra] < this.size[rb]) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    this.subjects[ra] += this.subjects[rb];
    return ra;
  }
}
