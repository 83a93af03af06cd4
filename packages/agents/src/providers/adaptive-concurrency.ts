/** Options of {@link AdaptiveConcurrency}. */
export interface AdaptiveConcurrencyOptions {
  /** The configured concurrency: the ceiling, and the starting point. */
  max: number;
  /** Latency above `latencyFactor` × the baseline counts as congestion. @default 2 */
  latencyFactor?: number;
  /** Weight of a new latency sample in the baseline EWMA (small: the baseline moves slowly). @default 0.1 */
  alpha?: number;
}

/**
 * AIMD concurrency for one provider, the way TCP finds a link's capacity: halve on congestion (a 429, or a
 * latency above twice the baseline), add one back per healthy success, always between 1 and `max`.
 *
 * After a decrease, the requests already in flight were sent at the old concurrency; their outcomes say
 * nothing about the new one. So the controller waits for as many completions as were in flight before it
 * reacts again; otherwise one burst of 429s would halve the concurrency down to 1, and the successes of
 * old requests would undo a decrease at once.
 */
export class AdaptiveConcurrency {
  readonly max: number;
  readonly #factor: number;
  readonly #alpha: number;
  #current: number;
  #baselineMs: number | undefined;
  #cooldown = 0;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.max = Math.max(1, Math.floor(options.max));
    this.#factor = options.latencyFactor ?? 2;
    this.#alpha = options.alpha ?? 0.1;
    this.#current = this.max;
  }

  get current(): number {
    return this.#current;
  }

  /** The latency EWMA that "slow" is measured against (undefined before the first success). */
  get baselineMs(): number | undefined {
    return this.#baselineMs;
  }

  /** A call succeeded after `latencyMs`; returns the concurrency to use now. */
  onSuccess(latencyMs: number): number {
    const baseline = this.#baselineMs;
    this.#baselineMs = baseline === undefined ? latencyMs : baseline + this.#alpha * (latencyMs - baseline);
    const slow = baseline !== undefined && latencyMs > this.#factor * baseline;
    if (this.#cooldown > 0) {
      this.#cooldown--;
      return this.#current;
    }
    if (slow) return this.#decrease();
    this.#current = Math.min(this.max, this.#current + 1);
    return this.#current;
  }

  /** The provider answered 429; returns the concurrency to use now. */
  onRateLimited(): number {
    if (this.#cooldown > 0) {
      this.#cooldown--;
      return this.#current;
    }
    return this.#decrease();
  }

  /** A call failed for another reason: it counts towards the cooldown and changes nothing else. */
  onOtherFailure(): number {
    if (this.#cooldown > 0) this.#cooldown--;
    return this.#current;
  }

  #decrease(): number {
    this.#cooldown = this.#current - 1;
    this.#current = Math.max(1, Math.floor(this.#current / 2));
    return this.#current;
  }
}
