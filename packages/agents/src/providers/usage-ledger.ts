import type { ProviderCost } from './provider-config.ts';

/** Token use and cost of one provider (the shape of the run record's `usage.byProvider`). */
export interface ProviderUsage {
  /** Answered calls. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Token use and cost of a run or a step, in total and per provider (the run record's `usage`). */
export interface UsageReport extends ProviderUsage {
  byProvider: Record<string, ProviderUsage>;
}

/** USD for a call's tokens at a provider's prices (per million tokens). */
export function costOf(usage: { inputTokens: number; outputTokens: number }, cost: ProviderCost): number {
  return (usage.inputTokens * cost.inputPerMtok + usage.outputTokens * cost.outputPerMtok) / 1_000_000;
}

/** Adds up usage per provider. */
export class UsageLedger {
  readonly #byProvider = new Map<string, ProviderUsage>();

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
    return report;
  }
}
