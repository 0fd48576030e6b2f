/**
 * "Did you mean": the candidates closest to a mistyped word, by edit distance (insert, delete,
 * substitute, or swap two neighbours: `haed` is one edit from `head`). Pure.
 */

/** Optimal-string-alignment distance between `a` and `b` (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidates nearest to `word` (at most 3, in the order given), or none when every one is too
 * far: at most 1 edit for words of up to 4 characters, 2 up to 8, 3 beyond. `ids` (revision
 * ids, which users abbreviate) are also compared by their prefix of the word's length, so a
 * mistyped id prefix (`aaac0` for `aaab00000002`) finds its revision.
 *
 * @example
 * ```ts
 * closestMatches('haed', ['head', 'heads', 'base']) // ['head']
 * closestMatches('zzzz', ['head', 'heads', 'base']) // []
 * closestMatches('aaac0', [], ['aaab00000002']) // ['aaab00000002']
 * ```
 */
export function closestMatches(word: string, words: readonly string[], ids: readonly string[] = []): string[] {
  if (word === '') return [];
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  // Ties go to a whole-word match over a prefix match: "crat" means "cart" more than "cart1".
  let best = Infinity;
  let found: string[] = [];
  const prefixed = new Set(ids);
  for (const c of new Set([...words, ...ids])) {
    const whole = editDistance(word, c);
    const prefix = prefixed.has(c) && c.length > word.length && word.length >= 4 ? editDistance(word, c.slice(0, word.length)) : Infinity;
    const d = Math.min(whole, prefix);
    if (d > limit) continue;
    const rank = d * 2 + (whole <= prefix ? 0 : 1);
    if (rank > best) continue;
    if (rank < best) found = [];
    best = rank;
    found.push(c);
  }
  return found.slice(0, 3);
}
