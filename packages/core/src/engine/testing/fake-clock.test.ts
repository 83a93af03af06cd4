import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';

describe('FakeClock.advanceUntil', () => {
  it('wakes sleepers one at a time in time order and stops as soon as the condition holds', async () => {
    const clock = new FakeClock();
    const woke: string[] = [];
    for (const [name, ms] of [['c', 30], ['a', 10], ['b', 10], ['d', 40]] as const) void clock.sleep(ms).then(() => woke.push(name));
    expect(await clock.advanceUntil(() => woke.length === 2)).toBe(10);
    expect(woke).toEqual(['a', 'b']);
    // Nothing left to wake: it returns where time stands instead of spinning.
    expect(await clock.advanceUntil(() => false)).toBe(40);
    expect(woke).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses to run forever', async () => {
    const clock = new FakeClock();
    const again = (): void => void clock.sleep(1).then(again);
    again();
    await expect(clock.advanceUntil(() => false, 50)).rejects.toThrow(/still not done after 50 wake-ups/);
  });
});
