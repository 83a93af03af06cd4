import type { RetryPolicySettings } from '../plan/plan-types.ts';

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next one.
 *
 * `fixed`: exactly `delayMs` (capped at `maxDelayMs`) every time, as the workflow reference promises: whoever
 * picks fixed wants a predictable wait (polling a resource that becomes ready at a known pace).
 *
 * `exponential`: the base delay is `delayMs * 2^(attempt-1)`, capped at `maxDelayMs`. "Equal jitter" then
 * keeps half of it fixed and draws the other half at random, so that many steps failing together (a rate
 * limit, an outage) do not all retry at the same instant, while each wait still grows with the attempt
 * number. The result lies in `[base/2, base]`, never above `maxDelayMs`.
 *
 * @param random a source of numbers in [0, 1); tests pass a fixed one. @default Math.random
 * @example computeBackoffMs({ attempts: 5, backoff: 'exponential', delayMs: 1000, maxDelayMs: 30_000 }, 3, () => 0.5) // 3000
 */
export function computeBackoffMs(retry: RetryPolicySettings, attempt: number, random: () => number = Math.random): number {
  const delay = Math.max(0, retry.delayMs);
  const cap = Math.max(0, retry.maxDelayMs);
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2 ** exponent overflows to Infinity for huge attempt numbers, which Math.min then caps.
  const raw = retry.backoff === 'exponential' ? delay * 2 ** exponent : delay;
  const base = Math.min(cap, raw);
  if (base === 0) return 0;
  if (retry.backoff === 'fixed') return Math.round(base);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base / 2 + (base / 2) * r);
}
