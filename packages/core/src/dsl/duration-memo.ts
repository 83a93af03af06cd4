import { tryParseDuration } from './duration.ts';

/**
 * {@link tryParseDuration} remembered for the texts already seen. A workflow repeats a few duration texts
 * (`estimate: 30s`, `timeout: 2m`) over thousands of steps, which the checks and the compiler each read:
 * the memo makes that one map lookup per step instead of a regular-expression parse. Bounded: once it holds
 * {@link DURATION_MEMO_SIZE} texts, other texts are parsed each time.
 */
export function memoizedDuration(text: string): number | undefined {
  let ms = memo.get(text);
  if (ms === undefined && !memo.has(text)) {
    ms = tryParseDuration(text);
    if (memo.size < DURATION_MEMO_SIZE) memo.set(text, ms);
  }
  return ms;
}

const memo = new Map<string, number | undefined>();
export const DURATION_MEMO_SIZE = 1_000;
