/**
 * Optimal string alignment distance (Damerau-Levenshtein where a transposition of two neighbouring
 * characters costs 1): `retires` is one edit from `retries`, which plain Levenshtein counts as two.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  // Three rolling rows are enough: the transposition looks two rows back.
  let prev2 = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  let cur = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, prev2[j - 2]! + 1);
      }
      cur[j] = best;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most a third of the
 * word's length in edits (at least 1, at most 3; none for words under 3 characters, where any other short
 * name is "close"), or the same word in another case or separator style (`maxParallel` for
 * `max_parallel`). Ties go to the candidate listed first.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const normalized = normalize(word);
  const budget = word.length < 3 ? 0 : Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (normalize(candidate) === normalized) return candidate;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance > 0 && distance <= budget && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean \`x\`?` or undefined, ready to be a Diagnostic hint. */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(word, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

function normalize(name: string): string {
  return name.replace(/[-_.\s]/g, '').toLowerCase();
}
