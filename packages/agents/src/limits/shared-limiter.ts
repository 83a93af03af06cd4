import { UcopError, abortReason } from '@ucop/core';
import { epochClock } from './epoch-clock.ts';
import type { Clock, Logger } from '@ucop/core';
import type { RateLimitCost, RateLimitPermit } from '../providers/rate-limiter.ts';
import type { SharedLimitLease, SharedLimitSpec, SharedLimitStore } from './shared-limit-store.ts';
import { LocalTurn } from './local-turn.ts';

/** A wait for a limit, as the progress display and the run events tell it. */
export interface LimitWait {
  /** The limit's key: `provider:openai`, `stage:blog/section`. */
  key: string;
  /** The full limit: `rpm`, `concurrency`, `100/1h`, ... */
  limit: string;
  /** How long until the next try (ms). */
  waitMs: number;
}

/** Options of {@link SharedLimiter}. */
export interface SharedLimiterOptions {
  store: SharedLimitStore;
  spec: SharedLimitSpec;
  /** Must read the same time in every process sharing the store. @default epochClock */
  clock?: Clock;
  /**
   * How long a granted request holds its concurrency slot if this process dies; renewed every third of it
   * while the request runs.
   * @default 60000
   */
  leaseTtlMs?: number;
  /**
   * Wait for room (true) or fail at once with RATE_LIMIT_NO_WAIT (`--no-wait`, `limits_store.wait: false`).
   * @default true
   */
  wait?: boolean;
  /** Told each time a request must wait, before it sleeps. */
  onWait?: (wait: LimitWait) => void;
  logger?: Logger;
}

/** A shared-limit permit: its release resolves once the store has recorded it. */
export interface SharedLimitPermit extends RateLimitPermit {
  /** The limit that made the request wait last (`rpm`, `concurrency`, ...); absent when it did not wait. */
  readonly limit?: string;
  release(actual?: { tokens?: number }): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Admission against a {@link SharedLimitStore}: the limits of one key held across runs and processes. A
 * request asks the store (one transaction); when refused it sleeps until the store's `retryAtMs` (polling
 * sooner when only a release elsewhere can make room) with the caller's AbortSignal, and asks again. Within
 * one process the waiting requests of a key take turns (FIFO), so only the head polls the store.
 * Fail-fast windows (daily budgets) fail at once with PROVIDER_QUOTA_EXHAUSTED. A granted lease is renewed
 * while the request runs, so a long call keeps its slot and a crashed process's slots come back after
 * `leaseTtlMs`.
 */
export class SharedLimiter {
  readonly key: string;
  readonly #store: SharedLimitStore;
  readonly #spec: SharedLimitSpec;
  readonly #clock: Clock;
  readonly #ttl: number;
  readonly #wait: boolean;
  readonly #onWait: ((wait: LimitWait) => void) | undefined;
  readonly #logger: Logger | undefined;
  readonly #turn = new LocalTurn();

  constructor(options: SharedLimiterOptions) {
    this.key = options.spec.key;
    this.#store = options.store;
    this.#spec = options.spec;
    this.#clock = options.clock ?? epochClock;
    this.#ttl = options.leaseTtlMs ?? 60_000;
    this.#wait = options.wait ?? true;
    this.#onWait = options.onWait;
    this.#logger = options.logger;
    for (const window of this.#spec.windows) {
      if (!(window.limit > 0) || !(window.windowMs > 0)) {
        throw new UcopError('CONFIG_INVALID', `${this.key}: limit ${window.name} needs a positive limit and window`, { fields: { key: this.key, window: window.name } });
      }
    }
  }

  /**
   * Waits until the store grants the request.
   * @throws the signal's reason when it aborts while waiting
   * @throws UcopError PROVIDER_QUOTA_EXHAUSTED when a fail-fast window is full or the request can never fit;
   *   RATE_LIMIT_NO_WAIT when it would have to wait and waiting is off.
   */
  async acquire(cost: RateLimitCost, signal: AbortSignal): Promise<SharedLimitPermit> {
    if (signal.aborted) throw abortReason(signal);
    this.#refuseImpossible(cost);
    const enqueuedAt = this.#clock.now();
    const turn = await this.#turn.take(signal);
    let waitedFor: string | undefined;
    try {
      for (;;) {
        const now = this.#clock.now();
        const result = await this.#store.tryAcquire(this.#spec, cost, now, this.#ttl);
        if (result.granted) return this.#permit(result.lease, this.#clock.now() - enqueuedAt, waitedFor);
        const waitMs = Math.max(1, Math.ceil(result.retryAtMs - now));
        if (result.failWhenFull) {
          throw new UcopError('PROVIDER_QUOTA_EXHAUSTED', `${this.key}: the ${result.limit} budget is used up (shared by every run on this machine); it frees up in about ${waitMs} ms`, {
            fields: { key: this.key, window: result.limit, retryAfterMs: waitMs },
            retryable: true,
          });
        }
        if (!this.#wait) {
          throw new UcopError('RATE_LIMIT_NO_WAIT', `${this.key}: ${result.limit} is full and waiting is off (--no-wait); it has room in about ${waitMs} ms`, {
            fields: { key: this.key, limit: result.limit, retryAfterMs: waitMs },
            retryable: false,
          });
        }
        waitedFor = result.limit;
        this.#onWait?.({ key: this.key, limit: result.limit, waitMs });
        await this.#clock.sleep(waitMs, signal);
      }
    } finally {
      turn.done();
    }
  }

  #refuseImpossible(cost: RateLimitCost): void {
    for (const window of this.#spec.windows) {
      const amount = window.measure === 'requests' ? 1 : Math.ceil(cost.tokens ?? 0);
      if (amount > window.limit) {
        throw new UcopError('PROVIDER_QUOTA_EXHAUSTED', `${this.key}: a request of ${amount} ${window.measure} can never fit ${window.name} = ${window.limit}; raise the limit or lower max_tokens`, {
          fields: { key: this.key, window: window.name, limit: window.limit, requested: amount },
          retryable: false,
        });
      }
    }
  }

  #permit(lease: SharedLimitLease, waitedMs: number, limit: string | undefined): SharedLimitPermit {
    const renewal = new AbortController();
    void this.#renewWhileHeld(lease, renewal.signal);
    let open = true;
    const finish = async (action: () => Promise<void>): Promise<void> => {
      if (!open) return;
      open = false;
      renewal.abort();
      try {
        await action();
      } catch (error) {
        // The slot then comes back when its lease expires; the call itself is not failed for it.
        this.#logger?.warn('could not record the end of a request in the limit store', { key: this.key, error: error instanceof Error ? error.message : String(error) });
      }
    };
    return {
      waitedMs,
      ...(limit === undefined ? {} : { limit }),
      release: (actual) => finish(() => this.#store.release(lease, this.#clock.now(), actual)),
      cancel: () => finish(() => this.#store.cancel(lease)),
    };
  }

  async #renewWhileHeld(lease: SharedLimitLease, signal: AbortSignal): Promise<void> {
    const every = Math.max(1, Math.floor(this.#ttl / 3));
    try {
      for (;;) {
        await this.#clock.sleep(every, signal);
        if (!(await this.#store.renew(lease, this.#clock.now(), this.#ttl))) return;
      }
    } catch {
      // Aborted: the request is over.
    }
  }
}
