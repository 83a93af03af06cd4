import { describe, it, expect } from 'vitest';
import { DeadlineQueue } from './deadline-queue.ts';
import { FakeClock } from './testing/fake-clock.ts';

describe('DeadlineQueue', () => {
  it('fires deadlines in time order, skips cancelled ones, and keeps one sleep pending', async () => {
    const clock = new FakeClock();
    const queue = new DeadlineQueue(clock);
    const fired: string[] = [];
    queue.add(300, () => fired.push('c@' + clock.now()));
    const b = queue.add(200, () => fired.push('b'));
    queue.add(100, () => fired.push('a@' + clock.now()));
    expect(clock.pending).toBe(1);
    queue.cancel(b);
    await clock.advance(150);
    expect(fired).toEqual(['a@100']);
    await clock.advance(1_000);
    expect(fired).toEqual(['a@100', 'c@300']);
    queue.dispose();
    expect(clock.pending).toBe(0);
  });

  it('lets a callback add a deadline that is already due', async () => {
    const clock = new FakeClock();
    const queue = new DeadlineQueue(clock);
    const fired: number[] = [];
    queue.add(10, () => {
      fired.push(1);
      queue.add(10, () => fired.push(2));
    });
    await clock.advance(10);
    expect(fired).toEqual([1, 2]);
    queue.dispose();
  });

  it('disposes pending deadlines without firing them', async () => {
    const clock = new FakeClock();
    const queue = new DeadlineQueue(clock);
    let fired = false;
    queue.add(10, () => (fired = true));
    queue.dispose();
    await clock.advance(100);
    expect(fired).toBe(false);
  });

  it('fires only the live deadlines after many cancellations, in time order', async () => {
    const clock = new FakeClock();
    const queue = new DeadlineQueue(clock);
    const fired: number[] = [];
    const entries = Array.from({ length: 200 }, (_, i) => queue.add(1_000 - i, () => fired.push(1_000 - i)));
    // Cancel every entry but those whose time is a multiple of 50, in an order unrelated to time.
    for (const [i, entry] of entries.entries()) if ((1_000 - i) % 50 !== 0 && i % 2 === 0) queue.cancel(entry);
    for (const [i, entry] of entries.entries()) if ((1_000 - i) % 50 !== 0 && i % 2 === 1) queue.cancel(entry);
    await clock.advance(2_000);
    expect(fired).toEqual([850, 900, 950, 1_000]);
    queue.dispose();
  });

  it('ignores a cancel of a deadline that already fired or was already cancelled', async () => {
    const clock = new FakeClock();
    const queue = new DeadlineQueue(clock);
    const fired: string[] = [];
    const a = queue.add(10, () => fired.push('a'));
    await clock.advance(10);
    queue.cancel(a);
    const b = queue.add(20, () => fired.push('b'));
    queue.cancel(b);
    queue.cancel(b);
    queue.add(30, () => fired.push('c'));
    await clock.advance(100);
    expect(fired).toEqual(['a', 'c']);
    queue.dispose();
  });
});
