import { computeBackoffMs } from '@ucop/core';
import type { UcopError } from '@ucop/core';
import type { RetrySettings } from './provider-config.ts';

/** Whether to try the same provider again after `error`, and after how long. */
export type RetryDecision = { retry: true; delayMs: number; retryAfter: boolean } | { retry: false; reason: string };

/**
 * The router's retry rule for one provider. Retryable errors are retried with the engine's exponential
 * backoff with equal jitter (core's `computeBackoffMs`), up to `maxAttempts`.
 *
 * A rule rather than cockatiel's retry policy because each attempt must go back through the rate limiter and
 * the circuit breaker, a refused circuit must end the retries in favour of the next provider, and the waits
 * must run on the injected Clock; the loop that does this is in provider-router.ts and stays short.
 * A 429's Retry-After replaces the backoff (the server knows better), unless it is longer than
 * `maxRetryAfterMs`: then waiting is worse than falling back. An open circuit or an exhausted quota is not
 * retried here: the next provider is.
 * @param attempt the attempt that just failed, 1-based.
 * @param random in [0, 1). @default Math.random
 */
export function decideRetry(error: UcopError, attempt: number, settings: RetrySettings, random: () => number = Math.random): RetryDecision {
  if (!error.retryable) return { retry: false, reason: 'not retryable' };
  if (error.code === 'PROVIDER_CIRCUIT_OPEN' || error.code === 'PROVIDER_QUOTA_EXHAUSTED') return { retry: false, reason: error.code };
  if (attempt >= settings.maxAttempts) return { retry: false, reason: `${attempt} attempts made` };
  const retryAfterMs = error.fields.retryAfterMs;
  if (error.code === 'PROVIDER_RATE_LIMITED' && typeof retryAfterMs === 'number') {
    if (retryAfterMs > settings.maxRetryAfterMs) return { retry: false, reason: `Retry-After of ${retryAfterMs} ms is longer than max_retry_after` };
    return { retry: true, delayMs: retryAfterMs, retryAfter: true };
  }
  const delayMs = computeBackoffMs({ attempts: settings.maxAttempts, backoff: 'exponential', delayMs: settings.initialDelayMs, maxDelayMs: settings.maxDelayMs }, attempt, random);
  return { retry: true, delayMs, retryAfter: false };
}
