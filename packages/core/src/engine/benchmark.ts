import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { createSimDelayAgent } from '../sim/sim-delay-agent.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { systemClock, type Clock } from './clock.ts';
import { generateLayeredWorkload } from './benchmark-workload.ts';
import type { SchedulingPolicy } from './run-options.ts';
import { runWorkflow } from './run-workflow.ts';
import { FakeClock } from './testing/fake-clock.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';

/** One engine configuration measured on one workload. */
export interface SchedulingFigure {
  workload: string;
  mode: 'critical-path' | 'levels' | 'sequential';
  makespanMs: number;
  lowerBoundMs: number;
  /** makespan / lower bound (1 = optimal). */
  ratio: number;
}

export interface OverheadFigure {
  engine: 'parallel' | 'sequential';
  steps: number;
  wallMs: number;
  /** Engine time per no-op step, in microseconds. */
  usPerStep: number;
}

export interface EngineBenchmarkReport {
  clock: 'real' | 'virtual';
  scheduling: SchedulingFigure[];
  /** Mean makespan / lower bound per mode. */
  summary: Record<SchedulingFigure['mode'], number>;
  overhead: OverheadFigure[];
}

export interface EngineBenchmarkOptions {
  /** How many random layered DAGs. @default 3 */
  workloads?: number;
  /** @default 200 */
  steps?: number;
  /** @default 8 */
  maxParallel?: number;
  /**
   * `virtual`: a simulated clock, so makespans measure scheduling alone and the run takes no real time;
   * `real`: sim.delay sleeps for real (timer jitter included). The sequential runs always use the virtual
   * clock unless `sequentialRealTime` (200 steps of ~50 ms would take ~10 s each).
   * @default 'real'
   */
  clock?: 'real' | 'virtual';
  /** @default false */
  sequentialRealTime?: boolean;
  /** No-op steps for the overhead figure; 0 skips it. @default 10_000 */
  overheadSteps?: number;
  /** Best of this many overhead runs, after one warm-up run. @default 3 */
  overheadRuns?: number;
}

async function makespan(plan: CompiledPlan, mode: SchedulingFigure['mode'], virtual: boolean): Promise<{ wallMs: number; lowerBoundMs: number }> {
  const clock: Clock = virtual ? new FakeClock() : systemClock;
  const agents = new AgentRegistry([createSimDelayAgent(undefined, { clock }) as unknown as AgentDefinition]);
  const scheduling: SchedulingPolicy = mode === 'levels' ? 'levels' : 'critical-path';
  const done = runWorkflow(plan, { inputs: {}, agents, clock, engine: mode === 'sequential' ? 'sequential' : 'parallel', scheduling, env: {} });
  const { record } = await (clock instanceof FakeClock ? clock.runUntil(done) : done);
  if (record.status !== 'succeeded') throw new Error(`benchmark run of ${plan.workflow} (${mode}) ended ${record.status}`);
  return { wallMs: record.wallMs, lowerBoundMs: record.metrics.lowerBoundMs };
}

async function overhead(engine: 'parallel' | 'sequential', steps: number, runs: number, maxParallel: number): Promise<OverheadFigure> {
  const plan = generateLayeredWorkload({ steps, layers: Math.max(1, Math.round(steps / 100)), agent: 'sim.noop', maxParallel, seed: 7 });
  const agents = new AgentRegistry([simNoopAgent as unknown as AgentDefinition]);
  let best = Number.POSITIVE_INFINITY;
  // One unmeasured run first: the figure is the engine's steady state, not the JIT compiling it.
  for (let i = -1; i < runs; i += 1) {
    const t0 = performance.now();
    const { record } = await runWorkflow(plan, { inputs: {}, agents, engine, env: {} });
    const wall = performance.now() - t0;
    if (record.status !== 'succeeded') throw new Error(`overhead run ended ${record.status}`);
    if (i >= 0) best = Math.min(best, wall);
  }
  return { engine, steps, wallMs: best, usPerStep: (best * 1000) / steps };
}

/**
 * The engine benchmark: on random layered DAGs (5-100 ms steps), the makespan of critical-path
 * scheduling, of level-by-level waves (what the older systems did) and of the sequential engine, each
 * divided by the lower bound max(critical path, total work / slots) of that run; then the engine's own
 * overhead per step on many no-op steps (whole runWorkflow wall time / steps, best of a few runs).
 * Targets: critical-path within 5% of the lower bound; under 20 µs per no-op step at 10,000 steps.
 */
export async function benchmarkEngine(options: EngineBenchmarkOptions = {}): Promise<EngineBenchmarkReport> {
  const virtual = (options.clock ?? 'real') === 'virtual';
  const maxParallel = options.maxParallel ?? 8;
  const scheduling: SchedulingFigure[] = [];
  for (let seed = 1; seed <= (options.workloads ?? 3); seed += 1) {
    const plan = generateLayeredWorkload({ steps: options.steps ?? 200, maxParallel, seed });
    let bound = 0;
    for (const mode of ['critical-path', 'levels', 'sequential'] as const) {
      const useVirtual = mode === 'sequential' ? !options.sequentialRealTime || virtual : virtual;
      const { wallMs, lowerBoundMs } = await makespan(plan, mode, useVirtual);
      // Every mode is compared with the same bound: the one for `maxParallel` slots, from the first run's
      // actual step durations (the sequential run's own bound would be its one slot).
      if (mode === 'critical-path') bound = lowerBoundMs;
      scheduling.push({ workload: plan.workflow, mode, makespanMs: wallMs, lowerBoundMs: bound, ratio: bound > 0 ? wallMs / bound : 1 });
    }
  }
  const mean = (mode: SchedulingFigure['mode']): number => {
    const list = scheduling.filter((f) => f.mode === mode);
    return list.reduce((s, f) => s + f.ratio, 0) / Math.max(1, list.length);
  };
  const overheadSteps = options.overheadSteps ?? 10_000;
  const overheadFigures: OverheadFigure[] = [];
  if (overheadSteps > 0) {
    for (const engine of ['parallel', 'sequential'] as const) overheadFigures.push(await overhead(engine, overheadSteps, options.overheadRuns ?? 3, maxParallel));
  }
  return {
    clock: virtual ? 'virtual' : 'real',
    scheduling,
    summary: { 'critical-path': mean('critical-path'), levels: mean('levels'), sequential: mean('sequential') },
    overhead: overheadFigures,
  };
}
