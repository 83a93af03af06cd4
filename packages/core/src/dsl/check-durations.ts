import type { CheckContext } from './check-context.ts';
import { durationDiagnostic } from './duration-diagnostic.ts';
import { GUARD_DURATIONS } from './guard-durations.ts';
import type { DocPath } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';

const CONFIG_DURATIONS = ['timeout', 'step_timeout', 'no_progress_timeout', 'cancel_grace'];
const STEP_DURATIONS = ['timeout', 'estimate'];
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
  for (const [id, step] of Object.entries(ctx.doc.steps)) {
    const raw = step as unknown as Record<string, unknown>;
    for (const key of STEP_DURATIONS) check(raw[key], ['steps', id, key], key === 'timeout' ? GUARD_DURATIONS.step_timeout : undefined);
    if (isRecord(raw.retry)) for (const key of RETRY_DURATIONS) check(raw.retry[key], ['steps', id, 'retry', key]);
    checkPolicyDurations(raw, ['steps', id], check);
  }
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
