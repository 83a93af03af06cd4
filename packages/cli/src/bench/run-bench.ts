import { machineInfo, type MachineInfo } from './machine-info.ts';
import { measureWorkload, type WorkloadMeasurement } from './measure-workload.ts';
import type { MeasureDeps } from './measure-deps.ts';
import { noopWorkload, seedWorkloads } from './standard-workloads.ts';
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
  /** Size of the no-op workload that measures per-step engine overhead. @default 2000 */
  noopSteps?: number;
  /** Also run level-by-level scheduling for comparison. @default true */
  levels?: boolean;
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
  workloads: WorkloadMeasurement[];
}

/** The standard workloads: the four seed shapes, then the no-op workload. */
export function benchWorkloads(options: Pick<BenchOptions, 'scale' | 'noopSteps'> = {}): Workload[] {
  return [...seedWorkloads(options.scale ?? 1), noopWorkload(options.noopSteps ?? 2000)];
}

/**
 * Runs the standard workloads in the parallel engine (critical path first and, for comparison, level by
 * level) and in the sequential engine, and reports wall times, speedup, ratio to the lower bound and
 * per-step overhead.
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
    const noop = workload.steps.every((s) => s.noop);
    const measurement = await measureWorkload(workload, deps, {
      repeats,
      levels: (options.levels ?? true) && !noop,
      sequential: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    report.workloads.push(measurement);
    options.onWorkload?.(measurement);
  }
  return report;
}
