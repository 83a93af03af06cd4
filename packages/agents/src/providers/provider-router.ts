// About 400 lines on purpose: the router is one call path (choose, limit, break, retry, fall back, account)
// whose steps share one slot per provider; limits, breakers, retry delays and usage already live in their own
// files, and splitting the path itself would scatter the one loop a reader must follow.
import { UcopError, abortReason, linkSignals, noopSpan, systemClock, timeoutSignal, toUcopError } from '@ucop/core';
import type { Clock, LlmCallOptions, LlmClient, LlmFallback, LlmRequest, LlmResponse, Logger, SpanHandle, Tracer } from '@ucop/core';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import { ProviderCircuitBreaker } from './circuit-breaker.ts';
import type { CircuitStateName } from './circuit-breaker.ts';
import type { ProviderAdapter, ProviderCallResult } from './provider-adapter.ts';
import type { ProviderConfig, ProvidersConfig } from './provider-config.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { RateLimitPermit } from './rate-limiter.ts';
import { SharedLimiter } from '../limits/shared-limiter.ts';
import { epochClock } from '../limits/epoch-clock.ts';
import type { LimitWait, SharedLimitPermit } from '../limits/shared-limiter.ts';
import type { SharedLimitStore } from '../limits/shared-limit-store.ts';
import type { SlidingWindowSpec } from './sliding-window-log.ts';
import { decideRetry } from './retry-delay.ts';
import { UsageLedger, costOf } from './usage-ledger.ts';
import type { UsageReport } from './usage-ledger.ts';

/** Options of {@link createProviderRouter}. */
export interface ProviderRouterOptions {
  /** One adapter per usable provider (online ones from `createProviderAdapters`, plus the offline writer). */
  adapters: readonly ProviderAdapter[];
  config: ProvidersConfig;
  /**
   * Provider for requests that name none (the result of `selectProvider`).
   * @default 'offline' when there is such an adapter, else the first adapter
   */
  defaultProvider?: string;
  /** @default systemClock */
  clock?: Clock;
  logger?: Logger;
  /** Parent of the per-call spans. */
  span?: SpanHandle;
  /** Used for a root span per call when no parent span is given. */
  tracer?: Tracer;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Where providers' `limits:` are kept across runs and processes (the local sqlite store, or Redis). Absent:
   * each process limits itself alone.
   */
  limitStore?: SharedLimitStore;
  /** With a store: wait for room (true) or fail fast with RATE_LIMIT_NO_WAIT. @default true */
  limitWait?: boolean;
  /** With a store: a crashed process's concurrency slots come back after this. @default 60000 */
  leaseTtlMs?: number;
  /** Told whenever a call waits for a shared provider limit (the progress display says so). */
  onLimitWait?: (wait: LimitWait) => void;
}

/** Counters of one provider, for logs and the run record. */
export interface ProviderStats {
  attempts: number;
  successes: number;
  failures: number;
  retries: number;
  /** Calls that left this provider for the next one in their fallback list. */
  fallbacks: number;
  rateLimited: number;
  /** Current concurrency limit (moves when `adaptive`). */
  concurrency: number;
  circuit: CircuitStateName;
}

/** An LlmClient with usage accounting, e.g. one per step. */
export interface ScopedLlmClient extends LlmClient {
  usage(): UsageReport;
}

/** The provider layer as agents see it (`ctx.llm`), plus what the run record needs. */
export interface ProviderRouter extends ScopedLlmClient {
  readonly defaultProvider: string;
  breakerStates(): Record<string, CircuitStateName>;
  /** Whether `name` can take calls at all: configured and with its key (a provider without its key cannot). */
  usable(name: string): boolean;
  stats(): Record<string, ProviderStats>;
  /**
   * A client sharing this router's limits, breakers and totals, with its own usage report and spans under
   * `span`: give one to each step.
   */
  scope(options?: { span?: SpanHandle }): ScopedLlmClient;
}

interface Slot {
  name: string;
  adapter: ProviderAdapter;
  config: ProviderConfig;
  /** In this process: the (adaptive) concurrency, and the windows when there is no shared store. */
  limiter: RateLimiter;
  /** The windows and concurrency shared through the limit store, when there is one. */
  shared: SharedLimiter | undefined;
  breaker: ProviderCircuitBreaker;
  adaptive: AdaptiveConcurrency | undefined;
  stats: Omit<ProviderStats, 'concurrency' | 'circuit'>;
}

interface CallScope {
  span: SpanHandle | undefined;
  ledger: UsageLedger | undefined;
}

// Output tokens assumed when a request sets no maxTokens, for the token windows; corrected after the call.
const DEFAULT_OUTPUT_ESTIMATE = 512;
const DAY_MS = 86_400_000;

/**
 * Creates the provider router: for each call it picks a provider (the request's, else the default), waits
 * for that provider's rate limiter, calls it through its circuit breaker with the caller's signal and a
 * per-call timeout, retries retryable errors (honouring Retry-After), and falls back along the request's (or
 * the configuration's) fallback list when the provider is open, exhausted or still failing. The response
 * says which provider answered; tokens and cost are added up per provider.
 */
export function createProviderRouter(options: ProviderRouterOptions): ProviderRouter {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger;
  const { config } = options;
  const slots = new Map<string, Slot>();
  for (const adapter of options.adapters) {
    if (slots.has(adapter.name)) throw new UcopError('CONFIG_INVALID', `two provider adapters are named \`${adapter.name}\``, { fields: { provider: adapter.name } });
    slots.set(adapter.name, createSlot(adapter, config.providers.find((p) => p.name === adapter.name) ?? unconfigured(adapter), options, clock));
  }
  const defaultProvider = options.defaultProvider ?? (slots.has('offline') ? 'offline' : options.adapters[0]?.name);
  if (defaultProvider === undefined) throw new UcopError('CONFIG_INVALID', 'the provider router needs at least one adapter (the offline writer at least)');
  if (!slots.has(defaultProvider)) throw unavailable(defaultProvider, config, slots);
  const ledger = new UsageLedger();
  const warnedMissing = new Set<string>();

  function chainFor(request: LlmRequest): Slot[] {
    const primary = request.provider ?? defaultProvider!;
    const first = slots.get(primary);
    if (!first) throw unavailable(primary, config, slots);
    const chain = [first];
    for (const name of request.fallback ?? config.fallback) {
      const slot = slots.get(name);
      if (!slot) {
        if (!warnedMissing.has(name)) logger?.warn('fallback provider skipped: not available', { provider: name });
        warnedMissing.add(name);
      } else if (!chain.includes(slot)) {
        chain.push(slot);
      }
    }
    return chain;
  }

  async function generate(request: LlmRequest, signal: AbortSignal, scope: CallScope): Promise<LlmResponse> {
    if (signal.aborted) throw abortReason(signal);
    const chain = chainFor(request);
    const failures: { provider: string; error: UcopError }[] = [];
    const passedOn: LlmFallback[] = [];
    const waited = { ms: 0 };
    for (const [index, slot] of chain.entries()) {
      try {
        const response = await callProvider(slot, request, signal, scope, waited);
        if (waited.ms > 0) response.rateLimitWaitMs = waited.ms;
        if (index > 0) logger?.info('answered by a fallback provider', { provider: slot.name, after: failures.map((f) => `${f.provider}: ${f.error.code}`) });
        // The response says who failed it and why, so that the step's usage (and the run record) can.
        if (passedOn.length > 0) response.fallbacks = passedOn;
        return response;
      } catch (raw) {
        if (signal.aborted) throw abortReason(signal);
        const error = toUcopError(raw);
        if (!fallsBack(error)) throw error;
        failures.push({ provider: slot.name, error });
        if (index < chain.length - 1) {
          const next = chain[index + 1]!.name;
          slot.stats.fallbacks++;
          passedOn.push({ provider: slot.name, code: error.code, to: next });
          ledger.recordFallback(slot.name, next, error.code);
          scope.ledger?.recordFallback(slot.name, next, error.code);
          logger?.warn('provider failed, falling back', { provider: slot.name, code: error.code, next });
        }
      }
    }
    const last = failures.at(-1)!.error;
    if (failures.length === 1) throw last;
    throw new UcopError(last.code, `no provider could answer: ${failures.map((f) => `${f.provider}: ${f.error.message}`).join('; ')}`, {
      fields: { ...last.fields, tried: failures.map((f) => ({ provider: f.provider, code: f.error.code })) },
      retryable: last.retryable,
      cause: last,
    });
  }

  /** `waited` adds up this call's rate-limit waits (permits and retry delays), across fallbacks. */
  async function callProvider(slot: Slot, request: LlmRequest, signal: AbortSignal, scope: CallScope, waited: { ms: number }): Promise<LlmResponse> {
    const estimate = Math.ceil((request.prompt.length + (request.system?.length ?? 0)) / 4) + (request.maxTokens ?? DEFAULT_OUTPUT_ESTIMATE);
    for (let attempt = 1; ; attempt++) {
      // Do not queue for a rate slot only to be refused: fall back now.
      slot.breaker.ensureAvailable();
      const local = await slot.limiter.acquire({ tokens: estimate }, signal);
      let permit: RateLimitPermit = local;
      if (slot.shared) {
        try {
          permit = both(local, await slot.shared.acquire({ tokens: estimate }, signal));
        } catch (error) {
          local.cancel();
          throw error;
        }
      }
      waited.ms += permit.waitedMs;
      scope.ledger?.recordRateLimitWait(permit.waitedMs);
      const span = startSpan(scope, slot, attempt, request.stage?.key);
      const started = clock.now();
      slot.stats.attempts++;
      let sent = false;
      let delayMs: number;
      try {
        const result = await slot.breaker.execute((inner) => {
          sent = true;
          return callWithTimeout(slot, request, inner);
        }, signal);
        permit.release({ tokens: result.usage.inputTokens + result.usage.outputTokens });
        const latencyMs = clock.now() - started;
        adapt(slot, (a) => a.onSuccess(latencyMs));
        slot.stats.successes++;
        const response = respond(slot, result);
        ledger.record(slot.name, response.usage);
        scope.ledger?.record(slot.name, response.usage);
        span.setAttributes({ 'llm.outcome': 'ok', 'llm.input_tokens': response.usage.inputTokens, 'llm.output_tokens': response.usage.outputTokens, 'llm.cost_usd': response.usage.costUsd, 'llm.latency_ms': latencyMs });
        return response;
      } catch (raw) {
        if (sent) permit.release();
        else permit.cancel();
        span.recordError(raw);
        if (signal.aborted) {
          span.setAttributes({ 'llm.outcome': 'cancelled' });
          throw abortReason(signal);
        }
        const error = toUcopError(raw);
        span.setAttributes({ 'llm.outcome': 'error', 'llm.error_code': error.code });
        if (sent) slot.stats.failures++;
        if (error.code === 'PROVIDER_RATE_LIMITED') {
          slot.stats.rateLimited++;
          adapt(slot, (a) => a.onRateLimited());
          const retryAfterMs = error.fields.retryAfterMs;
          if (typeof retryAfterMs === 'number') slot.limiter.pauseUntil(clock.now() + retryAfterMs);
        } else if (sent) {
          adapt(slot, (a) => a.onOtherFailure());
        }
        const decision = decideRetry(error, attempt, config.retry, random);
        if (!decision.retry || slot.breaker.refusing) throw error;
        slot.stats.retries++;
        logger?.debug('retrying provider call', { provider: slot.name, attempt, code: error.code, delayMs: Math.round(decision.delayMs) });
        delayMs = decision.delayMs;
      } finally {
        span.end();
      }
      // Outside the attempt's span and after its permit is released: a backoff holds no concurrency slot.
      const sleptFrom = clock.now();
      await clock.sleep(delayMs, signal);
      waited.ms += clock.now() - sleptFrom;
      scope.ledger?.recordRateLimitWait(clock.now() - sleptFrom);
    }
  }

  // The adapter gets a signal that aborts on the caller's signal or when the provider's timeout passes; a
  // timeout becomes a retryable PROVIDER_UNAVAILABLE that counts against the provider's circuit.
  async function callWithTimeout(slot: Slot, request: LlmRequest, signal: AbortSignal): Promise<ProviderCallResult> {
    const timeout = new UcopError('PROVIDER_UNAVAILABLE', `${slot.name}: no answer within ${slot.config.timeoutMs} ms (timeout)`, {
      fields: { provider: slot.name, timeoutMs: slot.config.timeoutMs },
      retryable: true,
    });
    const timer = timeoutSignal(slot.config.timeoutMs, { clock, reason: () => timeout });
    const linked = linkSignals(signal, timer.signal);
    try {
      if (signal.aborted) throw abortReason(signal);
      return await slot.adapter.call(request, linked.signal);
    } catch (error) {
      if (linked.signal.reason === timeout && !signal.aborted) throw timeout;
      throw error;
    } finally {
      linked.dispose();
      timer.dispose();
    }
  }

  function adapt(slot: Slot, step: (a: AdaptiveConcurrency) => number): void {
    if (!slot.adaptive) return;
    const before = slot.limiter.concurrency;
    const after = step(slot.adaptive);
    if (after !== before) {
      slot.limiter.setConcurrency(after);
      logger?.debug('adaptive concurrency', { provider: slot.name, from: before, to: after });
    }
  }

  function respond(slot: Slot, result: ProviderCallResult): LlmResponse {
    const usage = { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens };
    const response: LlmResponse = { text: result.text, provider: slot.name, model: result.model, usage: { ...usage, costUsd: costOf(usage, slot.config.cost) }, offline: slot.adapter.offline };
    if ('object' in result) response.object = result.object;
    return response;
  }

  function startSpan(scope: CallScope, slot: Slot, attempt: number, stage: string | undefined): SpanHandle {
    const attributes = { 'llm.provider': slot.name, 'llm.model': slot.adapter.model, 'llm.attempt': attempt, ...(stage === undefined ? {} : { 'llm.stage': stage }) };
    const parent = scope.span ?? options.span;
    if (parent) return parent.child('llm.call', attributes);
    return options.tracer ? options.tracer.startRun('llm.call', attributes) : noopSpan;
  }

  const rootScope: CallScope = { span: undefined, ledger: undefined };
  // A span given with the call (the step attempt's) wins over the scope's and the router's own.
  const withCallSpan = (scope: CallScope, callOptions: LlmCallOptions | undefined): CallScope => (callOptions?.span ? { ...scope, span: callOptions.span } : scope);
  return {
    defaultProvider,
    generate: (request, signal, callOptions) => generate(request, signal, withCallSpan(rootScope, callOptions)),
    usage: () => ledger.report(),
    breakerStates: () => Object.fromEntries([...slots].map(([name, slot]) => [name, slot.breaker.state])),
    usable: (name) => slots.has(name),
    stats: () => Object.fromEntries([...slots].map(([name, slot]) => [name, { ...slot.stats, concurrency: slot.limiter.concurrency, circuit: slot.breaker.state }])),
    scope: (scopeOptions = {}) => {
      const scope: CallScope = { span: scopeOptions.span, ledger: new UsageLedger() };
      return { generate: (request, signal, callOptions) => generate(request, signal, withCallSpan(scope, callOptions)), usage: () => scope.ledger!.report() };
    },
  };
}

// The local permit and the shared one, released together.
function both(local: RateLimitPermit, shared: SharedLimitPermit): RateLimitPermit {
  return {
    waitedMs: local.waitedMs + shared.waitedMs,
    release: (actual) => {
      local.release(actual);
      void shared.release(actual);
    },
    cancel: () => {
      local.cancel();
      void shared.cancel();
    },
  };
}

// Open circuits and used-up quotas always move on; so does a retryable failure once its retries are spent.
// A non-retryable error (400, 401, 404: our request or our key is wrong) is raised as it is, because another
// provider answering would hide a mistake the user has to fix.
function fallsBack(error: UcopError): boolean {
  return error.code === 'PROVIDER_CIRCUIT_OPEN' || error.code === 'PROVIDER_QUOTA_EXHAUSTED' || error.retryable;
}

function createSlot(adapter: ProviderAdapter, providerConfig: ProviderConfig, options: ProviderRouterOptions, clock: Clock): Slot {
  const { limits } = providerConfig;
  const windows: SlidingWindowSpec[] = [];
  if (limits.rpm !== undefined) windows.push({ name: 'rpm', limit: limits.rpm, windowMs: limits.windowMs, measure: 'requests' });
  if (limits.tpm !== undefined) windows.push({ name: 'tpm', limit: limits.tpm, windowMs: limits.windowMs, measure: 'tokens' });
  if (limits.rpd !== undefined) windows.push({ name: 'rpd', limit: limits.rpd, windowMs: DAY_MS, measure: 'requests', failWhenFull: true });
  const adaptive = limits.adaptive && limits.concurrency !== undefined ? new AdaptiveConcurrency({ max: limits.concurrency }) : undefined;
  const logger = options.logger;
  // With a store, the windows and the configured concurrency are shared by every process; this process keeps
  // only the adaptive concurrency (its own reaction to 429s and latency) and Retry-After pauses.
  const store = options.limitStore;
  const sharing = store !== undefined && (windows.length > 0 || limits.concurrency !== undefined);
  const shared = sharing
    ? new SharedLimiter({
        store,
        spec: { key: `provider:${adapter.name}`, windows, ...(limits.concurrency === undefined ? {} : { concurrency: limits.concurrency }) },
        // Times in a shared store must mean the same in every process.
        clock: options.clock ?? epochClock,
        wait: options.limitWait ?? true,
        ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
        ...(options.onLimitWait ? { onWait: options.onLimitWait } : {}),
        ...(logger ? { logger } : {}),
      })
    : undefined;
  const localConcurrency = sharing ? (adaptive ? limits.concurrency : undefined) : limits.concurrency;
  return {
    name: adapter.name,
    adapter,
    config: providerConfig,
    shared,
    limiter: new RateLimiter({ name: adapter.name, clock, windows: sharing ? [] : windows, ...(localConcurrency === undefined ? {} : { concurrency: localConcurrency }) }),
    breaker: new ProviderCircuitBreaker(adapter.name, {
      clock,
      failureThreshold: options.config.breaker.failureThreshold,
      halfOpenAfterMs: options.config.breaker.halfOpenAfterMs,
      onStateChange: (state) => logger?.info('provider circuit', { provider: adapter.name, state }),
    }),
    adaptive,
    stats: { attempts: 0, successes: 0, failures: 0, retries: 0, fallbacks: 0, rateLimited: 0 },
  };
}

// An adapter with no entry in providers.yaml (the offline writer when the file has none): no limits, free.
function unconfigured(adapter: ProviderAdapter): ProviderConfig {
  return {
    name: adapter.name,
    kind: adapter.offline ? 'offline' : 'openai-compatible',
    model: adapter.model,
    limits: { adaptive: false, windowMs: 60_000 },
    cost: { inputPerMtok: 0, outputPerMtok: 0 },
    timeoutMs: 60_000,
  };
}

function unavailable(name: string, config: ProvidersConfig, slots: Map<string, Slot>): UcopError {
  const configured = config.providers.find((p) => p.name === name);
  const available = [...slots.keys()].join(', ');
  if (configured?.apiKeyEnv !== undefined) {
    return new UcopError('CONFIG_INVALID', `provider \`${name}\` is configured but not available: set ${configured.apiKeyEnv} (available: ${available})`, {
      fields: { provider: name, apiKeyEnv: configured.apiKeyEnv, available: [...slots.keys()] },
    });
  }
  return new UcopError('CONFIG_INVALID', `unknown provider \`${name}\` (available: ${available})`, { fields: { provider: name, available: [...slots.keys()] } });
}

