/**
 * The contract between provider/stage limiting and the store that holds the limits' state, so that limits
 * hold across runs and processes: the local store (`node:sqlite`, one machine: issue "LLM steps") and the
 * Redis store (many machines: issue "distributed runs") implement the same interface, and the limiter code
 * that waits, reports and aborts is written once against it.
 *
 * Every operation is atomic in the store (one SQLite transaction, one Redis script): two processes asking
 * at once never both get the last slot. Times are milliseconds on the caller's clock (`nowMs`), passed in so
 * tests use fake clocks; stores must not read the wall clock themselves.
 */

/** One limit key's rules: trailing windows (requests or tokens) and a concurrency bound. */
export interface SharedLimitSpec {
  /** Stable key: `provider:openai`, `stage:blog/section`, ... Shared by every process using the store. */
  key: string;
  windows: readonly SharedWindowSpec[];
  /** Concurrent leases allowed for this key across all processes. Missing: unbounded. */
  concurrency?: number;
}

export interface SharedWindowSpec {
  /** Shown in errors and waits: `rpm`, `rpd`, `tpm`, `100/1h`. */
  name: string;
  limit: number;
  windowMs: number;
  measure: 'requests' | 'tokens';
  /** Fail at once (PROVIDER_QUOTA_EXHAUSTED) instead of waiting when full: daily budgets. */
  failWhenFull?: boolean;
}

/** What one request will cost. */
export interface SharedLimitCost {
  tokens?: number;
}

/** A granted request. Held until released; a lease whose holder died expires after `leaseTtlMs`. */
export interface SharedLimitLease {
  readonly id: string;
  readonly key: string;
}

export type SharedAcquireResult =
  | { granted: true; lease: SharedLimitLease }
  /** Not now: retry at `retryAtMs` (or sooner when a lease is released); `limit` names what is full. */
  | { granted: false; retryAtMs: number; limit: string; failWhenFull: boolean };

export interface SharedLimitStore {
  /**
   * Atomically checks every window and the concurrency of `spec.key` and, when all have room, records the
   * request (it counts in every window from `nowMs`) and a concurrency lease that expires at
   * `nowMs + leaseTtlMs` unless renewed or released.
   */
  tryAcquire(spec: SharedLimitSpec, cost: SharedLimitCost, nowMs: number, leaseTtlMs: number): Promise<SharedAcquireResult>;
  /** Extends a lease still held (long calls). Returns false when it already expired. */
  renew(lease: SharedLimitLease, nowMs: number, leaseTtlMs: number): Promise<boolean>;
  /**
   * The request is over: frees the concurrency lease; the request keeps counting in its windows until one
   * window after `nowMs` (see sliding-window-log.ts for why), with `actual.tokens` replacing the estimate.
   */
  release(lease: SharedLimitLease, nowMs: number, actual?: { tokens?: number }): Promise<void>;
  /** The request was never sent: frees the lease and removes it from every window. */
  cancel(lease: SharedLimitLease): Promise<void>;
  /** Circuit-breaker state shared by every process: read and compare-and-set by version. */
  readBreaker(key: string): Promise<SharedBreakerState | undefined>;
  writeBreaker(key: string, state: SharedBreakerState, expectedVersion: number | undefined): Promise<boolean>;
  close(): Promise<void>;
}

export interface SharedBreakerState {
  state: 'closed' | 'open' | 'half-open';
  /** Consecutive failures while closed. */
  failures: number;
  /** When an open breaker lets one probe through (caller's clock). */
  openUntilMs?: number;
  /** Incremented on every write (compare-and-set). */
  version: number;
}
