import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';

describe('AdaptiveConcurrency (AIMD)', () => {
  it('halves on a 429, waits out the requests already in flight, then adds one back per success', () => {
    const aimd = new AdaptiveConcurrency({ max: 8 });
    aimd.onSuccess(100);
    expect(aimd.onRateLimited()).toBe(4);
    // 7 more outcomes from requests sent at concurrency 8 do not move it, 429s included.
    for (let i = 0; i < 3; i++) expect(aimd.onRateLimited()).toBe(4);
    for (let i = 0; i < 4; i++) expect(aimd.onSuccess(100)).toBe(4);
    expect([aimd.onSuccess(100), aimd.onSuccess(100), aimd.onSuccess(100), aimd.onSuccess(100), aimd.onSuccess(100)]).toEqual([5, 6, 7, 8, 8]);
  });

  it('halves when latency climbs above twice its baseline, not for ordinary variation', () => {
    const aimd = new AdaptiveConcurrency({ max: 8 });
    for (let i = 0; i < 20; i++) aimd.onSuccess(i % 2 === 0 ? 80 : 120);
    expect(aimd.current).toBe(8);
    expect(aimd.baselineMs).toBeGreaterThan(90);
    expect(aimd.onSuccess(250)).toBe(4);
  });

  it('stays between 1 and max whatever happens', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.array(fc.oneof(fc.constant(-1), fc.constant(-2), fc.integer({ min: 1, max: 10_000 })), { maxLength: 300 }), (max, events) => {
        const aimd = new AdaptiveConcurrency({ max });
        for (const e of events) {
          const c = e === -1 ? aimd.onRateLimited() : e === -2 ? aimd.onOtherFailure() : aimd.onSuccess(e);
          expect(c).toBeGreaterThanOrEqual(1);
          expect(c).toBeLessThanOrEqual(max);
          expect(Number.isInteger(c)).toBe(true);
        }
      }),
    );
  });

  it('recovers to max after congestion clears', () => {
    const aimd = new AdaptiveConcurrency({ max: 6 });
    for (let i = 0; i < 20; i++) aimd.onRateLimited();
    expect(aimd.current).toBeLessThan(6);
    for (let i = 0; i < 30; i++) aimd.onSuccess(50);
    expect(aimd.current).toBe(6);
  });
});
