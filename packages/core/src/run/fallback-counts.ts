import type { ProviderFallbackCount } from './run-record.ts';

/**
 * Adds `count` calls that `from` failed with `code` and passed to `to` into `counts` (one entry per from, to
 * and code), keeping the order in which each combination first happened.
 */
export function addFallbackCount(counts: ProviderFallbackCount[], from: string, to: string, code: string, count = 1): void {
  const entry = counts.find((c) => c.from === from && c.to === to && c.code === code);
  if (entry) entry.count += count;
  else counts.push({ from, to, code, count });
}
