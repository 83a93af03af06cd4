import { UcopError, parseDuration } from '@ucop/core';
import type { ProviderStrategyName, StagePolicySpec } from '@ucop/core';
import type { SharedWindowSpec } from '../limits/shared-limit-store.ts';

/** A stage's policies with durations resolved and defaults applied: what the stage layer runs on. */
export interface StagePolicy {
  rateLimit?: { windows: SharedWindowSpec[]; concurrency?: number };
  breaker?: { failureThreshold?: number; halfOpenAfterMs?: number };
  providers?: { use: string[]; strategy: ProviderStrategyName };
  batch?: { size: number; maxWaitMs: number };
  workers?: WorkersPolicy;
}

/** `workers:` resolved. */
export interface WorkersPolicy {
  min: number;
  max: number;
  shrinkErrorRate: number;
  shrinkLatencyMs: number;
  growErrorRate: number;
  growLatencyMs: number;
  shrinkBy: number;
  growBy: number;
  /** Calls observed between two decisions. */
  sample: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Resolves a stage's policy: the configuration's `stages:` entry for it, overridden key by key (`rate_limit`,
 * `breaker`, ...) by the step's own. Durations are parsed here.
 * @throws UcopError BAD_DURATION, CONFIG_INVALID (a budget with both or neither of requests and tokens,
 *   workers.min above workers.max)
 */
export function resolveStagePolicy(key: string, fromConfig: StagePolicySpec | undefined, fromStep: StagePolicySpec | undefined): StagePolicy {
  const spec: StagePolicySpec = { ...fromConfig, ...fromStep };
  const policy: StagePolicy = {};
  const where = (what: string): string => `stage ${key}: ${what}`;
  if (spec.rate_limit) {
    const r = spec.rate_limit;
    const windowMs = r.window === undefined ? MINUTE : duration(r.window);
    const windows: SharedWindowSpec[] = [];
    if (r.rpm !== undefined) windows.push({ name: 'rpm', limit: r.rpm, windowMs, measure: 'requests' });
    if (r.tpm !== undefined) windows.push({ name: 'tpm', limit: r.tpm, windowMs, measure: 'tokens' });
    if (r.rpd !== undefined) windows.push({ name: 'rpd', limit: r.rpd, windowMs: DAY, measure: 'requests', failWhenFull: true });
    for (const budget of r.budgets ?? []) {
      if ((budget.requests === undefined) === (budget.tokens === undefined)) {
        throw new UcopError('CONFIG_INVALID', where(`a budget needs exactly one of \`requests\` and \`tokens\` (per ${budget.per})`), { fields: { stage: key } });
      }
      const amount = budget.requests ?? budget.tokens!;
      windows.push({
        name: `${amount}${budget.tokens === undefined ? '' : ' tokens'}/${budget.per}`,
        limit: amount,
        windowMs: duration(budget.per),
        measure: budget.tokens === undefined ? 'requests' : 'tokens',
        failWhenFull: budget.on_full === 'fail',
      });
    }
    policy.rateLimit = { windows, ...(r.concurrency === undefined ? {} : { concurrency: r.concurrency }) };
  }
  if (spec.breaker) {
    policy.breaker = {
      ...(spec.breaker.failure_threshold === undefined ? {} : { failureThreshold: spec.breaker.failure_threshold }),
      ...(spec.breaker.half_open_after === undefined ? {} : { halfOpenAfterMs: duration(spec.breaker.half_open_after) }),
    };
  }
  if (spec.providers) {
    policy.providers = Array.isArray(spec.providers) ? { use: [...spec.providers], strategy: 'fallback' } : { use: [...spec.providers.use], strategy: spec.providers.strategy ?? 'fallback' };
  }
  if (spec.batch) policy.batch = { size: spec.batch.size, maxWaitMs: spec.batch.max_wait === undefined ? 200 : duration(spec.batch.max_wait) };
  if (spec.workers) {
    const w = spec.workers;
    if (w.min > w.max) throw new UcopError('CONFIG_INVALID', where(`workers.min (${w.min}) is above workers.max (${w.max})`), { fields: { stage: key } });
    policy.workers = {
      min: w.min,
      max: w.max,
      shrinkErrorRate: w.shrink_error_rate ?? 0.2,
      shrinkLatencyMs: w.shrink_latency === undefined ? 30_000 : duration(w.shrink_latency),
      growErrorRate: w.grow_error_rate ?? 0.05,
      growLatencyMs: w.grow_latency === undefined ? 5_000 : duration(w.grow_latency),
      shrinkBy: w.shrink_by ?? 0.25,
      growBy: w.grow_by ?? 0.33,
      sample: w.sample ?? 10,
    };
  }
  return policy;
}

function duration(value: string | number): number {
  return typeof value === 'number' ? value : parseDuration(value);
}

/** True when the policy asks the stage layer for anything. */
export function isEmptyPolicy(policy: StagePolicy): boolean {
  return !policy.rateLimit && !policy.breaker && !policy.providers && !policy.batch && !policy.workers;
}
