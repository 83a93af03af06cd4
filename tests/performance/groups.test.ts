import { describe, it, expect } from 'vitest';
import { benchmarkGroups } from '@ucop/core';
import { recordPerfCase } from './perf-report.ts';

/**
 * Groups (issue 8), measured by `benchmarkGroups` of @ucop/core (also `ucop bench --groups`):
 * - 15 chapters × 4 stages (analyze → expand → polish → validate) of uneven simulated durations under a cap
 *   of 5, on a virtual clock: the per-chapter group keeps the makespan within 1.05x of the lower bound
 *   max(longest chapter, total work / 5); the same work as four barrier fan-outs is shown beside it.
 * - a 3-level nested fan-out of 1,000 no-op leaves against one flat fan-out of 1,000 no-op items, real clock,
 *   best of ten, runs interleaved: the engine's cost per task stays within 2x of the flat fan-out's (a ratio, which holds on
 *   a loaded machine where absolute times do not).
 */
describe('groups', () => {
  it('pipeline of 15 chapters x 4 stages under a cap of 5: makespan within 1.05x of the lower bound', async () => {
    const { pipeline, nested } = await benchmarkGroups();
    await recordPerfCase('groups.pipeline_15x4_cap5', {
      makespanMs: pipeline.makespanMs,
      lowerBoundMs: Math.round(pipeline.lowerBoundMs),
      ratio: Math.round(pipeline.ratio * 1000) / 1000,
      barrierMakespanMs: pipeline.barrierMakespanMs,
      barrierRatio: Math.round(pipeline.barrierRatio * 1000) / 1000,
    });
    await recordPerfCase('groups.nested_1000_vs_flat', {
      leaves: nested.leaves,
      nestedMs: Math.round(nested.nestedMs * 10) / 10,
      flatMs: Math.round(nested.flatMs * 10) / 10,
      nestedUsPerTask: Math.round(nested.nestedUsPerTask * 10) / 10,
      flatUsPerTask: Math.round(nested.flatUsPerTask * 10) / 10,
      ratio: Math.round(nested.ratio * 100) / 100,
    });
    expect(pipeline.ratio, `makespan ${pipeline.makespanMs} ms, lower bound ${pipeline.lowerBoundMs.toFixed(0)} ms`).toBeLessThanOrEqual(1.05);
    expect(pipeline.barrierMakespanMs).toBeGreaterThan(pipeline.makespanMs);
    expect(nested.ratio, `nested ${nested.nestedUsPerTask.toFixed(1)} µs per task, flat ${nested.flatUsPerTask.toFixed(1)} µs`).toBeLessThanOrEqual(2);
  });
});
