// Interns the key strings of one (tenant, path) — card numbers, device ids, user ids — to small integers, so
// every velocity feature keyed (or counting distinct values) by that path finds its state by index, after one
// lookup per event and path. Ids are recycled once no window holds them (see KeyedWindows).
// Open addressing over typed arrays: a slot holds the key's hash, id and where its characters are in a flat
// character pool. A hit costs the slot and the characters (two cache lines), where a Map<string, number> also
// chases its entry and the stored key string; and the table keeps no string objects alive for the GC to trace.
import { hashString } from './applied-ids.js';

/** Int32 fields per slot: hash, id + 1 (0: empty), character offset, length. */
const SLOT = 4;

export class KeyTable {
  private slots: Int32Array = new Int32Array(64 * SLOT);
  private mask = 63;
  private chars: Uint16Array = new Uint16Array(1024);
  private charTop = 0;
  /** Free character ranges by log2 of their size. */
  private readonly freeChars: number[][] = [];
  /** Per id: hash, character offset and length (-1 when the id is free). */
  private hashes: Int32Array = new Int32Array(16);
  private offs: Int32Array = new Int32Array(16);
  private lens: Int32Array = new Int32Array(16);
  /** id → entries of distinct windows that hold this id as their value (the id stays while any does). */
  refs: Int32Array = new Int32Array(16);
  private readonly freeIds: number[] = [];
  private next = 0;
  size = 0;

  /** The id of `key`, or -1 when it has none. */
  find(key: string): number {
    const h = hashString(key);
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = i * SLOT;
      const id1 = slots[s + 1];
      if (id1 === 0) return -1;
      if (slots[s] === h && slots[s + 3] === key.length && this.same(slots[s + 2], key)) return id1 - 1;
    }
  }

  private same(off: number, key: string): boolean {
    const chars = this.chars;
    for (let j = 0; j < key.length; j++) if (chars[off + j] !== key.charCodeAt(j)) return false;
    return true;
  }

  /** The id of `key`, assigning one (a recycled id first) when it has none. */
  intern(key: string): number {
    const h = hashString(key);
    let slots = this.slots;
    let mask = this.mask;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const s = i * SLOT;
      const id1 = slots[s + 1];
      if (id1 === 0) break;
      if (slots[s] === h && slots[s + 3] === key.length && this.same(slots[s + 2], key)) return id1 - 1;
    }
    if ((this.size + 1) * 2 > mask + 1) {
      this.rehash((mask + 1) * 2);
      slots = this.slots;
      mask = this.mask;
      i = h & mask;
      while (slots[i * SLOT + 1] !== 0) i = (i + 1) & mask;
    }
    const id = this.freeIds.pop() ?? this.newId();
    const off = this.allocChars(key.length);
    const chars = this.chars;
    for (let j = 0; j < key.length; j++) chars[off + j] = key.charCodeAt(j);
    const s = i * SLOT;
    slots[s] = h;
    slots[s + 1] = id + 1;
    slots[s + 2] = off;
    slots[s + 3] = key.length;
    this.hashes[id] = h;
    this.offs[id] = off;
    this.lens[id] = key.length;
    this.size++;
    return id;
  }

  private newId(): number {
    const id = this.next++;
    if (id >= this.refs.length) {
      const n = this.refs.length * 2;
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      this.hashes = grow(this.hashes);
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
      this.refs = grow(this.refs);
    }
    return id;
  }

  private allocChars(len: number): number {
    if (len === 0) return 0;
    const c = 32 - Math.clz32(len - 1);
    const list = this.freeChars[c];
    if (list !== undefined && list.length > 0) return list.pop()!;
    const size = 1 << c;
    if (this.charTop + size > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charTop + size));
      chars.set(this.chars.subarray(0, this.charTop));
      this.chars = chars;
    }
    const off = this.charTop;
    this.charTop += size;
    return off;
  }

  private rehash(capacity: number): void {
    const slots = new Int32Array(capacity * SLOT);
    const mask = capacity - 1;
    for (let id = 0; id < this.next; id++) {
      if (this.lens[id] < 0) continue;
      let i = this.hashes[id] & mask;
      while (slots[i * SLOT + 1] !== 0) i = (i + 1) & mask;
      const s = i * SLOT;
      slots[s] = this.hashes[id];
      slots[s + 1] = id + 1;
      slots[s + 2] = this.offs[id];
      slots[s + 3] = this.lens[id];
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Frees `id`: its slot (backward-shift deletion keeps every probe chain unbroken) and its characters. */
  private remove(id: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = this.hashes[id] & mask;
    while (slots[i * SLOT + 1] !== id + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const sj = j * SLOT;
      if (slots[sj + 1] === 0) break;
      const home = slots[sj] & mask;
      // Slot j may move into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        slots.copyWithin(i * SLOT, sj, sj + SLOT);
        i = j;
      }
    }
    slots.fill(0, i * SLOT, i * SLOT + SLOT);
    const len = this.lens[id];
    if (len > 0) (this.freeChars[32 - Math.clz32(len - 1)] ??= []).push(this.offs[id]);
    this.lens[id] = -1;
    this.freeIds.push(id);
    this.size--;
  }

  /** Ids ever assigned (live or free): the bound of the per-id arrays of the windows using this table. */
  get span(): number {
    return this.next;
  }

  /** The key of a live id (for tests and diagnostics). */
  keyOf(id: number): string | undefined {
    if (id < 0 || id >= this.next || this.lens[id] < 0) return undefined;
    return String.fromCharCode(...this.chars.subarray(this.offs[id], this.offs[id] + this.lens[id]));
  }

  /**
   * Frees every id that `inUse` says no window of its own holds and that no distinct window holds as a value.
   * Returns how many ids remain.
   */
  sweep(inUse: (id: number) => boolean): number {
    for (let id = 0; id < this.next; id++) {
      if (this.lens[id] < 0 || this.refs[id] > 0 || inUse(id)) continue;
      this.remove(id);
    }
    return this.size;
  }
}
