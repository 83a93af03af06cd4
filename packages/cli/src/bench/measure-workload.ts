import type { CompiledPlan } from '@ucop/core';
import type { HarnessRunRequest, Scheduling } from './engine-harness.ts';
import type { MeasureDeps } from './measure-deps.ts';
import { workloadBounds, workloadSource, type Workload, type WorkloadBounds } from './workload.ts';

/** Options of {@link measureWorkload}. */
export interface MeasureOptions {
  /** Parallel runs; the best (shortest) counts, so a noisy neighbour does not fail a measurement. @default 3 */
  repeats?: number;
  /** Sequential runs (best counts). The sequential engine barely varies, so one is usually enough. @default 1 */
  sequentialRepeats?: number;
  /** Also run level-by-level scheduling, for comparison. @default false */
  levels?: boolean;
  /** Also run the sequential engine. @default true */
  sequential?: boolean;
  signal?: AbortSignal;
}

/** The figures of one workload. Times in ms; ratios are plain numbers. */
export interface WorkloadMeasurement {
  workload: string;
  description: string;
  maxParallel: number;
  bounds: WorkloadBounds;
  /** Best parallel (critical-path-first) wall time. */
  parallelMs: number;
  /** Every parallel run, in order. */
  parallelRunsMs: number[];
  sequentialMs?: number;
  levelsMs?: number;
  /** sequentialMs / parallelMs. */
  speedup?: number;
  /** parallelMs / lower bound (1 = as fast as the graph allows). */
  ratioToLowerBound: number;
  /** levelsMs / lower bound. */
  levelsRatioToLowerBound?: number;
  /**
   * The engine's own cost per task, µs: what the sequential engine spent beyond the simulated work, divided
   * by the number of tasks (steps and fan-out items). For a workload of no-ops: parallel wall / tasks.
   */
  overheadPerStepUs?: number;
}

async function timed(deps: MeasureDeps, plan: CompiledPlan, request: Omit<HarnessRunRequest, 'plan' | 'agents'>): Promise<number> {
  const sim = deps.simAgents();
  const started = deps.clock.now();
  const { record } = await deps.run({ ...request, plan, agents: sim.agents });
  const wall = deps.clock.now() - started;
  if (record.status !== 'succeeded') {
    const error = record.errors[0];
    throw new Error(`benchmark run of "${plan.workflow}" (${request.engine}${request.scheduling ? `, ${request.scheduling}` : ''}) ended ${record.status}${error ? `: ${error.code} ${error.message}` : ''}`);
  }
  return wall;
}

async function best(times: number, measure: () => Promise<number>): Promise<{ best: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < Math.max(1, times); i += 1) all.push(await measure());
  return { best: Math.min(...all), all };
}

/** Compiles a workload once and times it in the requested engines and schedulings. */
export async function measureWorkload(workload: Workload, deps: MeasureDeps, options: MeasureOptions = {}): Promise<WorkloadMeasurement> {
  const bounds = workloadBounds(workload);
  const sim = deps.simAgents();
  const plan = await deps.compile(workloadSource(workload), `${workload.name}.yaml`, sim.agents);
  const signal = options.signal;
  const run = (engine: 'parallel' | 'sequential', scheduling?: Scheduling) => () => timed(deps, plan, { engine, ...(scheduling ? { scheduling } : {}), ...(signal ? { signal } : {}) });
  const parallel = await best(options.repeats ?? 3, run('parallel', 'critical-path'));
  const noopOnly = workload.steps.every((s) => s.noop);
  const result: WorkloadMeasurement = {
    workload: workload.name,
    description: workload.description,
    maxParallel: workload.maxParallel,
    bounds,
    parallelMs: parallel.best,
    parallelRunsMs: parallel.all,
    ratioToLowerBound: bounds.lowerBoundMs === 0 ? Number.NaN : parallel.best / bounds.lowerBoundMs,
  };
  if (noopOnly) result.overheadPerStepUs = (parallel.best / bounds.tasks) * 1000;
  if (options.sequential ?? true) {
    const sequential = await best(options.sequentialRepeats ?? 1, run('sequential'));
    result.sequentialMs = sequential.best;
    result.speedup = sequential.best / parallel.best;
    if (!noopOnly) result.overheadPerStepUs = (Math.max(0, sequential.best - bounds.totalWorkMs) / bounds.tasks) * 1000;
  }
  if (options.levels) {
    const levels = await best(options.repeats ?? 3, run('parallel', 'levels'));
    result.levelsMs = levels.best;
    if (bounds.lowerBoundMs > 0) result.levelsRatioToLowerBound = levels.best / bounds.lowerBoundMs;
  }
  return result;
}
