// Hard limits that keep a hostile or mistaken expression from exhausting the stack, memory or CPU.

/** Longest accepted source text (characters). */
export const MAX_SOURCE_LENGTH = 256 * 1024;
/** Deepest accepted syntax nesting (parentheses, unary chains, operator chains). */
export const MAX_NESTING = 256;
/** Most elements a range like [1..n] may produce when iterated or materialised. */
export const MAX_RANGE_LENGTH = 1_000_000;
/** Most closure-body evaluations (map/filter/…) in one evaluation, across all closures. */
export const MAX_CLOSURE_ITERATIONS = 10_000_000;
/** Deepest data structure walked by equality, merge and copy. */
export const MAX_DATA_DEPTH = 512;
/** Longest string a regular expression may run on. */
export const MAX_REGEX_INPUT = 1_000_000;
/** Longest regular expression pattern. */
export const MAX_REGEX_PATTERN = 1000;
/** Largest product of string lengths fuzzyMatch (Levenshtein, O(n·m)) will compute. */
export const MAX_FUZZY_CELLS = 10_000_000;
/** Compiled expressions kept per mode in the source-keyed cache. */
export const CACHE_SIZE = 10_000;
/** Total source characters kept in each cache. */
export const CACHE_MAX_CHARS = 16 * 1024 * 1024;
/** Sources longer than this are compiled but not cached. */
export const CACHE_MAX_SOURCE = 64 * 1024;
