import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, tryParseDuration } from './duration.ts';
import { isUcopError } from '../errors/ucop-error.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s500ms', 90_500],
    ['0s', 0],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '1.5s', '30 s', ' 30s', '30S', '1d', '30m1h', '1s1s', 'ms', '-1s', '1h 30m', '30sec'])('refuses %j with BAD_DURATION', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    try {
      parseDuration(text);
      expect.unreachable();
    } catch (error) {
      expect(isUcopError(error) && error.code).toBe('BAD_DURATION');
      expect((error as Error).message).toBe(
        `\`${text}\` is not a duration: write an integer and a unit (h, m, s, ms) such as \`250ms\`, \`30s\`, \`2m\`, \`1h30m\``,
      );
    }
  });

  it('formats back to the shortest equivalent string', () => {
    for (const ms of [0, 250, 30_000, 90_500, 5_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });
});
