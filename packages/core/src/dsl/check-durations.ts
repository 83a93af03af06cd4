import type { CheckContext } from './check-context.ts';
import { durationDiagnostic } from './duration-diagnostic.ts';
import { GUARD_DURATIONS } from './guard-durations.ts';
import type { DocPath } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';
import { memoizedDuration } from './duration-memo.ts';

const CONFIG_DURATIONS = ['timeout', 'step_timeout', 'no_progress_timeout', 'cancel_grace'];
const RETRY_DURATIONS = ['delay', 'max_delay'];

/**
 * BAD_DURATION: every duration of the workflow (config, steps, retries, per-stage policies) parses, and those that arm a guard
 * (`config.timeout`, `config.step_timeout`, `config.no_progress_timeout`, a step's `timeout`) are above 0.
 */
export function checkDurations(ctx: CheckContext): void {
  const check = (value: unknown, path: DocPath, guard?: string) => {
    const diagnostic = durationDiagnostic(value, path, ctx.sourceMap, guard);
    if (diagnostic) ctx.diagnostics.push(diagnostic);
  };
  const config = ctx.doc.config as Record<string, unknown>;
  for (const key of CONFIG_DURATIONS) check(config[key], ['config', key], GUARD_DURATIONS[key]);
  if (isRecord(config.retry)) for (const key of RETRY_DURATIONS) check(config.retry[key], ['config', 'retry', key]);
  const { ids, specs } = stepList(ctx.doc);
  for (let i = 0; i < ids.length; i += 1) {
    const raw = specs[i] as unknown as Record<string, unknown>;
    // A valid duration (the usual case) costs a lookup in a small memo, no path and no diagnostic.
    if (raw.timeout !== undefined && !isGoodDuration(raw.timeout, true)) check(raw.timeout, ['steps', ids[i]!, 'timeout'], GUARD_DURATIONS.step_timeout);
    if (raw.estimate !== undefined && !isGoodDuration(raw.estimate, false)) check(raw.estimate, ['steps', ids[i]!, 'estimate']);
    if (raw.retry !== undefined && isRecord(raw.retry)) for (const key of RETRY_DURATIONS) check(raw.retry[key], ['steps', ids[i]!, 'retry', key]);
    if (mayHavePolicy(raw)) checkPolicyDurations(raw, ['steps', ids[i]!], check);
  }
}

/** A string that parses (and, for a guard, is above 0): what needs no diagnostic. */
function isGoodDuration(value: unknown, guard: boolean): boolean {
  if (typeof value !== 'string') return false;
  const ms = memoizedDuration(value);
  return ms !== undefined && (!guard || ms > 0);
}

function mayHavePolicy(step: Record<string, unknown>): boolean {
  return step.rate_limit !== undefined || step.breaker !== undefined || step.batch !== undefined || step.workers !== undefined;
}

// The durations of the per-stage policy keys (agents/stage-policy.ts), so that `per: 1 hour` is reported by
// validate rather than by the step's first model call.
const POLICY_DURATIONS: readonly (readonly [string, string])[] = [
  ['rate_limit', 'window'],
  ['breaker', 'half_open_after'],
  ['batch', 'max_wait'],
  ['workers', 'shrink_latency'],
  ['workers', 'grow_latency'],
];

function checkPolicyDurations(step: Record<string, unknown>, base: DocPath, check: (value: unknown, path: DocPath) => void): void {
  for (const [key, field] of POLICY_DURATIONS) {
    const policy = step[key];
    if (isRecord(policy)) check(policy[field], [...base, key, field]);
  }
  const rateLimit = step.rate_limit;
  if (isRecord(rateLimit) && Array.isArray(rateLimit.budgets)) {
    rateLimit.budgets.forEach((budget, i) => {
      if (isRecord(budget)) check(budget.per, [...base, 'rate_limit', 'budgets', i, 'per']);
    });
  }
}
