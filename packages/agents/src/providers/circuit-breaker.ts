import { createRequire } from 'node:module';
import type * as Cockatiel from 'cockatiel';
import type { CircuitBreakerPolicy, CircuitState, IBackoff, IBackoffFactory } from 'cockatiel';
import { UcopError, isUcopError, systemClock } from '@ucop/core';
import type { Clock } from '@ucop/core';

/** A circuit's state as the run record shows it. */
export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** Options of {@link ProviderCircuitBreaker}. */
export interface ProviderCircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** Time the circuit stays open before one probe call is let through. @default 30000 */
  halfOpenAfterMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Called on every transition (for logs and events). */
  onStateChange?: (state: CircuitStateName) => void;
}

/**
 * Which failures count against a provider: those that say it is unwell (5xx, 408, 409, timeouts, refused
 * connections, unreadable answers). A 429 is the provider working as configured (the limiter and Retry-After
 * handle it); a 400 or 401 is our request's fault.
 */
export function countsAgainstProvider(error: unknown): boolean {
  return isUcopError(error) && error.retryable && error.code !== 'PROVIDER_RATE_LIMITED' && error.code !== 'PROVIDER_CIRCUIT_OPEN';
}

// cockatiel is loaded when the first breaker is made (only runs that call a provider make one), through its
// CommonJS build: importing it at start-up would cost every command, `ucop validate` included.
const require = createRequire(import.meta.url);
let loaded: typeof Cockatiel | undefined;
function cockatiel(): typeof Cockatiel {
  loaded ??= require('cockatiel') as typeof Cockatiel;
  return loaded;
}
let stateNames: Record<CircuitState, CircuitStateName> | undefined;
function stateName(state: CircuitState): CircuitStateName {
  const { CircuitState: S } = cockatiel();
  stateNames ??= { [S.Closed]: 'closed', [S.Open]: 'open', [S.HalfOpen]: 'half-open', [S.Isolated]: 'isolated' };
  return stateNames[state];
}

/**
 * A provider's circuit breaker: cockatiel's policy with a ConsecutiveBreaker (closed → open after N
 * consecutive failures → half-open after a pause → closed on a successful probe, open again on a failed one).
 *
 * Two additions around cockatiel:
 * - a single probe: while the probe runs, other calls fail at once with PROVIDER_CIRCUIT_OPEN (so they fall
 *   back) instead of queueing behind a probe that may hang until its timeout;
 * - the injected Clock decides when the open period is over (see {@link clockedHalfOpen}), so tests drive it
 *   with a fake clock.
 */
export class ProviderCircuitBreaker {
  readonly provider: string;
  readonly #policy: CircuitBreakerPolicy;
  readonly #clock: Clock;
  readonly #halfOpenAfterMs: number;
  #openedAt = 0;

  constructor(provider: string, options: ProviderCircuitBreakerOptions = {}) {
    this.provider = provider;
    this.#clock = options.clock ?? systemClock;
    this.#halfOpenAfterMs = options.halfOpenAfterMs ?? 30_000;
    const { circuitBreaker, handleWhen, ConsecutiveBreaker } = cockatiel();
    this.#policy = circuitBreaker(
      handleWhen((error) => countsAgainstProvider(error)),
      {
        halfOpenAfter: clockedHalfOpen(this.#clock, this.#halfOpenAfterMs, (at) => (this.#openedAt = at)),
        breaker: new ConsecutiveBreaker(options.failureThreshold ?? 5),
      },
    );
    const onStateChange = options.onStateChange;
    if (onStateChange) this.#policy.onStateChange((state) => onStateChange(stateName(state)));
  }

  /** The state now. An open circuit whose pause is over reads `half-open`: the next call is the probe. */
  get state(): CircuitStateName {
    const state = stateName(this.#policy.state);
    if (state === 'open' && this.#clock.now() - this.#openedAt >= this.#halfOpenAfterMs) return 'half-open';
    return state;
  }

  /** True when a call now would be refused without reaching the provider. */
  get refusing(): boolean {
    const raw = this.#policy.state;
    if (raw === cockatiel().CircuitState.HalfOpen || raw === cockatiel().CircuitState.Isolated) return true;
    return raw === cockatiel().CircuitState.Open && this.#clock.now() - this.#openedAt < this.#halfOpenAfterMs;
  }

  /**
   * Runs `fn` through the breaker.
   * @throws UcopError PROVIDER_CIRCUIT_OPEN (retryable, with `fields.retryAfterMs` when known) when the
   *   circuit refuses the call; otherwise whatever `fn` throws.
   */
  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.#policy.state === cockatiel().CircuitState.HalfOpen) throw this.#openError();
    try {
      return await this.#policy.execute(async ({ signal: inner }) => {
        try {
          return await fn(inner);
        } catch (error) {
          // The caller gave up (step timeout, fail-fast): says nothing about the provider's health.
          if (signal.aborted) throw new CallerAborted(error);
          throw error;
        }
      }, signal);
    } catch (error) {
      if (error instanceof CallerAborted) throw error.original;
      if (error instanceof cockatiel().BrokenCircuitError || error instanceof cockatiel().IsolatedCircuitError) throw this.#openError();
      throw error;
    }
  }

  /** Throws what {@link execute} would throw if the circuit refuses calls right now; else returns. */
  ensureAvailable(): void {
    if (this.refusing) throw this.#openError();
  }

  /** Holds the circuit open until the returned function is called (operator action, tests). */
  isolate(): () => void {
    const handle = this.#policy.isolate();
    return () => handle.dispose();
  }

  #openError(): UcopError {
    const remaining = this.#halfOpenAfterMs - (this.#clock.now() - this.#openedAt);
    const probing = this.#policy.state === cockatiel().CircuitState.HalfOpen;
    return new UcopError(
      'PROVIDER_CIRCUIT_OPEN',
      probing
        ? `${this.provider}: circuit half-open, a probe call is deciding whether the provider is back`
        : `${this.provider}: circuit open after repeated failures; it lets one probe call through in ${Math.max(0, Math.ceil(remaining))} ms`,
      { fields: { provider: this.provider, state: probing ? 'half-open' : 'open', ...(probing ? {} : { retryAfterMs: Math.max(0, Math.ceil(remaining)) }) }, retryable: true },
    );
  }
}

// Carries an error past cockatiel's failure filter unchanged. One limit of cockatiel remains: an abort
// during the half-open probe closes the circuit (it treats unfiltered errors as "the call went through").
class CallerAborted extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('caller aborted');
    this.original = original;
  }
}

/**
 * cockatiel decides "open period over?" as `Date.now() - openedAt >= backoff.duration`. To put that decision
 * on our Clock instead of the wall clock, the backoff records the clock time when the circuit opens and its
 * `duration` answers 0 (over) or Infinity (not yet) from the clock — so the comparison with Date.now()
 * always agrees with the clock. Every new open period calls `next()` again and restarts the measure.
 */
function clockedHalfOpen(clock: Clock, halfOpenAfterMs: number, onOpen: (at: number) => void): IBackoffFactory<unknown> {
  const open = (): IBackoff<unknown> => {
    const openedAt = clock.now();
    onOpen(openedAt);
    return {
      get duration() {
        return clock.now() - openedAt >= halfOpenAfterMs ? 0 : Number.POSITIVE_INFINITY;
      },
      next: open,
    };
  };
  return { next: open };
}
