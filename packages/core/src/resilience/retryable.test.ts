import { describe, it, expect } from 'vitest';
import { isRetryable } from './retryable.ts';
import { UcopError } from '../errors/ucop-error.ts';

describe('isRetryable', () => {
  it('follows the retryable flag of a UcopError', () => {
    expect(isRetryable(new UcopError('PROVIDER_RATE_LIMITED', 'slow down', { retryable: true }))).toBe(true);
    expect(isRetryable(new UcopError('AGENT_ERROR', 'bad input'))).toBe(false);
  });

  it('retries step timeouts even without the flag', () => {
    expect(isRetryable(new UcopError('STEP_TIMEOUT', 'timed out'))).toBe(true);
  });

  it('never retries a run cancellation or deadline', () => {
    expect(isRetryable(new UcopError('RUN_CANCELLED', 'cancelled', { retryable: true }))).toBe(false);
    expect(isRetryable(new UcopError('RUN_TIMEOUT', 'deadline', { retryable: true }))).toBe(false);
  });

  it('does not retry plain errors or AbortErrors', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isRetryable(controller.signal.reason)).toBe(false);
    expect(isRetryable(new Error('retryable please'))).toBe(false);
    expect(isRetryable('text')).toBe(false);
  });
});
