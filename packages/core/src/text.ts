/**
 * "Did you mean …?": the edit distance and the closest candidate, shared by every message that
 * suggests a name (state paths, config fields and modules, CLI commands).
 *
 * @module
 */

/** Levenshtein distance between `a` and `b` (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/** Options of {@link closestName}. */
export interface ClosestNameOptions {
  /**
   * Largest distance that still counts as close (default: `max(2, ⌊word.length / 3⌋)`, a third of the
   * word, at least two edits).
   */
  readonly maxDistance?: number;
  /** Compare without regard to case (default false). */
  readonly ignoreCase?: boolean;
}

/**
 * The candidate closest to `word` by {@link editDistance} (the first one on ties), or `undefined`
 * when none is within `maxDistance`.
 */
export function closestName(
  word: string,
  candidates: Iterable<string>,
  options: ClosestNameOptions = {},
): string | undefined {
  const limit = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  const w = fold(word);
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, fold(c));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}
