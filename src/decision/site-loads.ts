// Property reads and writes by name from many sites. Reading dozens of different keys through one `o[k]` makes that
// site's inline cache megamorphic: every read becomes a generic lookup (several times slower than a cached
// one). Expressions of a batch are spread over 64 textually distinct sites instead, so each site typically sees
// one object shape and one key and stays monomorphic. The cases are identical on purpose; do not merge them.

/** Number of distinct load sites. */
export const LOAD_SITES = 64;

let nextSite = 0;

/** A load site for a new reader (round robin: with more readers than sites, some sites are shared). */
export function takeSite(): number {
  const s = nextSite;
  nextSite = (nextSite + 1) % LOAD_SITES;
  return s;
}

/** `o[k]` read at load site `site`. */
export function loadAt(site: number, o: Record<string, unknown>, k: string): unknown {
  switch (site) {
    case 0:
      return o[k];
    case 1:
      return o[k];
    case 2:
      return o[k];
    case 3:
      return o[k];
    case 4:
      return o[k];
    case 5:
      return o[k];
    case 6:
      return o[k];
    case 7:
      return o[k];
    case 8:
      return o[k];
    case 9:
      return o[k];
    case 10:
      return o[k];
    case 11:
      return o[k];
    case 12:
      return o[k];
    case 13:
      return o[k];
    case 14:
      return o[k];
    case 15:
      return o[k];
    case 16:
      return o[k];
    case 17:
      return o[k];
    case 18:
      return o[k];
    case 19:
      return o[k];
    case 20:
      return o[k];
    case 21:
      return o[k];
    case 22:
      return o[k];
    case 23:
      return o[k];
    case 24:
      return o[k];
    case 25:
      return o[k];
    case 26:
      return o[k];
    case 27:
      return o[k];
    case 28:
      return o[k];
    case 29:
      return o[k];
    case 30:
      return o[k];
    case 31:
      return o[k];
    case 32:
      return o[k];
    case 33:
      return o[k];
    case 34:
      return o[k];
    case 35:
      return o[k];
    case 36:
      return o[k];
    case 37:
      return o[k];
    case 38:
      return o[k];
    case 39:
      return o[k];
    case 40:
      return o[k];
    case 41:
      return o[k];
    case 42:
      return o[k];
    case 43:
      return o[k];
    case 44:
      return o[k];
    case 45:
      return o[k];
    case 46:
      return o[k];
    case 47:
      return o[k];
    case 48:
      return o[k];
    case 49:
      return o[k];
    case 50:
      return o[k];
    case 51:
      return o[k];
    case 52:
      return o[k];
    case 53:
      return o[k];
    case 54:
      return o[k];
    case 55:
      return o[k];
    case 56:
      return o[k];
    case 57:
      return o[k];
    case 58:
      return o[k];
    case 59:
      return o[k];
    case 60:
      return o[k];
    case 61:
      return o[k];
    case 62:
      return o[k];
    case 63:
      return o[k];
    default:
      return o[k];
  }
}

let nextStoreSite = 0;

/** A store site for a new writer (round robin, as takeSite). */
export function takeStoreSite(): number {
  const s = nextStoreSite;
  nextStoreSite = (nextStoreSite + 1) % LOAD_SITES;
  return s;
}

/**
 * `o[k] = v` at store site `site`: a site that keeps adding the same key to objects of the same shape caches
 * the transition. `k` must not be "__proto__" (callers only pass checked output paths).
 */
export function storeAt(site: number, o: Record<string, unknown>, k: string, v: unknown): void {
  switch (site) {
    case 0:
      o[k] = v;
      return;
    case 1:
      o[k] = v;
      return;
    case 2:
      o[k] = v;
      return;
    case 3:
      o[k] = v;
      return;
    case 4:
      o[k] = v;
      return;
    case 5:
      o[k] = v;
      return;
    case 6:
      o[k] = v;
      return;
    case 7:
      o[k] = v;
      return;
    case 8:
      o[k] = v;
      return;
    case 9:
      o[k] = v;
      return;
    case 10:
      o[k] = v;
      return;
    case 11:
      o[k] = v;
      return;
    case 12:
      o[k] = v;
      return;
    case 13:
      o[k] = v;
      return;
    case 14:
      o[k] = v;
      return;
    case 15:
      o[k] = v;
      return;
    case 16:
      o[k] = v;
      return;
    case 17:
      o[k] = v;
      return;
    case 18:
      o[k] = v;
      return;
    case 19:
      o[k] = v;
      return;
    case 20:
      o[k] = v;
      return;
    case 21:
      o[k] = v;
      return;
    case 22:
      o[k] = v;
      return;
    case 23:
      o[k] = v;
      return;
    case 24:
      o[k] = v;
      return;
    case 25:
      o[k] = v;
      return;
    case 26:
      o[k] = v;
      return;
    case 27:
      o[k] = v;
      return;
    case 28:
      o[k] = v;
      return;
    case 29:
      o[k] = v;
      return;
    case 30:
      o[k] = v;
      return;
    case 31:
      o[k] = v;
      return;
    case 32:
      o[k] = v;
      return;
    case 33:
      o[k] = v;
      return;
    case 34:
      o[k] = v;
      return;
    case 35:
      o[k] = v;
      return;
    case 36:
      o[k] = v;
      return;
    case 37:
      o[k] = v;
      return;
    case 38:
      o[k] = v;
      return;
    case 39:
      o[k] = v;
      return;
    case 40:
      o[k] = v;
      return;
    case 41:
      o[k] = v;
      return;
    case 42:
      o[k] = v;
      return;
    case 43:
      o[k] = v;
      return;
    case 44:
      o[k] = v;
      return;
    case 45:
      o[k] = v;
      return;
    case 46:
      o[k] = v;
      return;
    case 47:
      o[k] = v;
      return;
    case 48:
      o[k] = v;
      return;
    case 49:
      o[k] = v;
      return;
    case 50:
      o[k] = v;
      return;
    case 51:
      o[k] = v;
      return;
    case 52:
      o[k] = v;
      return;
    case 53:
      o[k] = v;
      return;
    case 54:
      o[k] = v;
      return;
    case 55:
      o[k] = v;
      return;
    case 56:
      o[k] = v;
      return;
    case 57:
      o[k] = v;
      return;
    case 58:
      o[k] = v;
      return;
    case 59:
      o[k] = v;
      return;
    case 60:
      o[k] = v;
      return;
    case 61:
      o[k] = v;
      return;
    case 62:
      o[k] = v;
      return;
    case 63:
      o[k] = v;
      return;
    default:
      o[k] = v;
  }
}
