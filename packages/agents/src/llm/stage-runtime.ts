import { abortReason, systemClock, toUcopError, UcopError } from '@ucop/core';
import type { Clock, LlmCallOptions, LlmRequest, LlmResponse, Logger } from '@ucop/core';
import { SharedLimiter } from '../limits/shared-limiter.ts';
import { epochClock } from '../limits/epoch-clock.ts';
import type { LimitWait, SharedLimitPermit } from '../limits/shared-limiter.ts';
import type { SharedLimitStore } from '../limits/shared-limit-store.ts';
import { ProviderCircuitBreaker } from '../providers/circuit-breaker.ts';
import type { CircuitStateName } from '../providers/circuit-breaker.ts';
import { RateLimiter } from '../providers/rate-limiter.ts';
import type { RateLimitPermit } from '../providers/rate-limiter.ts';
import { Backpressure } from './backpressure.ts';
import { ProviderRotation } from './provider-rotation.ts';
import { RequestBatcher } from './request-batcher.ts';
import { StageMetrics } from './stage-metrics.ts';
import type { StagePolicy } from './stage-policy.ts';

/** What a stage calls through: the provider router (one provider per call, its own retries and limits). */
export interface StageDownstream {
  readonly defaultProvider: string;
  generate(request: LlmRequest, signal: AbortSignal, options?: LlmCallOptions): Promise<LlmResponse>;
  /** Providers whose own circuit refuses calls now. */
  breakerStates(): Record<string, CircuitStateName>;
  /**
   * Whether a provider can take calls at all (configured, with its key). A stage's `providers:` list passes
   * over one that cannot, so that a workflow can list `openai, anthropic, ollama` and run with whichever
   * keys the machine has. @default every provider is usable
   */
  usable?(name: string): boolean;
}

export interface StageRuntimeOptions {
  key: string;
  policy: StagePolicy;
  downstream: StageDownstream;
  /** Where the stage's rate limits are kept across processes; absent: in this process only. */
  store?: SharedLimitStore;
  /** Wait for limits (true) or fail fast with RATE_LIMIT_NO_WAIT. @default true */
  wait?: boolean;
  clock?: Clock;
  logger?: Logger;
  onWait?: (wait: LimitWait) => void;
}

// The circuit breaker's own default (providers/circuit-breaker.ts), for the shared open time.
const DEFAULT_HALF_OPEN_MS = 30_000;

// Output tokens assumed when a request sets no maxTokens, for token windows (as the router does).
const DEFAULT_OUTPUT_ESTIMATE = 512;

/**
 * One stage (a step of a workflow) with its policies, in the order a call meets them: batching (requests of
 * a fan-out coalesced), workers (the calls in flight, moved by backpressure), the stage's rate limits (shared
 * through the store), then the providers in the rotation's order, each behind the stage's own circuit
 * breaker for it. Every call's outcome, latency and answering provider go to the stage's metrics.
 */
export class StageRuntime {
  readonly key: string;
  readonly metrics = new StageMetrics();
  readonly #policy: StagePolicy;
  readonly #downstream: StageDownstream;
  readonly #clock: Clock;
  readonly #origin: number;
  readonly #logger: Logger | undefined;
  readonly #onWait: ((wait: LimitWait) => void) | undefined;
  readonly #limiter: SharedLimiter | RateLimiter | undefined;
  readonly #workers: { gate: RateLimiter; control: Backpressure } | undefined;
  readonly #rotation: ProviderRotation | undefined;
  readonly #batcher: RequestBatcher | undefined;
  readonly #breakers = new Map<string, ProviderCircuitBreaker>();
  /** Where this stage's open circuits are published to (and read from) other processes. */
  readonly #store: SharedLimitStore | undefined;
  /** The clock of times written to the store: the same in every process. */
  readonly #sharedClock: Clock;
  readonly #inFlight = new Map<string, number>();

  constructor(options: StageRuntimeOptions) {
    this.key = options.key;
    this.#policy = options.policy;
    this.#downstream = options.downstream;
    this.#clock = options.clock ?? systemClock;
    this.#origin = this.#clock.now();
    this.#logger = options.logger;
    this.#onWait = options.onWait;
    this.#store = options.policy.breaker ? options.store : undefined;
    this.#sharedClock = options.clock ?? epochClock;
    const { rateLimit, workers, providers, batch } = options.policy;
    if (rateLimit) {
      const spec = { key: `stage:${options.key}`, windows: rateLimit.windows, ...(rateLimit.concurrency === undefined ? {} : { concurrency: rateLimit.concurrency }) };
      this.#limiter = options.store
        ? new SharedLimiter({
            store: options.store,
            spec,
            // Times in a shared store must mean the same in every process.
            clock: options.clock ?? epochClock,
            wait: options.wait ?? true,
            onWait: (w) => this.#waited(w),
            ...(options.logger ? { logger: options.logger } : {}),
          })
        : new RateLimiter({ name: spec.key, clock: this.#clock, windows: spec.windows, ...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }) });
    }
    if (workers) {
      this.#workers = { gate: new RateLimiter({ name: `workers:${options.key}`, clock: this.#clock, concurrency: workers.max }), control: new Backpressure(workers) };
      this.metrics.workers({ atMs: 0, target: workers.max, active: 0, queued: 0 });
    }
    if (providers) {
      this.#rotation = new ProviderRotation(providers.use, providers.strategy);
      this.metrics.strategy = providers.strategy;
    }
    if (batch) {
      this.#batcher = new RequestBatcher({
        size: batch.size,
        maxWaitMs: batch.maxWaitMs,
        clock: this.#clock,
        send: (request, signal, size) => {
          if (size > 1) this.metrics.batch(size);
          return this.#call(request, signal, undefined);
        },
      });
    }
  }

  generate(request: LlmRequest, signal: AbortSignal, options?: LlmCallOptions): Promise<LlmResponse> {
    if (this.#batcher) return this.#batcher.submit(request, signal);
    return this.#call(request, signal, options);
  }

  /** Current target workers, for tests and the progress display. */
  get targetWorkers(): number | undefined {
    return this.#workers?.control.target;
  }

  async #call(request: LlmRequest, signal: AbortSignal, options: LlmCallOptions | undefined): Promise<LlmResponse> {
    if (signal.aborted) throw abortReason(signal);
    const workerPermit = this.#workers ? await this.#workers.gate.acquire({}, signal) : undefined;
    let limitPermit: RateLimitPermit | undefined;
    try {
      if (this.#limiter) {
        const estimate = Math.ceil((request.prompt.length + (request.system?.length ?? 0)) / 4) + (request.maxTokens ?? DEFAULT_OUTPUT_ESTIMATE);
        const permit = await this.#limiter.acquire({ tokens: estimate }, signal);
        limitPermit = permit;
        // The shared limiter says which limit made the call wait (none: only the store's transaction took
        // time); the in-process one waits only for a limit, without saying which.
        const limit = this.#limiter instanceof SharedLimiter ? (permit as SharedLimitPermit).limit : 'stage';
        if (limit !== undefined && permit.waitedMs > 0) this.metrics.wait(limit, permit.waitedMs);
      }
      const response = await this.#tryProviders(request, signal, options);
      await limitPermit?.release({ tokens: response.usage.inputTokens + response.usage.outputTokens });
      limitPermit = undefined;
      return response;
    } finally {
      if (limitPermit) await limitPermit.release();
      workerPermit?.release();
    }
  }

  async #tryProviders(request: LlmRequest, signal: AbortSignal, options: LlmCallOptions | undefined): Promise<LlmResponse> {
    const open = this.#downstream.breakerStates();
    const candidates = this.#rotation ? this.#rotation.use : [request.provider ?? this.#downstream.defaultProvider];
    const openElsewhere = await this.#openInOtherProcesses(candidates);
    const usable = (name: string): boolean => this.#downstream.usable?.(name) ?? true;
    const available = (name: string): boolean => usable(name) && open[name] !== 'open' && !(this.#breakers.get(name)?.refusing ?? false) && !openElsewhere.has(name);
    const chain = this.#rotation ? this.#rotation.order(available, (name) => this.#inFlight.get(name) ?? 0) : [...candidates];
    if (!this.#rotation && openElsewhere.has(chain[0]!)) {
      this.#outcome({ ok: false, latencyMs: 0, code: 'PROVIDER_CIRCUIT_OPEN' });
      throw new UcopError('PROVIDER_CIRCUIT_OPEN', `stage ${this.key}: the circuit for ${chain[0]} is open (opened by another run sharing the limit store)`, {
        fields: { stage: this.key, provider: chain[0] },
        retryable: true,
      });
    }
    let lastError: UcopError | undefined;
    for (const [index, provider] of chain.entries()) {
      // A stage with `providers:` chooses the provider itself and falls back along its own list.
      const routed: LlmRequest = this.#rotation ? { ...request, provider, fallback: [] } : request;
      const started = this.#clock.now();
      this.#inFlight.set(provider, (this.#inFlight.get(provider) ?? 0) + 1);
      try {
        const breaker = this.#breakerFor(provider);
        const response = breaker ? await breaker.execute((inner) => this.#downstream.generate(routed, inner, options), signal) : await this.#downstream.generate(routed, signal, options);
        this.#outcome({ ok: true, latencyMs: this.#clock.now() - started, provider: response.provider });
        return response;
      } catch (raw) {
        if (signal.aborted) throw abortReason(signal);
        const error = toUcopError(raw);
        this.#outcome({ ok: false, latencyMs: this.#clock.now() - started, code: error.code });
        lastError = error;
        const movesOn = error.code === 'PROVIDER_CIRCUIT_OPEN' || error.code === 'PROVIDER_QUOTA_EXHAUSTED' || error.retryable;
        if (!this.#rotation || !movesOn || index === chain.length - 1) throw error;
        this.#logger?.warn('stage provider failed, trying the next', { stage: this.key, provider, code: error.code, next: chain[index + 1] });
      } finally {
        this.#inFlight.set(provider, (this.#inFlight.get(provider) ?? 1) - 1);
      }
    }
    throw lastError ?? new UcopError('PROVIDER_UNAVAILABLE', `stage ${this.key}: no provider to call`);
  }

  #breakerFor(provider: string): ProviderCircuitBreaker | undefined {
    const settings = this.#policy.breaker;
    if (!settings) return undefined;
    let breaker = this.#breakers.get(provider);
    if (!breaker) {
      breaker = new ProviderCircuitBreaker(provider, {
        clock: this.#clock,
        ...(settings.failureThreshold === undefined ? {} : { failureThreshold: settings.failureThreshold }),
        ...(settings.halfOpenAfterMs === undefined ? {} : { halfOpenAfterMs: settings.halfOpenAfterMs }),
        onStateChange: (state) => {
          this.metrics.breaker(this.#clock.now() - this.#origin, provider, state);
          this.#logger?.info('stage circuit', { stage: this.key, provider, state });
          void this.#publish(provider, state, settings.halfOpenAfterMs ?? DEFAULT_HALF_OPEN_MS);
        },
      });
      this.#breakers.set(provider, breaker);
    }
    return breaker;
  }

  /** Providers whose circuit for this stage another process has opened, and not yet past its open time. */
  async #openInOtherProcesses(providers: readonly string[]): Promise<Set<string>> {
    const open = new Set<string>();
    const store = this.#store;
    if (!store) return open;
    const now = this.#sharedClock.now();
    const states = await Promise.all(providers.map((p) => store.readBreaker(this.#breakerKey(p)).catch(() => undefined)));
    states.forEach((state, i) => {
      if (state?.state === 'open' && (state.openUntilMs ?? 0) > now) open.add(providers[i]!);
    });
    return open;
  }

  // An opened circuit is published with the time it may be probed again; a closed one clears it. A lost
  // compare-and-set means another process wrote first: its view is as good as ours.
  async #publish(provider: string, state: CircuitStateName, halfOpenAfterMs: number): Promise<void> {
    const store = this.#store;
    if (!store || (state !== 'open' && state !== 'closed')) return;
    const key = this.#breakerKey(provider);
    try {
      const current = await store.readBreaker(key);
      const next = { state, failures: 0, version: (current?.version ?? 0) + 1, ...(state === 'open' ? { openUntilMs: this.#sharedClock.now() + halfOpenAfterMs } : {}) };
      await store.writeBreaker(key, next, current?.version);
    } catch (error) {
      this.#logger?.warn('could not share a circuit state through the limit store', { stage: this.key, provider, error: error instanceof Error ? error.message : String(error) });
    }
  }

  #breakerKey(provider: string): string {
    return `stage:${this.key}:${provider}`;
  }

  #outcome(outcome: { ok: boolean; latencyMs: number; provider?: string; code?: string }): void {
    this.metrics.call(outcome);
    if (!this.#workers) return;
    const decision = this.#workers.control.record(outcome);
    if (!decision) return;
    this.#workers.gate.setConcurrency(decision.to);
    const snapshot = this.#workers.gate.snapshot();
    this.metrics.workers({ atMs: this.#clock.now() - this.#origin, target: decision.to, active: snapshot.active, queued: snapshot.queued, errorRate: decision.errorRate, p95Ms: decision.p95Ms });
    this.#logger?.info(decision.to < decision.from ? 'stage workers shrink' : 'stage workers grow', { stage: this.key, from: decision.from, to: decision.to, errorRate: decision.errorRate, p95Ms: decision.p95Ms });
  }

  #waited(wait: LimitWait): void {
    this.#onWait?.(wait);
  }
}
