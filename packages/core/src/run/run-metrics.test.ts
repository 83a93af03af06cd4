import { describe, it, expect } from 'vitest';
import { computeRunMetrics } from './run-metrics.ts';
import type { StepRecord } from './run-record.ts';
import { buildPlan } from '../engine/testing/plan-builder.ts';
import { parseExpression } from '../expr/index.ts';

const rec = (id: string, startMs: number, endMs: number, extra: Partial<StepRecord> = {}): StepRecord => ({ id, agent: 'sim.delay', status: 'succeeded', attempts: 1, startMs, endMs, ...extra });

describe('computeRunMetrics', () => {
  const plan = buildPlan({
    steps: { a: { with: { ms: 1 } }, b: { with: { ms: 1 } }, fan: { needs: ['a'], forEach: parseExpression('[1,2]'), with: { ms: 1 } }, end: { needs: ['fan', 'b'], with: { ms: 1 } } },
  });

  it('sums executed units, follows the longest chain by actual durations, and bounds the run', () => {
    const records = [
      rec('a', 0, 10),
      rec('b', 0, 50),
      rec('fan', 10, 40),
      rec('fan', 10, 40, { itemIndex: 0 }),
      rec('fan', 12, 30, { itemIndex: 1 }),
      rec('end', 50, 55),
    ];
    const m = computeRunMetrics(plan, records, 55, 2);
    expect(m.sumStepMs).toBe(10 + 50 + 30 + 18 + 5);
    // a(10) + fan (longest item 30) = 40 < b (50); + end (5).
    expect(m.criticalPath).toEqual({ steps: ['b', 'end'], ms: 55 });
    expect(m.lowerBoundMs).toBe(Math.max(55, 113 / 2));
    expect(m.speedup).toBeCloseTo(113 / 55);
    expect(m.efficiency).toBeCloseTo(56.5 / 55);
  });

  it('counts rate-limit waits and retry backoff as waiting, not work', () => {
    const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 1, providers: ['p'], rateLimitWaitMs: 30 };
    const records = [rec('a', 0, 10, { queueWaitMs: 2 }), rec('b', 0, 50, { usage }), rec('end', 60, 100, { backoffMs: 25, queueWaitMs: 5 })];
    const m = computeRunMetrics(plan, records, 100, 2);
    expect(m.sumStepMs).toBe(10 + 20 + 15);
    expect(m.waits).toEqual({ queueMs: 7, rateLimitMs: 30, backoffMs: 25 });
    expect(m.speedup).toBeCloseTo(45 / 100);
  });

  it('ignores resumed and never-run steps', () => {
    const m = computeRunMetrics(plan, [rec('a', 0, 10, { resumed: true }), { id: 'b', agent: 'x', status: 'skipped', attempts: 0 }], 1, 4);
    expect(m.sumStepMs).toBe(0);
    expect(m.speedup).toBe(0);
  });

  it('gives neutral figures for an instant run', () => {
    expect(computeRunMetrics(plan, [], 0, 4)).toMatchObject({ sumStepMs: 0, speedup: 1, efficiency: 1, lowerBoundMs: 0 });
  });

  it('gives the same figures for a plan whose steps do not carry their position in the order', () => {
    const records = [rec('a', 0, 10), rec('b', 0, 50), rec('fan', 10, 40), rec('fan', 10, 40, { itemIndex: 0 }), rec('fan', 12, 30, { itemIndex: 1 }), rec('end', 50, 55)];
    const withoutOrder = { ...plan, steps: Object.fromEntries(Object.entries(plan.steps).map(([id, step]) => [id, { ...step, order: 99 }])) };
    expect(computeRunMetrics(withoutOrder, records, 55, 2)).toEqual(computeRunMetrics(plan, records, 55, 2));
    expect(computeRunMetrics(withoutOrder, records, 55, 2).criticalPath).toEqual({ steps: ['b', 'end'], ms: 55 });
  });
});
