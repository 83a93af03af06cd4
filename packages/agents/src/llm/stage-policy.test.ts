import { describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { Backpressure, percentile } from './backpressure.ts';
import { resolveStagePolicy } from './stage-policy.ts';

describe('resolveStagePolicy', () => {
  it('resolves windows, budgets and defaults; the step key replaces the configuration key of the same name', () => {
    const policy = resolveStagePolicy(
      'wf/s',
      { rate_limit: { rpm: 1 }, breaker: { failure_threshold: 9 } },
      { rate_limit: { rpm: 60, rpd: 1000, tpm: 900, window: '10s', concurrency: 5, budgets: [{ requests: 100, per: '1h' }, { tokens: 500, per: '10m', on_full: 'fail' }] }, workers: { min: 1, max: 4 } },
    );
    expect(policy.rateLimit).toEqual({
      concurrency: 5,
      windows: [
        { name: 'rpm', limit: 60, windowMs: 10_000, measure: 'requests' },
        { name: 'tpm', limit: 900, windowMs: 10_000, measure: 'tokens' },
        { name: 'rpd', limit: 1000, windowMs: 86_400_000, measure: 'requests', failWhenFull: true },
        { name: '100/1h', limit: 100, windowMs: 3_600_000, measure: 'requests', failWhenFull: false },
        { name: '500 tokens/10m', limit: 500, windowMs: 600_000, measure: 'tokens', failWhenFull: true },
      ],
    });
    expect(policy.breaker).toEqual({ failureThreshold: 9 });
    expect(policy.workers).toEqual({ min: 1, max: 4, shrinkErrorRate: 0.2, shrinkLatencyMs: 30_000, growErrorRate: 0.05, growLatencyMs: 5_000, shrinkBy: 0.25, growBy: 0.33, sample: 10 });
  });

  it('a list of providers means the fallback strategy', () => {
    expect(resolveStagePolicy('k', undefined, { providers: ['a', 'b'] }).providers).toEqual({ use: ['a', 'b'], strategy: 'fallback' });
  });

  it('refuses a budget with both or neither of requests and tokens, and min above max', () => {
    expect(() => resolveStagePolicy('k', undefined, { rate_limit: { budgets: [{ requests: 1, tokens: 1, per: '1h' }] } })).toThrow(/exactly one/);
    const error = ((): unknown => {
      try {
        resolveStagePolicy('k', undefined, { workers: { min: 5, max: 2 } });
        return undefined;
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
  });
});

describe('Backpressure', () => {
  const policy = { min: 1, max: 10, shrinkErrorRate: 0.2, shrinkLatencyMs: 30_000, growErrorRate: 0.05, growLatencyMs: 5_000, shrinkBy: 0.25, growBy: 0.33, sample: 4 };
  const feed = (b: Backpressure, outcomes: [boolean, number][]) => outcomes.map(([ok, latencyMs]) => b.record({ ok, latencyMs })).filter(Boolean);

  it('decides once per sample: shrink 25% above 20% errors, grow 33% below 5% and 5 s, hold in between', () => {
    const b = new Backpressure(policy);
    expect(feed(b, [[false, 10], [true, 10], [true, 10], [true, 10]])).toEqual([{ from: 10, to: 7, errorRate: 0.25, p95Ms: 10 }]);
    expect(feed(b, [[true, 10], [true, 10], [true, 10], [true, 10]])).toEqual([{ from: 7, to: 10, errorRate: 0, p95Ms: 10 }]);
    // 0 errors but p95 between 5 s and 30 s: no change.
    expect(feed(b, [[true, 6_000], [true, 6_000], [true, 6_000], [true, 6_000]])).toEqual([]);
    expect(feed(b, [[true, 40_000], [true, 10], [true, 10], [true, 10]]).map((d) => d?.to)).toEqual([7]);
  });

  it('stays between min and max and moves by at least one', () => {
    const b = new Backpressure({ ...policy, max: 2 });
    for (let i = 0; i < 5; i++) feed(b, [[false, 1], [false, 1], [false, 1], [false, 1]]);
    expect(b.target).toBe(1);
  });

  it('percentile by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
    expect(percentile([], 0.95)).toBe(0);
  });
});
