import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCoreHarness, createSimAgents, noopFanOutWorkload, workloadSource } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * Memory on a 50,000-step run: one sim.noop step fanned out to 50,000 no-op items. Reports the peak heap
 * growth during the run (sampled) and what stays after the run's result is dropped (a leak check).
 */
const ITEMS = 50_000;
const MAX_PEAK_GROWTH_MB = 400;
const MAX_RETAINED_MB = 25;

/** A full garbage collection, without needing node --expose-gc on the test worker. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

describe('memory', () => {
  it(`a ${ITEMS}-item fan-out of no-op steps`, async () => {
    const harness = createCoreHarness();
    const { agents } = createSimAgents();
    const plan = await harness.compile(workloadSource(noopFanOutWorkload(ITEMS)), 'memory.yaml', agents);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    let result: Awaited<ReturnType<typeof harness.run>> | undefined;
    const t0 = performance.now();
    try {
      result = await harness.run({ plan, engine: 'parallel', agents });
    } finally {
      clearInterval(sampler);
    }
    const wallMs = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const status = result.record.status;
    const records = result.record.steps.length;
    collectGarbage();
    const withResult = process.memoryUsage().heapUsed;
    result = undefined;
    collectGarbage();
    const after = process.memoryUsage().heapUsed;
    const figures = {
      items: ITEMS,
      wallMs: Math.round(wallMs),
      peakGrowthMb: mb(peak - before),
      resultMb: mb(withResult - after),
      retainedMb: mb(after - before),
      bytesPerItemPeak: Math.round((peak - before) / ITEMS),
    };
    await recordPerfCase('memory.fan_out_50000', figures);
    expect(status).toBe('succeeded');
    expect(records).toBeGreaterThanOrEqual(ITEMS);
    expect(figures.peakGrowthMb, `peak heap growth ${figures.peakGrowthMb} MB`).toBeLessThan(MAX_PEAK_GROWTH_MB);
    expect(figures.retainedMb, `heap retained after the run ${figures.retainedMb} MB`).toBeLessThan(MAX_RETAINED_MB);
  });
});
