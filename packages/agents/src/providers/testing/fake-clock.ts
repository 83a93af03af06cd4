import { abortReason } from '@ucop/core';
import type { Clock } from '@ucop/core';

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

/** Lets every pending promise callback run (a macrotask turn runs after all queued microtasks). */
export function settle(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A Clock whose time moves only when a test says so. Timers fire in time order (ties in the order they were
 * set) and promise callbacks settle between two timers, so code under test sees the same interleaving as
 * with real time, deterministically.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `target`, firing every timer due on the way. */
  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.#nextTimer();
      if (!next || next.at > target) break;
      this.#fire(next);
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }

  /**
   * Fires timers one after the other until `done()` is true or no timer is left; returns the time reached.
   * @throws when more than `maxTimers` fire (a test that never ends is a bug in the test).
   */
  async runUntil(done: () => boolean, maxTimers = 1_000_000): Promise<number> {
    await settle();
    for (let fired = 0; !done(); fired++) {
      const next = this.#nextTimer();
      if (!next) break;
      if (fired >= maxTimers) throw new Error(`FakeClock.runUntil: still not done after ${maxTimers} timers`);
      this.#fire(next);
      await settle();
    }
    return this.#now;
  }

  #nextTimer(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  #fire(timer: Timer): void {
    this.#timers = this.#timers.filter((t) => t !== timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.resolve();
  }
}
