import type { ProviderCost } from './provider-config.ts';

/** Token use and cost of one provider (the shape of the run record's `usage.byProvider`). */
export interface ProviderUsage {
  /** Answered calls. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Calls that a provider failed with one error code and passed on to the next provider, counted. */
export interface FallbackUsage {
  /** The provider that failed. */
  from: string;
  /** The provider the calls went to next. */
  to: string;
  /** The error code it failed with, e.g. PROVIDER_UNAVAILABLE (unreachable, timeout), PROVIDER_HTTP (401). */
  code: string;
  count: number;
}

/** Token use and cost of a run or a step, in total and per provider (the run record's `usage`). */
export interface UsageReport extends ProviderUsage {
  byProvider: Record<string, ProviderUsage>;
  /** Who failed calls and passed them on, and why, in the order first seen; absent when no call fell back. */
  fallbacks?: FallbackUsage[];
  /** ms spent waiting on rate limits (for a permit, or out a provider's retry delay): waiting, not work. Absent when none. */
  rateLimitWaitMs?: number;
}

/** USD for a call's tokens at a provider's prices (per million tokens). */
export function costOf(usage: { inputTokens: number; outputTokens: number }, cost: ProviderCost): number {
  return (usage.inputTokens * cost.inputPerMtok + usage.outputTokens * cost.outputPerMtok) / 1_000_000;
}

/** Adds up usage per provider. */
export class UsageLedger {
  readonly #byProvider = new Map<string, ProviderUsage>();
  readonly #fallbacks: FallbackUsage[] = [];
  #rateLimitWaitMs = 0;

  /** Time spent waiting on a rate limit rather than working. */
  recordRateLimitWait(ms: number): void {
    if (ms > 0) this.#rateLimitWaitMs += ms;
  }

  /** A call that `from` failed with `code` and passed to `to` (counted whether or not `to` then answered). */
  recordFallback(from: string, to: string, code: string): void {
    const entry = this.#fallbacks.find((f) => f.from === from && f.to === to && f.code === code);
    if (entry) entry.count++;
    else this.#fallbacks.push({ from, to, code, count: 1 });
  }

  record(provider: string, usage: { inputTokens: number; outputTokens: number; costUsd: number }): void {
    const entry = this.#byProvider.get(provider) ?? { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    entry.calls++;
    entry.inputTokens += usage.inputTokens;
    entry.outputTokens += usage.outputTokens;
    entry.costUsd += usage.costUsd;
    this.#byProvider.set(provider, entry);
  }

  /** A copy: later calls do not change a report already taken. */
  report(): UsageReport {
    const report: UsageReport = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, byProvider: {} };
    for (const [name, usage] of [...this.#byProvider].sort(([a], [b]) => a.localeCompare(b))) {
      report.byProvider[name] = { ...usage };
      report.calls += usage.calls;
      report.inputTokens += usage.inputTokens;
      report.outputTokens += usage.outputTokens;
      report.costUsd += usage.costUsd;
    }
    if (this.#fallbacks.length > 0) report.fallbacks = this.#fallbacks.map((f) => ({ ...f }));
    if (this.#rateLimitWaitMs > 0) report.rateLimitWaitMs = this.#rateLimitWaitMs;
    return report;
  }
}
