import { describe, it, expect } from 'vitest';
import { createCoreHarness, measureWorkload, bookWorkload, crossDependenciesWorkload, ingestionWorkload, sectionsWorkload } from '../../packages/cli/src/bench/index.ts';
import type { Workload, WorkloadMeasurement } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * Seed-shaped workloads of sim.delay steps (20-80 ms, so that timer jitter on a loaded machine stays small
 * beside them). Each case runs the parallel engine three times and keeps the best, and asserts two ratios:
 * wall time / lower bound, and speedup over the sequential engine as a share of the ideal speedup.
 * The margins are set for a loaded 2-core CI machine; the figures themselves go to reports/perf/.
 */
interface SeedCase {
  workload: Workload;
  /** Most the best parallel run may exceed the lower bound by, as a ratio. */
  maxRatioToLowerBound: number;
  /** Least share of the ideal speedup (total work / lower bound) over the sequential engine. */
  minSpeedupShare: number;
}

const CASES: SeedCase[] = [
  { workload: ingestionWorkload(), maxRatioToLowerBound: 1.2, minSpeedupShare: 0.8 },
  { workload: sectionsWorkload(), maxRatioToLowerBound: 1.2, minSpeedupShare: 0.8 },
  { workload: bookWorkload(), maxRatioToLowerBound: 1.2, minSpeedupShare: 0.8 },
  { workload: crossDependenciesWorkload(), maxRatioToLowerBound: 1.25, minSpeedupShare: 0.75 },
];

function figures(m: WorkloadMeasurement): Record<string, unknown> {
  const round = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.round(n * 1000) / 1000);
  return {
    tasks: m.bounds.tasks,
    maxParallel: m.maxParallel,
    lowerBoundMs: m.bounds.lowerBoundMs,
    totalWorkMs: m.bounds.totalWorkMs,
    idealSpeedup: round(m.bounds.idealSpeedup),
    parallelMs: round(m.parallelMs),
    parallelRunsMs: m.parallelRunsMs.map((n) => round(n)),
    sequentialMs: round(m.sequentialMs),
    levelsMs: round(m.levelsMs),
    speedup: round(m.speedup),
    ratioToLowerBound: round(m.ratioToLowerBound),
    levelsRatioToLowerBound: round(m.levelsRatioToLowerBound),
    overheadPerStepUs: round(m.overheadPerStepUs),
  };
}

describe('seed-shaped workloads: parallel engine against the lower bound and the sequential engine', () => {
  const harness = createCoreHarness();

  for (const { workload, maxRatioToLowerBound, minSpeedupShare } of CASES) {
    it(`${workload.name}: ${workload.description}`, async () => {
      const m = await measureWorkload(workload, harness, { repeats: 3, sequentialRepeats: 1, levels: true });
      await recordPerfCase(`seed.${workload.name}`, figures(m));
      expect(m.ratioToLowerBound, `best parallel run ${m.parallelMs.toFixed(1)} ms vs lower bound ${m.bounds.lowerBoundMs} ms`).toBeLessThanOrEqual(maxRatioToLowerBound);
      expect(m.speedup, `speedup over sequential (ideal ${m.bounds.idealSpeedup.toFixed(2)}x)`).toBeGreaterThanOrEqual(minSpeedupShare * m.bounds.idealSpeedup);
      // Critical-path-first never loses to level-by-level scheduling by more than noise.
      expect(m.parallelMs).toBeLessThanOrEqual((m.levelsMs ?? Infinity) * 1.1);
    });
  }
});
