import type { CheckResult } from '../verify-types.ts';
import type { EngineCheckDeps } from '../engine-check-deps.ts';
import { chainsWorkload } from '../../bench/standard-workloads.ts';
import { measureWorkload } from '../../bench/measure-workload.ts';

/** Options of {@link checkSpeedup}. */
export interface SpeedupCheckOptions {
  /** How far above the lower bound the parallel wall time may be, as a fraction. @default 0.15 */
  tolerance?: number;
  /** The share of the ideal speedup over sequential that must be reached. @default 0.8 */
  speedupFactor?: number;
  /** Parallel runs, the best counts (absorbs a noisy neighbour). @default 3 */
  repeats?: number;
}

/**
 * On a workload whose lower bound is known and reachable (4 chains of 3 × 80 ms steps under 4 slots:
 * 240 ms), the parallel engine's best wall time is within the tolerance of the bound, and its speedup over
 * the sequential engine reaches the expected share of the ideal (4×).
 */
export async function checkSpeedup(deps: EngineCheckDeps, signal?: AbortSignal, options: SpeedupCheckOptions = {}): Promise<CheckResult> {
  const tolerance = options.tolerance ?? 0.15;
  const factor = options.speedupFactor ?? 0.8;
  const workload = chainsWorkload();
  const m = await measureWorkload(workload, deps, { repeats: options.repeats ?? 3, ...(signal ? { signal } : {}) });
  const lowerBound = m.bounds.lowerBoundMs;
  const speedup = m.speedup ?? 0;
  const wantedSpeedup = factor * m.bounds.idealSpeedup;
  const details = {
    workload: workload.name,
    lowerBoundMs: lowerBound,
    parallelMs: Math.round(m.parallelMs),
    parallelRunsMs: m.parallelRunsMs.map(Math.round),
    sequentialMs: Math.round(m.sequentialMs ?? 0),
    ratioToLowerBound: round2(m.ratioToLowerBound),
    speedup: round2(speedup),
    idealSpeedup: round2(m.bounds.idealSpeedup),
    tolerance,
    speedupFactor: factor,
  };
  const problems: string[] = [];
  if (m.parallelMs > lowerBound * (1 + tolerance)) {
    problems.push(`the parallel engine took ${Math.round(m.parallelMs)} ms, ${pct(m.ratioToLowerBound - 1)} above the ${lowerBound} ms lower bound (tolerance ${pct(tolerance)})`);
  }
  if (speedup < wantedSpeedup) {
    problems.push(`speedup over sequential is ${speedup.toFixed(2)}x, below ${wantedSpeedup.toFixed(2)}x (${factor} x the ideal ${m.bounds.idealSpeedup.toFixed(1)}x)`);
  }
  if (problems.length > 0) return { name: 'speedup', ok: false, reason: problems.join('; '), details };
  return {
    name: 'speedup',
    ok: true,
    reason: `${Math.round(m.parallelMs)} ms against a ${lowerBound} ms lower bound (+${pct(m.ratioToLowerBound - 1)}), ${speedup.toFixed(2)}x faster than sequential (ideal ${m.bounds.idealSpeedup.toFixed(1)}x)`,
    details,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
