/**
 * One rate window of a provider ("50 requests per 1 s", "40 000 tokens per minute", "1 000 requests per day"),
 * kept as a log of what was granted and when.
 *
 * A log rather than a counter or a token bucket because it is the only one of the three that is exact at
 * every instant: a fixed-window counter lets through twice the limit across a window boundary, and a token
 * bucket lets through its burst size on top of its rate. Providers count requests in trailing windows, so the
 * limiter must too. Memory is one small entry per granted request in the window (for a per-day window of a
 * few thousand requests that is still only kilobytes).
 */
export interface SlidingWindowSpec {
  /** Shown in errors and snapshots: `rpm`, `rpd`, `tpm`, ... */
  name: string;
  /** Largest total amount (requests or tokens) allowed in any window. */
  limit: number;
  /** Length of the window in ms. */
  windowMs: number;
  /**
   * Extra time an entry stays in the window after `windowMs`. The provider counts arrivals; we can only
   * time departures, and two requests do not take exactly the same time to arrive. Keeping each entry a
   * little longer than the window absorbs that difference.
   * @default 0
   */
  guardMs?: number;
  /** What one request costs in this window: one request, or its tokens. */
  measure: 'requests' | 'tokens';
  /**
   * When the window is full, fail at once with PROVIDER_QUOTA_EXHAUSTED instead of waiting (a per-day quota:
   * waiting hours is worse than falling back to another provider).
   * @default false
   */
  failWhenFull?: boolean;
}

/** A granted amount in the log; `amount` can be corrected once the real token count is known. */
export interface WindowEntry {
  readonly at: number;
  amount: number;
}

// Compact the backing array once this many entries have expired at its front (amortised O(1) pruning).
const COMPACT_AFTER = 1024;

export class SlidingWindowLog {
  readonly spec: Required<SlidingWindowSpec>;
  readonly #entries: WindowEntry[] = [];
  #head = 0;
  #sum = 0;

  constructor(spec: SlidingWindowSpec) {
    this.spec = { guardMs: 0, failWhenFull: false, ...spec };
  }

  /** How long an entry occupies the window. */
  get spanMs(): number {
    return this.spec.windowMs + this.spec.guardMs;
  }

  /** The amount one request with `tokens` tokens costs in this window. */
  costOf(tokens: number): number {
    return this.spec.measure === 'requests' ? 1 : tokens;
  }

  /** Total amount still in the window at `now`. */
  used(now: number): number {
    this.#prune(now);
    return this.#sum;
  }

  /**
   * The earliest time at or after `now` when `amount` more fits in the window, assuming nothing else is
   * granted meanwhile. `Infinity` when it can never fit (larger than the limit).
   */
  readyAt(amount: number, now: number): number {
    if (amount > this.spec.limit) return Number.POSITIVE_INFINITY;
    this.#prune(now);
    const excess = this.#sum + amount - this.spec.limit;
    if (excess <= 0) return now;
    let freed = 0;
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      freed += entry.amount;
      if (freed >= excess) return entry.at + this.spanMs;
    }
    // Unreachable while the entries sum to #sum; kept so that a bookkeeping bug waits rather than overshoots.
    return now + this.spanMs;
  }

  /** Records a grant. Times must not go backwards (the limiter grants in clock order). */
  add(at: number, amount: number): WindowEntry {
    const entry: WindowEntry = { at, amount };
    this.#entries.push(entry);
    this.#sum += amount;
    return entry;
  }

  /** Corrects an entry's amount (estimated tokens → real tokens); no effect once it has left the window. */
  adjust(entry: WindowEntry, amount: number, now: number): void {
    this.#prune(now);
    if (entry.at + this.spanMs > now) this.#sum += amount - entry.amount;
    entry.amount = amount;
  }

  /** Removes an entry whose request was never sent (the circuit was open after all). */
  remove(entry: WindowEntry, now: number): void {
    this.adjust(entry, 0, now);
  }

  #prune(now: number): void {
    const span = this.spanMs;
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.at + span <= now) {
      this.#sum -= this.#entries[this.#head]!.amount;
      this.#head++;
    }
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
