import { describe, it, expect } from 'vitest';
import { computeBackoffMs } from './backoff.ts';
import type { RetryPolicySettings } from '../plan/plan-types.ts';

const exp: RetryPolicySettings = { attempts: 10, backoff: 'exponential', delayMs: 1000, maxDelayMs: 30_000 };
const fixed: RetryPolicySettings = { ...exp, backoff: 'fixed' };

describe('computeBackoffMs', () => {
  it('doubles the delay per attempt, with equal jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((a) => computeBackoffMs(exp, a, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => computeBackoffMs(exp, a, () => 0.5))).toEqual([750, 1500, 3000, 6000]);
    expect([1, 2, 3, 4].map((a) => computeBackoffMs(exp, a, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps at maxDelayMs, also for huge attempt numbers', () => {
    expect(computeBackoffMs(exp, 6, () => 1)).toBe(30_000); // 32 s capped
    expect(computeBackoffMs(exp, 6, () => 0)).toBe(15_000);
    expect(computeBackoffMs(exp, 5000, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(Number.isFinite(computeBackoffMs(exp, 5000))).toBe(true);
  });

  it('keeps the delay constant with fixed backoff', () => {
    // No jitter: the same delay whatever the random source draws.
    for (const r of [0, 0.5, 0.999]) expect([1, 2, 5].map((a) => computeBackoffMs(fixed, a, () => r))).toEqual([1000, 1000, 1000]);
    expect(computeBackoffMs({ ...fixed, maxDelayMs: 400 }, 1, () => 0)).toBe(400);
  });

  it('returns 0 for a zero delay and never draws out of range', () => {
    expect(computeBackoffMs({ ...exp, delayMs: 0 }, 3)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const ms = computeBackoffMs(exp, 3);
      expect(ms).toBeGreaterThanOrEqual(2000);
      expect(ms).toBeLessThanOrEqual(4000);
    }
  });
});
