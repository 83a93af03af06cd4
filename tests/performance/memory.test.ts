import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCoreHarness, createSimAgents, noopFanOutWorkload, workloadSource } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * Memory on a 50,000-step run: one sim.noop step fanned out to 50,000 no-op items. Reports the peak heap
 * growth during a run (sampled every 5 ms), and checks for leaks: the same run three times, dropping each
 * result; what stays after the first run (JIT code, caches) must not grow with the following ones.
 */
const ITEMS = 50_000;
const RUNS = 3;
const MAX_PEAK_GROWTH_MB = 400;
const MAX_LEAK_MB = 5;

/** A full garbage collection, without needing node --expose-gc on the test worker. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

describe('memory', () => {
  it(`a ${ITEMS}-item fan-out of no-op steps: peak heap growth, and no leak across runs`, async () => {
    const harness = createCoreHarness();
    const { agents } = createSimAgents();
    const source = workloadSource(noopFanOutWorkload(ITEMS));
    collectGarbage();
    const base = process.memoryUsage().heapUsed;
    const retained: number[] = [];
    const peaks: number[] = [];
    const walls: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const plan = await harness.compile(source, 'memory.yaml', agents);
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 5);
      const t0 = performance.now();
      let status: string;
      let records: number;
      try {
        const { record } = await harness.run({ plan, engine: 'parallel', agents });
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        status = record.status;
        records = record.steps.length;
      } finally {
        clearInterval(sampler);
      }
      walls.push(performance.now() - t0);
      expect(status).toBe('succeeded');
      expect(records).toBeGreaterThanOrEqual(ITEMS);
      peaks.push(peak - before);
      collectGarbage();
      retained.push(process.memoryUsage().heapUsed - base);
    }
    const figures = {
      items: ITEMS,
      wallMs: walls.map(Math.round),
      peakGrowthMb: mb(Math.max(...peaks)),
      bytesPerItemPeak: Math.round(Math.max(...peaks) / ITEMS),
      retainedMb: retained.map(mb),
      leakMb: mb(retained[RUNS - 1]! - retained[0]!),
    };
    await recordPerfCase('memory.fan_out_50000', figures);
    expect(figures.peakGrowthMb, `peak heap growth ${figures.peakGrowthMb} MB`).toBeLessThan(MAX_PEAK_GROWTH_MB);
    expect(figures.leakMb, `heap retained grew by ${figures.leakMb} MB over ${RUNS - 1} more runs`).toBeLessThan(MAX_LEAK_MB);
  });
});
