import type { UcopError } from '@ucop/core';
import type { RetrySettings } from './provider-config.ts';

/** Whether to try the same provider again after `error`, and after how long. */
export type RetryDecision = { retry: true; delayMs: number; retryAfter: boolean } | { retry: false; reason: string };

/**
 * The router's retry rule for one provider. Retryable errors are retried with exponential backoff and
 * "equal jitter" (half fixed, half random, so callers that failed together do not retry together), up to
 * `maxAttempts`. A 429's Retry-After replaces the backoff (the server knows better), unless it is longer than
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
  const base = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
  return { retry: true, delayMs: base / 2 + random() * (base / 2), retryAfter: false };
}
