import { describe, expect, it } from 'vitest';
import { benchmarkWorkers } from '@ucop/worker';
import { TEST_REDIS_URL, redisAvailable } from '../../packages/worker/src/testing/redis-for-tests.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * The bullmq executor's figures (`benchmarkWorkers` of @ucop/worker, also `ucop bench --workers`): the
 * throughput of 1, 2, 4 and 8 worker processes on simulated 50 ms I/O-bound steps relative to one worker
 * (target: at least 0.9 x N), and the per-step overhead against the local executor on no-op steps, with
 * the Redis round trips one step costs. Ratios only; the figures go to reports/perf/. The assertion leaves
 * room for a loaded 2-core CI machine (0.7 x N; measured: see RUNBOOK section 11), as the engine's
 * overhead test does; the figure tracked against the 0.9 target is the recorded one.
 */
const MIN_EFFICIENCY = 0.7;
const available = await redisAvailable();

describe.skipIf(!available)('distributed workers (BullMQ on Redis)', () => {
  it('throughput scales with worker processes; per-step overhead and Redis commands per step', async () => {
    const report = await benchmarkWorkers({ redisUrl: TEST_REDIS_URL });
    await recordPerfCase('workers.bullmq', {
      stepMs: report.stepMs,
      throughput: report.throughput.map((t) => ({ workers: t.workers, stepsPerSecond: Math.round(t.stepsPerSecond * 10) / 10, speedup: Math.round(t.speedup * 100) / 100 })),
      localMsPerStep: Math.round(report.overhead.localMsPerStep * 1000) / 1000,
      bullmqMsPerStep: Math.round(report.overhead.bullmqMsPerStep * 100) / 100,
      overheadMsPerStep: Math.round(report.overhead.overheadMsPerStep * 100) / 100,
      roundTripsPerStep: Math.round(report.overhead.roundTripsPerStep * 10) / 10,
      redisCommandsPerStep: Math.round(report.overhead.redisCommandsPerStep * 10) / 10,
      roundTripsByCommand: report.overhead.roundTripsByCommand,
    });
    for (const figure of report.throughput) {
      expect(figure.speedup, `${figure.workers} workers: ${figure.speedup.toFixed(2)}x one worker`).toBeGreaterThanOrEqual(MIN_EFFICIENCY * figure.workers);
    }
    // A no-op step's cost is dominated by the round trips; bound them so a regression (a poll per step) shows.
    expect(report.overhead.roundTripsPerStep).toBeLessThan(20);
  }, 120_000);
});
