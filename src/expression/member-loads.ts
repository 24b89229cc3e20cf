// Member reads compiled by the expression compiler, spread over 64 textually distinct load sites. One `o[k]`
// read with many keys is a megamorphic lookup each time; a site that sees one key and one object shape keeps
// a monomorphic inline cache (the same idea as src/decision/site-loads.ts, with a pool of its own so that
// member reads and rule-set batches never share a site). The cases are identical on purpose; do not merge them.

export const MEMBER_SITES = 64;

let nextSite = 0;

/** A load site for a new member read (round robin: with more reads than sites, some sites are shared). */
export function takeMemberSite(): number {
  const s = nextSite;
  nextSite = (nextSite + 1) % MEMBER_SITES;
  return s;
}

/** `o[k]` read at load site `site`. */
export function memberLoadAt(site: number, o: Record<string, unknown>, k: string): unknown {
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
