/**
 * Allowlist matching: user IDs, room IDs and room aliases against entries that are exact
 * values or `*` globs. Case-insensitive. `*` matches any run of characters (including none); every other
 * character is literal, so `.`, `+`, `?`, `(`, `[`, `\`… in an entry mean themselves.
 *
 * Deliberately not a RegExp: a glob such as `@*a*a*a*a*:*` turned into `^.*a.*a.*a.*a.*:.*$` backtracks
 * polynomially (exponent = number of stars) on a hostile sender ID, and this runs for every incoming event.
 * Here a glob is its literal pieces, matched left to right with indexOf: O(value × pattern) at worst, no
 * escaping needed, nothing to get wrong.
 *
 * Case folding is String#toLowerCase on both sides (locale-independent). Matrix IDs are case-sensitive in
 * the spec; folding them is the configuration model's documented choice, and servers refuse to register
 * user IDs that differ only by case.
 */

export interface AllowlistMatcher {
  /** The number of usable entries; 0 is an empty allowlist (which denies under an `allowlist` policy). */
  readonly size: number;
  matches(value: string): boolean;
  /** Whether any of the values matches (a room's ID or any of its aliases). */
  matchesAny(values: Iterable<string>): boolean;
}

interface Glob {
  /** Literal text before the first `*`, after the last `*`, and the non-empty pieces between stars. */
  prefix: string;
  suffix: string;
  middle: string[];
  /** The shortest value that can match (prefix, suffix and every piece, non-overlapping). */
  minLength: number;
}

function fold(value: string): string {
  return value.toLowerCase();
}

function compileGlob(folded: string): Glob {
  const pieces = folded.split('*');
  const prefix = pieces[0] ?? '';
  const suffix = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  const minLength = prefix.length + suffix.length + middle.reduce((sum, piece) => sum + piece.length, 0);
  return { prefix, suffix, middle, minLength };
}

/** Greedy leftmost matching of the middle pieces is exact for `*`-only globs: an earlier match never hurts. */
function globMatches(glob: Glob, folded: string): boolean {
  if (folded.length < glob.minLength) return false;
  if (!folded.startsWith(glob.prefix) || !folded.endsWith(glob.suffix)) return false;
  const end = folded.length - glob.suffix.length;
  let position = glob.prefix.length;
  for (const piece of glob.middle) {
    const at = folded.indexOf(piece, position);
    if (at < 0 || at + piece.length > end) return false;
    position = at + piece.length;
  }
  return true;
}

/**
 * Compiles an allowlist once; the matcher is then cheap per event. Entries are trimmed and blank ones
 * ignored (parseChannelConfig already does both; this keeps hand-built lists safe too).
 */
export function compileAllowlist(entries: readonly string[]): AllowlistMatcher {
  const exact = new Set<string>();
  const globs: Glob[] = [];
  for (const entry of entries) {
    const folded = fold(entry.trim());
    if (folded === '') continue;
    if (folded.includes('*')) globs.push(compileGlob(folded));
    else exact.add(folded);
  }
  const matches = (value: string): boolean => {
    const folded = fold(value);
    return exact.has(folded) || globs.some((glob) => globMatches(glob, folded));
  };
  return {
    size: exact.size + globs.length,
    matches,
    matchesAny(values) {
      for (const value of values) if (matches(value)) return true;
      return false;
    },
  };
}

/** One pattern against one value, for call sites without a list (compiles every time). */
export function matchesPattern(pattern: string, value: string): boolean {
  return compileAllowlist([pattern]).matches(value);
}

interface Cached {
  /** The entries the matcher was built from, to notice a list that was changed in place. */
  entries: readonly string[];
  matcher: AllowlistMatcher;
}

const cache = new WeakMap<readonly string[], Cached>();

/**
 * The compiled matcher for a configuration's allowlist, built once per list and reused while the list is
 * unchanged. Keyed by the array itself (configs are replaced, not edited, so old lists are collected); an
 * array changed in place is noticed by an element-wise identity check (O(entries), no re-compilation).
 */
export function allowlistMatcher(list: readonly string[]): AllowlistMatcher {
  const cached = cache.get(list);
  if (
    cached &&
    cached.entries.length === list.length &&
    cached.entries.every((entry, index) => entry === list[index])
  ) {
    return cached.matcher;
  }
  const matcher = compileAllowlist(list);
  cache.set(list, { entries: [...list], matcher });
  return matcher;
}
