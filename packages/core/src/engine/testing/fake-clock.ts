import { abortReason, type Clock } from '../clock.ts';

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Whether file-system requests are in flight (Node lists them among the active resources). */
function ioPending(): boolean {
  return process.getActiveResourcesInfo().some((name) => name.startsWith('FSReq') || name.startsWith('FileHandle'));
}

/** Lets every pending promise callback run (a few macrotask turns, so chains of awaits settle). */
export async function flushMicrotasks(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to, for deterministic timing tests of the engines: `advance(ms)` wakes
 * the sleepers in time order and lets the code they resume run before moving on.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const run = runWorkflow(plan, { agents, clock, inputs: {} });
 * await clock.advance(1_000);
 * ```
 */
export class FakeClock implements Clock {
  #now = 0;
  #seq = 0;
  readonly #sleepers = new Set<Sleeper>();

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers.delete(sleeper);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }

  /** How many sleeps are pending. */
  get pending(): number {
    return this.#sleepers.size;
  }

  /** Moves time forward by `ms`, waking sleepers in order and letting the woken code run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      await this.#wake(next);
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /**
   * Wakes sleepers one at a time, in time order, until `done()` is true or nothing sleeps, and returns the
   * time reached. For code that waits only on this clock (no real I/O; see {@link runUntil} otherwise).
   * @throws when more than `maxWakes` sleepers wake: a test that never ends is a bug in the test.
   */
  async advanceUntil(done: () => boolean, maxWakes = 1_000_000): Promise<number> {
    await flushMicrotasks();
    for (let woken = 0; !done(); woken++) {
      const next = this.#earliest();
      if (!next) break;
      if (woken >= maxWakes) throw new Error(`FakeClock.advanceUntil: still not done after ${maxWakes} wake-ups`);
      await this.#wake(next);
    }
    return this.#now;
  }

  /**
   * Advances until `done` settles, jumping from sleeper to sleeper (at most `limitMs` of fake time). While
   * file-system requests are in flight, or when nothing sleeps (the code waits for real I/O), it waits a
   * real millisecond and looks again instead of moving time.
   */
  async runUntil<T>(done: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    void done.then(
      () => (settled = true),
      () => (settled = true),
    );
    const end = this.#now + limitMs;
    await flushMicrotasks();
    let idle = 0;
    while (!settled) {
      const next = this.#earliest();
      // Time must not jump while real I/O (file writes of the run) is in flight: its completion would
      // come "after" timers it actually precedes.
      if (next && next.at <= end && !ioPending()) {
        idle = 0;
        await this.advance(next.at - this.#now);
      } else {
        if (idle++ > 10_000) throw new Error('FakeClock.runUntil: nothing is sleeping and the promise does not settle');
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      }
    }
    return done;
  }

  async #wake(sleeper: Sleeper): Promise<void> {
    this.#now = Math.max(this.#now, sleeper.at);
    this.#sleepers.delete(sleeper);
    sleeper.resolve();
    await flushMicrotasks();
  }

  #earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s;
    }
    return best;
  }
}
