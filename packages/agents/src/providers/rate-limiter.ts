import { UcopError, abortReason, systemClock } from '@ucop/core';
import type { Clock } from '@ucop/core';
import { SlidingWindowLog } from './sliding-window-log.ts';
import type { InFlightEntry, SlidingWindowSpec } from './sliding-window-log.ts';

/*
 * Why this is hand-written: a provider is limited at once in requests per minute, requests per day, tokens
 * per minute and concurrent requests, and a caller must be able to give up waiting (step timeout, fail-fast).
 * p-limit and cockatiel's bulkhead only bound concurrency; bottleneck and limiter (npm) keep one
 * request-count reservoir with no token weights, no exact trailing windows and no AbortSignal-aware waits;
 * and none of them lets the adaptive controller change the concurrency while requests are queued. The
 * sliding-window log (sliding-window-log.ts) is small enough to own and to prove with a fake clock.
 */

/** Limits of one provider. Every field is optional: a missing limit is no limit. */
export interface RateLimiterOptions {
  /** Name used in errors and snapshots. */
  name: string;
  /** Trailing windows: requests per window, tokens per window, requests per day, ... */
  windows?: readonly SlidingWindowSpec[];
  /**
   * Concurrent requests allowed; `setConcurrency` changes it later (adaptive concurrency).
   * @default Infinity
   */
  concurrency?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** What one request will cost. */
export interface RateLimitCost {
  /** Estimated tokens (prompt plus expected answer); corrected on release. @default 0 */
  tokens?: number;
}

/** The right to send one request. Release it exactly once when the request is over. */
export interface RateLimitPermit {
  /** ms spent waiting for the permit. */
  readonly waitedMs: number;
  /**
   * The request is over (answered or failed after being sent): frees the concurrency slot, and the request
   * keeps counting in every window for one window from now. `tokens` replaces the estimate in the token
   * windows with what the request really used.
   */
  release(actual?: { tokens?: number }): void;
  /** Frees the slot and takes the request out of every window: for a request that was never sent. */
  cancel(): void;
}

/** A moment's view of a limiter, for logs and the run record. */
export interface RateLimiterSnapshot {
  name: string;
  active: number;
  queued: number;
  concurrency: number;
  windows: { name: string; used: number; limit: number; windowMs: number }[];
}

interface Waiter {
  tokens: number;
  enqueuedAt: number;
  resolve(permit: RateLimitPermit): void;
  reject(error: unknown): void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * Per-provider admission control: waits until every window has room and a concurrency slot is free, in
 * strict arrival order (FIFO: a large request at the head is not overtaken by small ones, so it cannot
 * starve). Never lets any window exceed its limit.
 */
export class RateLimiter {
  readonly name: string;
  readonly #clock: Clock;
  readonly #windows: SlidingWindowLog[];
  readonly #queue: Waiter[] = [];
  #concurrency: number;
  #active = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #timer: { at: number; controller: AbortController } | undefined;

  constructor(options: RateLimiterOptions) {
    this.name = options.name;
    this.#clock = options.clock ?? systemClock;
    this.#windows = (options.windows ?? []).map((spec) => {
      if (!(spec.limit > 0) || !(spec.windowMs > 0)) {
        throw new UcopError('CONFIG_INVALID', `${options.name}: limit ${spec.name} needs a positive limit and window`, {
          fields: { provider: options.name, window: spec.name, limit: spec.limit, windowMs: spec.windowMs },
        });
      }
      return new SlidingWindowLog(spec);
    });
    this.#concurrency = checkConcurrency(options.name, options.concurrency ?? Number.POSITIVE_INFINITY);
  }

  /** Current concurrency limit. */
  get concurrency(): number {
    return this.#concurrency;
  }

  /**
   * Waits until the request fits every limit, then grants it.
   * @throws the signal's reason when it aborts while waiting (the request leaves the queue).
   * @throws UcopError PROVIDER_QUOTA_EXHAUSTED when a fail-when-full window (per day) is full, or when the
   *   request alone is larger than a window's limit.
   */
  acquire(cost: RateLimitCost, signal: AbortSignal): Promise<RateLimitPermit> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const tokens = Math.max(0, Math.ceil(cost.tokens ?? 0));
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const waiter: Waiter = {
        tokens,
        enqueuedAt: this.#clock.now(),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(abortReason(signal));
          // The head may have changed: whoever is behind might fit now.
          this.#pump();
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Changes the concurrency limit (adaptive concurrency). Lowering it never interrupts running requests. */
  setConcurrency(concurrency: number): void {
    this.#concurrency = checkConcurrency(this.name, concurrency);
    this.#pump();
  }

  /** Grants nothing before `untilMs` (clock time): a 429 with Retry-After applies to every caller. */
  pauseUntil(untilMs: number): void {
    if (untilMs <= this.#pausedUntil) return;
    this.#pausedUntil = untilMs;
    this.#pump();
  }

  snapshot(): RateLimiterSnapshot {
    const now = this.#clock.now();
    return {
      name: this.name,
      active: this.#active,
      queued: this.#queue.length,
      concurrency: this.#concurrency,
      windows: this.#windows.map((w) => ({ name: w.spec.name, used: w.used(now), limit: w.spec.limit, windowMs: w.spec.windowMs })),
    };
  }

  // The one place grants happen: called on every event that can make room (enqueue, release, abort, timer,
  // limit change). Grants the head while it fits; otherwise arms one timer for when it will.
  #pump(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const now = this.#clock.now();
      const refusal = this.#refusal(head.tokens, now);
      if (refusal) {
        this.#queue.shift();
        head.signal.removeEventListener('abort', head.onAbort);
        head.reject(refusal);
        continue;
      }
      if (this.#active >= this.#concurrency) return;
      let readyAt = Math.max(now, this.#pausedUntil);
      for (const window of this.#windows) {
        readyAt = Math.max(readyAt, window.readyAt(window.costOf(head.tokens), now));
      }
      if (readyAt > now) {
        // Infinity: only a request completing can make room, and completing calls #pump.
        if (Number.isFinite(readyAt)) this.#armTimer(readyAt);
        else this.#disarmTimer();
        return;
      }
      this.#queue.shift();
      head.signal.removeEventListener('abort', head.onAbort);
      head.resolve(this.#grant(head, now));
    }
    this.#disarmTimer();
  }

  #refusal(tokens: number, now: number): UcopError | undefined {
    for (const window of this.#windows) {
      const amount = window.costOf(tokens);
      if (amount > window.spec.limit) {
        return new UcopError(
          'PROVIDER_QUOTA_EXHAUSTED',
          `${this.name}: a request of ${amount} ${window.spec.measure} can never fit ${window.spec.name} = ${window.spec.limit}; raise the limit or lower the request's maxTokens`,
          { fields: { provider: this.name, window: window.spec.name, limit: window.spec.limit, requested: amount }, retryable: false },
        );
      }
      if (window.spec.failWhenFull) {
        const readyAt = window.readyAt(amount, now);
        if (readyAt > now) {
          // Infinity: the quota is held by requests still in flight; it frees a window after they end.
          const waitMs = Math.ceil(Number.isFinite(readyAt) ? readyAt - now : window.spec.windowMs);
          return new UcopError(
            'PROVIDER_QUOTA_EXHAUSTED',
            `${this.name}: ${window.spec.name} quota of ${window.spec.limit} is used up; it frees up in about ${waitMs} ms`,
            { fields: { provider: this.name, window: window.spec.name, limit: window.spec.limit, retryAfterMs: waitMs }, retryable: true },
          );
        }
      }
    }
    return undefined;
  }

  #grant(waiter: Waiter, now: number): RateLimitPermit {
    this.#active++;
    const entries: [SlidingWindowLog, InFlightEntry][] = this.#windows.map((w) => [w, w.begin(w.costOf(waiter.tokens))]);
    let open = true;
    const finish = (update: (window: SlidingWindowLog, entry: InFlightEntry, at: number) => void): void => {
      if (!open) return;
      open = false;
      this.#active--;
      const at = this.#clock.now();
      for (const [window, entry] of entries) update(window, entry, at);
      this.#pump();
    };
    return {
      waitedMs: now - waiter.enqueuedAt,
      release: (actual) => {
        finish((window, entry, at) => {
          const real = window.spec.measure === 'tokens' && actual?.tokens !== undefined ? Math.max(0, actual.tokens) : entry.amount;
          window.complete(entry, at, real);
        });
      },
      cancel: () => {
        finish((window, entry) => window.cancel(entry));
      },
    };
  }

  #armTimer(at: number): void {
    if (this.#timer && this.#timer.at <= at) return;
    this.#disarmTimer();
    const controller = new AbortController();
    this.#timer = { at, controller };
    this.#clock.sleep(at - this.#clock.now(), controller.signal).then(
      () => {
        if (this.#timer?.controller === controller) this.#timer = undefined;
        this.#pump();
      },
      () => {
        // Disarmed: a newer timer or an empty queue replaced it.
      },
    );
  }

  #disarmTimer(): void {
    this.#timer?.controller.abort();
    this.#timer = undefined;
  }
}

function checkConcurrency(name: string, value: number): number {
  if (!(value >= 1)) {
    throw new UcopError('CONFIG_INVALID', `${name}: concurrency must be at least 1, got ${value}`, { fields: { provider: name, concurrency: value } });
  }
  return value;
}
