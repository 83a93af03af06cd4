import { benchmarkEngine, benchmarkRunStore, benchmarkScale } from '@ucop/core';
import type { EngineBenchmarkReport, RunStoreFigure, ScaleBenchmarkReport } from '@ucop/core';
import { machineInfo, type MachineInfo } from './machine-info.ts';
import { measureWorkload, type WorkloadMeasurement } from './measure-workload.ts';
import type { MeasureDeps } from './measure-deps.ts';
import { seedWorkloads } from './standard-workloads.ts';
import { createCoreHarness } from './core-harness.ts';
import type { Workload } from './workload.ts';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Runs only the workloads with these names (see `ucop bench --json` for the names). @default all */
  workloads?: readonly string[];
  /** Parallel runs per workload and scheduling; the best counts. @default 3 */
  repeats?: number;
  /** Multiplies every simulated duration (0.5 = twice as quick, less precise). @default 1 */
  scale?: number;
  /** No-op steps for the per-step engine overhead figure; 0 skips it. @default 10000 */
  noopSteps?: number;
  /** Random layered DAGs (200 steps of 5-100 ms, 8 slots) measured by the engine's benchmark; 0 skips them. @default 3 */
  randomDags?: number;
  /** Also run level-by-level scheduling for comparison. @default true */
  levels?: boolean;
  /**
   * Steps of the layered DAG validated, compiled and run by ucop and by the floor (a minimal list scheduler)
   * for the scale figures; 0 skips them. @default 50000
   */
  scaleSteps?: number;
  signal?: AbortSignal;
  /** Replaces parts of the engine harness (tests). */
  deps?: Partial<MeasureDeps>;
  /** Called after each workload, for progress output. */
  onWorkload?: (measurement: WorkloadMeasurement) => void;
}

/** What `ucop bench` measured, and where. */
export interface BenchReport {
  startedAt: string;
  machine: MachineInfo;
  repeats: number;
  scale: number;
  /** The seed-shaped workloads. */
  workloads: WorkloadMeasurement[];
  /**
   * The engine's own benchmark (`benchmarkEngine` of @ucop/core): random layered DAGs under critical-path,
   * level-by-level and sequential scheduling, and the per-step overhead on no-op steps.
   */
  engine?: EngineBenchmarkReport;
  /** Large workflows against the floor (`benchmarkScale` of @ucop/core): time, memory and engine ratios. */
  floor?: ScaleBenchmarkReport;
  /**
   * The product path against the engine alone on the same no-op steps (`benchmarkRunStore` of @ucop/core):
   * journal and run.json on disk, steps/ views as the default mode writes them (and once every view, `all`),
   * ratio to the engine. Run with the no-op overhead figure.
   */
  runStore?: RunStoreFigure[];
}

/** The standard workloads: the four seed shapes. */
export function benchWorkloads(options: Pick<BenchOptions, 'scale'> = {}): Workload[] {
  return seedWorkloads(options.scale ?? 1);
}

/**
 * Runs the standard workloads in the parallel engine (critical path first and, for comparison, level by
 * level) and in the sequential engine, and reports wall times, speedup, ratio to the lower bound and
 * per-step overhead; then the engine's own benchmark (random layered DAGs, no-op overhead).
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const deps: MeasureDeps = { ...createCoreHarness(), ...options.deps };
  const repeats = options.repeats ?? 3;
  const wanted = options.workloads ? new Set(options.workloads) : undefined;
  const workloads = benchWorkloads(options).filter((w) => !wanted || wanted.has(w.name));
  if (wanted && workloads.length < wanted.size) {
    const known = benchWorkloads(options).map((w) => w.name);
    const unknown = [...wanted].filter((n) => !known.includes(n));
    throw new Error(`unknown workload(s) ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  }
  const report: BenchReport = { startedAt: new Date().toISOString(), machine: machineInfo(), repeats, scale: options.scale ?? 1, workloads: [] };
  for (const workload of workloads) {
    if (options.signal?.aborted) break;
    const measurement = await measureWorkload(workload, deps, {
      repeats,
      levels: options.levels ?? true,
      sequential: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    report.workloads.push(measurement);
    options.onWorkload?.(measurement);
  }
  const randomDags = options.randomDags ?? 3;
  const noopSteps = options.noopSteps ?? 10_000;
  if (!wanted && !options.signal?.aborted && (randomDags > 0 || noopSteps > 0)) {
    report.engine = await benchmarkEngine({ workloads: randomDags, overheadSteps: noopSteps, overheadRuns: repeats });
  }
  const scaleSteps = options.scaleSteps ?? 50_000;
  if (!wanted && !options.signal?.aborted && scaleSteps > 0) {
    report.floor = await benchmarkScale({ steps: scaleSteps, engineSteps: noopSteps, engineRuns: repeats });
  }
  if (!wanted && !options.signal?.aborted && noopSteps > 0) report.runStore = await benchmarkRunStore({ sizes: [noopSteps], runs: repeats, allMode: true });
  return report;
}
