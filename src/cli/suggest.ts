// "Did you mean …?" for a mistyped command or option: the nearest known word within a small edit distance, as git and kubectl suggest.

/**
 * Edits between `a` and `b` (insertions, deletions, substitutions and swaps of neighbours: the
 * optimal-string-alignment distance), or `limit + 1` as soon as it is certain to exceed `limit`,
 * so a long argument costs no more than a few rows.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length]!, limit + 1);
}

/**
 * The known word `word` was most likely meant to be: the nearest within 1 edit for words of up to 4
 * letters and 2 for longer ones (more would suggest unrelated words), else the only one it begins or
 * that begins it (`--cap` → `--capacity`, `evaluate` → `eval`). Ties go to the earlier candidate;
 * undefined when none is close.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const bare = word.replace(/^-+/, '').toLowerCase();
  if (bare === '') return undefined;
  const limit = bare.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(bare, candidate.replace(/^-+/, '').toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  const prefixed = candidates.filter((c) => {
    const known = c.replace(/^-+/, '').toLowerCase();
    return (bare.length >= 2 && known.startsWith(bare)) || (known.length >= 3 && bare.startsWith(known));
  });
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** ` (did you mean X?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = suggest(word, candidates);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}
