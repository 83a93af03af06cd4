import { tokenize } from './tokenize.ts';

/**
 * What makes two keywords the same: their stems, so "Retries" and "retry" or "circuit breakers" and
 * "circuit breaker" count once. Keywords made only of stop words fall back to their lower-case text.
 */
export function keywordKey(keyword: string): string {
  const stems = tokenize(keyword);
  return stems.length > 0 ? stems.join(' ') : keyword.trim().toLowerCase();
}
