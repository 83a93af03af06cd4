import { percentile } from './backpressure.ts';

/** What a stage's model calls did, for `run.json` (`stages`) and the trace. */
export interface StageMetricsReport {
  /** Model calls made for the stage (a batch counts once). */
  requests: number;
  errors: number;
  errorRate: number;
  /** Errors by code: every kind counts (HTTP, 429, timeouts, unreadable answers, open circuits). */
  errorsByCode: Record<string, number>;
  latencyMs: { p50: number; p95: number };
  /** Calls answered per provider. */
  providers: Record<string, number>;
  /** The rotation strategy, when the stage has `providers:`. */
  strategy?: string;
  /** Waits for rate limits (stage and provider, shared or not), by limit. */
  rateLimitWaits: { count: number; totalMs: number; byLimit: Record<string, { count: number; totalMs: number }> };
  breakerTransitions: { atMs: number; provider: string; state: string }[];
  /** Target and active workers (and queued calls) over time: every change of the target. */
  workers?: { atMs: number; target: number; active: number; queued: number; errorRate?: number; p95Ms?: number }[];
  /** Batching: how many requests went in how many calls. */
  batches?: { calls: number; requests: number };
}

// Latencies kept for the percentiles: a stage of a million calls keeps a uniform sample of this many.
const LATENCY_SAMPLE = 10_000;

/** Collects one stage's figures. Times are milliseconds since the stage's clock origin. */
export class StageMetrics {
  #requests = 0;
  #errors = 0;
  readonly #errorsByCode: Record<string, number> = {};
  readonly #latencies: number[] = [];
  #seen = 0;
  readonly #providers: Record<string, number> = {};
  readonly #waits: StageMetricsReport['rateLimitWaits'] = { count: 0, totalMs: 0, byLimit: {} };
  readonly #transitions: StageMetricsReport['breakerTransitions'] = [];
  #workers: NonNullable<StageMetricsReport['workers']> | undefined;
  #batches: StageMetricsReport['batches'];
  strategy: string | undefined;

  call(outcome: { ok: boolean; latencyMs: number; provider?: string; code?: string }): void {
    this.#requests++;
    if (!outcome.ok) {
      this.#errors++;
      const code = outcome.code ?? 'UNKNOWN';
      this.#errorsByCode[code] = (this.#errorsByCode[code] ?? 0) + 1;
    } else if (outcome.provider !== undefined) {
      this.#providers[outcome.provider] = (this.#providers[outcome.provider] ?? 0) + 1;
    }
    this.#seen++;
    if (this.#latencies.length < LATENCY_SAMPLE) this.#latencies.push(outcome.latencyMs);
    else {
      // Reservoir sampling, deterministic enough for figures: replace by position.
      const slot = this.#seen % LATENCY_SAMPLE;
      this.#latencies[slot] = outcome.latencyMs;
    }
  }

  wait(limit: string, ms: number): void {
    this.#waits.count++;
    this.#waits.totalMs += ms;
    const entry = (this.#waits.byLimit[limit] ??= { count: 0, totalMs: 0 });
    entry.count++;
    entry.totalMs += ms;
  }

  breaker(atMs: number, provider: string, state: string): void {
    this.#transitions.push({ atMs, provider, state });
  }

  workers(point: NonNullable<StageMetricsReport['workers']>[number]): void {
    (this.#workers ??= []).push(point);
  }

  batch(size: number): void {
    this.#batches ??= { calls: 0, requests: 0 };
    this.#batches.calls++;
    this.#batches.requests += size;
  }

  report(): StageMetricsReport {
    const report: StageMetricsReport = {
      requests: this.#requests,
      errors: this.#errors,
      errorRate: this.#requests === 0 ? 0 : this.#errors / this.#requests,
      errorsByCode: { ...this.#errorsByCode },
      latencyMs: { p50: percentile(this.#latencies, 0.5), p95: percentile(this.#latencies, 0.95) },
      providers: { ...this.#providers },
      rateLimitWaits: structuredClone(this.#waits),
      breakerTransitions: [...this.#transitions],
    };
    if (this.strategy !== undefined) report.strategy = this.strategy;
    if (this.#workers) report.workers = [...this.#workers];
    if (this.#batches) report.batches = { ...this.#batches };
    return report;
  }
}
