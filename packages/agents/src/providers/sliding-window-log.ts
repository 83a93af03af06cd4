/**
 * One rate window of a provider ("50 requests per 1 s", "40 000 tokens per minute", "1 000 requests per day"),
 * kept as a log of requests and when they stopped counting.
 *
 * A log rather than a counter or a token bucket because it is the only one of the three that is exact at
 * every instant: a fixed-window counter lets through twice the limit across a window boundary, and a token
 * bucket lets through its burst size on top of its rate. Providers count requests in trailing windows, so the
 * limiter must too. Memory is one small entry per request in the window.
 *
 * When a request counts. The provider counts a request when it *arrives*, and we never see that moment: we
 * only know it lies between the moment we sent the request and the moment its answer came back. Counting from
 * the send time and hoping transit times are equal fails in practice (a cold connection, a garbage-collection
 * pause, or the first call through the SDK arrives tens of ms late, and the next window's first request then
 * lands inside the same provider window). So a request counts from the moment it is sent, for as long as it is
 * in flight, and then for one more full window after its answer came back. By causality the provider received
 * it before we received the answer, so the request that takes its place — sent at least a window after that
 * answer — arrives at least a window after it, whatever the transit times and whatever the two clocks say.
 * The price is the call's latency added to each slot's window: negligible for short windows' typical calls,
 * and for long calls it is the concurrency limit that binds first anyway.
 */
export interface SlidingWindowSpec {
  /** Shown in errors and snapshots: `rpm`, `rpd`, `tpm`, ... */
  name: string;
  /** Largest total amount (requests or tokens) allowed in any window. */
  limit: number;
  /** Length of the window in ms. */
  windowMs: number;
  /** What one request costs in this window: one request, or its tokens. */
  measure: 'requests' | 'tokens';
  /**
   * When the window is full, fail at once with PROVIDER_QUOTA_EXHAUSTED instead of waiting (a per-day quota:
   * waiting hours is worse than falling back to another provider).
   * @default false
   */
  failWhenFull?: boolean;
}

/** A request in flight in this window; its amount can be corrected when it completes. */
export interface InFlightEntry {
  readonly amount: number;
  done: boolean;
}

interface LogEntry {
  /** When the request stopped being in flight: it counts until `at + windowMs`. */
  at: number;
  amount: number;
}

// Compact the backing array once this many entries have expired at its front (amortised O(1) pruning).
const COMPACT_AFTER = 1024;

export class SlidingWindowLog {
  readonly spec: Required<SlidingWindowSpec>;
  readonly #log: LogEntry[] = [];
  #head = 0;
  #logSum = 0;
  #inFlight = 0;

  constructor(spec: SlidingWindowSpec) {
    this.spec = { failWhenFull: false, ...spec };
  }

  /** The amount one request with `tokens` tokens costs in this window. */
  costOf(tokens: number): number {
    return this.spec.measure === 'requests' ? 1 : tokens;
  }

  /** Total amount counted at `now`: requests in flight plus those answered less than a window ago. */
  used(now: number): number {
    this.#prune(now);
    return this.#inFlight + this.#logSum;
  }

  /**
   * The earliest time at or after `now` when `amount` more fits, assuming nothing else starts meanwhile.
   * `Infinity` when it depends on requests still in flight (it is re-checked when one completes) or when the
   * amount is larger than the limit.
   */
  readyAt(amount: number, now: number): number {
    if (amount > this.spec.limit) return Number.POSITIVE_INFINITY;
    this.#prune(now);
    const excess = this.#inFlight + this.#logSum + amount - this.spec.limit;
    if (excess <= 0) return now;
    let freed = 0;
    for (let i = this.#head; i < this.#log.length; i++) {
      const entry = this.#log[i]!;
      freed += entry.amount;
      if (freed >= excess) return entry.at + this.spec.windowMs;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** A request is being sent: it counts from now on. */
  begin(amount: number): InFlightEntry {
    this.#inFlight += amount;
    return { amount, done: false };
  }

  /**
   * The request's answer came back (or it failed after being sent) at `at`: it keeps counting, with its real
   * `amount` (tokens known now), until a window after `at`. Times must not go backwards.
   */
  complete(entry: InFlightEntry, at: number, amount = entry.amount): void {
    if (entry.done) return;
    entry.done = true;
    this.#inFlight -= entry.amount;
    if (amount > 0) {
      this.#log.push({ at, amount });
      this.#logSum += amount;
    }
  }

  /** The request was never sent (the circuit refused it after all): it stops counting at once. */
  cancel(entry: InFlightEntry): void {
    if (entry.done) return;
    entry.done = true;
    this.#inFlight -= entry.amount;
  }

  #prune(now: number): void {
    const span = this.spec.windowMs;
    while (this.#head < this.#log.length && this.#log[this.#head]!.at + span <= now) {
      this.#logSum -= this.#log[this.#head]!.amount;
      this.#head++;
    }
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#log.length) {
      this.#log.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
