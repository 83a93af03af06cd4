import { describe, it, expect } from 'vitest';
import { UcopError } from '@ucop/core';
import { decideRetry } from './retry-delay.ts';
import { DEFAULT_RETRY } from './provider-config.ts';

const settings = { ...DEFAULT_RETRY, maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 5000 };
const err = (code: 'PROVIDER_HTTP' | 'PROVIDER_RATE_LIMITED' | 'PROVIDER_CIRCUIT_OPEN' | 'PROVIDER_QUOTA_EXHAUSTED', retryable: boolean, fields = {}) => new UcopError(code, code, { retryable, fields });

describe('decideRetry', () => {
  it('backs off exponentially with equal jitter, capped at max_delay', () => {
    const delays = [1, 2, 3].map((attempt) => decideRetry(err('PROVIDER_HTTP', true), attempt, settings, () => 0.999));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([100, 200, 300]);
    expect(decideRetry(err('PROVIDER_HTTP', true), 1, settings, () => 0)).toMatchObject({ retry: true, delayMs: 50 });
  });

  it('waits exactly the Retry-After of a 429, unless it is longer than max_retry_after', () => {
    expect(decideRetry(err('PROVIDER_RATE_LIMITED', true, { retryAfterMs: 1234 }), 1, settings)).toEqual({ retry: true, delayMs: 1234, retryAfter: true });
    expect(decideRetry(err('PROVIDER_RATE_LIMITED', true, { retryAfterMs: 5001 }), 1, settings).retry).toBe(false);
  });

  it('stops for non-retryable errors, open circuits, used-up quotas and the last attempt', () => {
    expect(decideRetry(err('PROVIDER_HTTP', false), 1, settings).retry).toBe(false);
    expect(decideRetry(err('PROVIDER_CIRCUIT_OPEN', true), 1, settings).retry).toBe(false);
    expect(decideRetry(err('PROVIDER_QUOTA_EXHAUSTED', true), 1, settings).retry).toBe(false);
    expect(decideRetry(err('PROVIDER_HTTP', true), 4, settings).retry).toBe(false);
    expect(decideRetry(err('PROVIDER_HTTP', true), 3, settings).retry).toBe(true);
  });
});
