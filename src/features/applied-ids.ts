// The event ids the memory store has applied (idempotency), forgotten oldest first past a time horizon or a cap.
// An open-addressing hash table over typed arrays, indexing a ring of (id, time, hash) in arrival order: a new id
// costs one probe into a flat array instead of the several pointer hops of a Set of millions of strings, and
// eviction needs no second structure. The hash is seeded per process, so ids cannot be chosen to collide.

const SEED = (Math.random() * 0x100000000) >>> 0;

/** FNV-1a over the UTF-16 code units, seeded, with a final avalanche (murmur3's fmix32). */
export function hashString(s: string): number {
  let h = (0x811c9dc5 ^ SEED) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export class AppliedIds {
  /** Ring of applied ids in arrival order, one slot always free; `at` their event times, `hashes` their hashes. */
  private ids: string[];
  private at: Float64Array;
  private hashes: Int32Array;
  private head = 0;
  private tail = 0;
  /** Hash slots: ring index + 1, 0 when empty; twice the ring's size, so at most half full. */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(initial = 1024) {
    this.ids = new Array<string>(initial).fill('');
    this.at = new Float64Array(initial);
    this.hashes = new Int32Array(initial);
    this.slots = new Int32Array(initial * 2);
    this.mask = initial * 2 - 1;
  }

  /** Records `id` (event time `t`); false when it is already there. */
  add(id: string, t: number): boolean {
    const h = hashString(id);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (let s = slots[i]; s !== 0; s = slots[i]) {
      if (this.hashes[s - 1] === h && this.ids[s - 1] === id) return false;
      i = (i + 1) & mask;
    }
    const cap = this.at.length;
    const next = this.tail + 1 === cap ? 0 : this.tail + 1;
    if (next === this.head) {
      this.grow();
      return this.add(id, t);
    }
    const r = this.tail;
    this.ids[r] = id;
    this.at[r] = t;
    this.hashes[r] = h;
    slots[i] = r + 1;
    this.tail = next;
    this.size++;
    return true;
  }

  /** Forgets the oldest ids while they are at or before `cut` (event time) or more than `max` are kept. */
  evict(cut: number, max: number): void {
    while (this.head !== this.tail && (this.at[this.head] <= cut || this.size > max)) {
      const r = this.head;
      this.unlink(r);
      this.ids[r] = '';
      this.head = r + 1 === this.at.length ? 0 : r + 1;
      this.size--;
    }
  }

  /** Removes ring entry `r` from the hash slots (backward-shift deletion keeps every probe chain unbroken). */
  private unlink(r: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = this.hashes[r] & mask;
    while (slots[i] !== r + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = slots[j];
      if (s === 0) break;
      const home = this.hashes[s - 1] & mask;
      // Entry j may move into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        slots[i] = s;
        i = j;
      }
    }
    slots[i] = 0;
  }

  /** Doubles the ring (unrolled oldest first) and rebuilds the slots from the stored hashes. */
  private grow(): void {
    const cap = this.at.length;
    const ids = new Array<string>(cap * 2).fill('');
    const at = new Float64Array(cap * 2);
    const hashes = new Int32Array(cap * 2);
    let n = 0;
    for (let r = this.head; r !== this.tail; r = r + 1 === cap ? 0 : r + 1) {
      ids[n] = this.ids[r];
      at[n] = this.at[r];
      hashes[n++] = this.hashes[r];
    }
    this.ids = ids;
    this.at = at;
    this.hashes = hashes;
    this.head = 0;
    this.tail = n;
    this.slots = new Int32Array(cap * 4);
    this.mask = cap * 4 - 1;
    for (let r = 0; r < n; r++) {
      let i = hashes[r] & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = r + 1;
    }
  }

  clear(): void {
    const initial = 1024;
    this.ids = new Array<string>(initial).fill('');
    this.at = new Float64Array(initial);
    this.hashes = new Int32Array(initial);
    this.slots = new Int32Array(initial * 2);
    this.mask = initial * 2 - 1;
    this.head = this.tail = this.size = 0;
  }
}
