import type { WorkersPolicy } from './stage-policy.ts';

/** One finished call, as backpressure counts it. */
export interface CallOutcome {
  /** False for every error kind: HTTP errors, 429s, timeouts, unreadable answers, open circuits. */
  ok: boolean;
  latencyMs: number;
}

/** A change of the target number of workers, and why. */
export interface WorkersDecision {
  from: number;
  to: number;
  errorRate: number;
  p95Ms: number;
}

/**
 * The target number of workers (calls in flight) of a stage, moved by what its calls do — the rule the
 * backlog system used: after every `sample` calls, shrink by `shrinkBy` (25%) when the error rate is above
 * `shrinkErrorRate` (20%) or the p95 latency above `shrinkLatencyMs` (30 s); grow by `growBy` (33%) when the
 * error rate is below `growErrorRate` (5%) and the p95 latency below `growLatencyMs` (5 s); always between
 * `min` and `max`, and by at least one worker when it moves. Starts at `max`.
 */
export class Backpressure {
  readonly #policy: WorkersPolicy;
  #target: number;
  #window: CallOutcome[] = [];

  constructor(policy: WorkersPolicy) {
    this.#policy = policy;
    this.#target = policy.max;
  }

  get target(): number {
    return this.#target;
  }

  /** Counts one call; returns the decision when this call completed a sample and the target moved. */
  record(outcome: CallOutcome): WorkersDecision | undefined {
    this.#window.push(outcome);
    if (this.#window.length < this.#policy.sample) return undefined;
    const sample = this.#window;
    this.#window = [];
    const errorRate = sample.filter((o) => !o.ok).length / sample.length;
    const p95Ms = percentile(sample.map((o) => o.latencyMs), 0.95);
    const p = this.#policy;
    const from = this.#target;
    let to = from;
    if (errorRate > p.shrinkErrorRate || p95Ms > p.shrinkLatencyMs) {
      to = Math.max(p.min, Math.min(from - 1, Math.floor(from * (1 - p.shrinkBy))));
    } else if (errorRate < p.growErrorRate && p95Ms < p.growLatencyMs) {
      to = Math.min(p.max, Math.max(from + 1, Math.ceil(from * (1 + p.growBy))));
    }
    if (to === from) return undefined;
    this.#target = to;
    return { from, to, errorRate, p95Ms };
  }
}

/** The `q` quantile (0..1) by nearest rank; 0 for no values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
