import { tokenize } from './tokenize.ts';

/**
 * What makes two keywords the same: their stems, so "Retries" and "retry" or "circuit breakers" and
 * "circuit breaker" count once. Keywords made only of stop words fall back to their lower-case text.
 */
export function keywordKey(keyword: string): string {
  const stems = tokenize(keyword);
  return stems.length > 0 ? stems.join(' ') : keyword.trim().toLowerCase();
}

/** The first `max` keywords of `list` that are not the same keyword (see {@link keywordKey}) as an earlier one, as written. */
export function uniqueKeywords(list: Iterable<string>, max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const keyword of list) {
    if (out.length >= max) break;
    const key = keywordKey(keyword);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(keyword);
  }
  return out;
}
