/**
 * A synthetic workload: a DAG of `sim.delay` steps with known durations, from which the exact critical path,
 * total work and makespan lower bound follow. The verify speedup check, `ucop bench` and the performance
 * suites all measure the engines against these figures.
 */

/** One step of a workload. */
export interface WorkloadStep {
  id: string;
  /** Simulated duration. For a fan-out step: the duration of each item, see `items`. */
  ms: number;
  /** Steps this one waits for. */
  needs: string[];
  /**
   * Fan-out: one item per entry, each lasting that many ms. The items are the output (`items`) of the step
   * named by `from` (which must be listed in `needs`), expanded by `for_each` at run time.
   */
  fanOut?: { from: string; itemsMs: number[] };
  /** Makes the step a no-op (`sim.noop`): for engine overhead measurements. */
  noop?: boolean;
}

/** A workload: steps in file order and the global slot count. */
export interface Workload {
  name: string;
  description: string;
  maxParallel: number;
  steps: WorkloadStep[];
}

/** The figures the engines are measured against. */
export interface WorkloadBounds {
  /** Steps plus fan-out items: what `max_steps` must allow. */
  tasks: number;
  /** Sum of all task durations: the sequential engine's ideal wall time. */
  totalWorkMs: number;
  /** The longest dependency chain (a fan-out counts as its longest item). */
  criticalPathMs: number;
  /** max(critical path, total work / max_parallel), as in the run record's `metrics.lowerBoundMs`. */
  lowerBoundMs: number;
  /** totalWork / lowerBound: the best speedup over the sequential engine. */
  idealSpeedup: number;
}

function stepWork(step: WorkloadStep): { work: number; span: number; tasks: number } {
  if (!step.fanOut) return step.noop ? { work: 0, span: 0, tasks: 1 } : { work: step.ms, span: step.ms, tasks: 1 };
  const items = step.noop ? step.fanOut.itemsMs.map(() => 0) : step.fanOut.itemsMs;
  return { work: items.reduce((a, b) => a + b, 0), span: items.length === 0 ? 0 : Math.max(...items), tasks: items.length };
}

/** Computes the bounds of a workload whose steps are listed in a topological order. */
export function workloadBounds(workload: Workload): WorkloadBounds {
  const finish = new Map<string, number>();
  let total = 0;
  let tasks = 0;
  let critical = 0;
  for (const step of workload.steps) {
    const { work, span, tasks: n } = stepWork(step);
    let start = 0;
    for (const dep of step.needs) {
      const f = finish.get(dep);
      if (f === undefined) throw new Error(`workload "${workload.name}": step "${step.id}" needs "${dep}", which is not listed before it`);
      start = Math.max(start, f);
    }
    const end = start + span;
    finish.set(step.id, end);
    critical = Math.max(critical, end);
    total += work;
    tasks += n;
  }
  const lowerBoundMs = Math.max(critical, total / workload.maxParallel);
  return { tasks, totalWorkMs: total, criticalPathMs: critical, lowerBoundMs, idealSpeedup: lowerBoundMs === 0 ? 1 : total / lowerBoundMs };
}

/** Options of {@link workloadSource}. */
export interface WorkloadSourceOptions {
  /** `config.fail_fast`. @default true */
  failFast?: boolean;
  /** `config.step_timeout`: generous, a workload step never times out. @default '10m' */
  stepTimeout?: string;
  /** `config.timeout`, the whole-run deadline. @default '1h' */
  timeout?: string;
}

/**
 * The workflow text of a workload. JSON is valid YAML 1.2, so the output goes through the same loader,
 * schema and compiler as a hand-written workflow, without a YAML writer.
 */
export function workloadSource(workload: Workload, options: WorkloadSourceOptions = {}): string {
  const fanSources = new Map<string, number[]>();
  for (const step of workload.steps) if (step.fanOut) fanSources.set(step.fanOut.from, step.fanOut.itemsMs);
  const steps: Record<string, Record<string, unknown>> = {};
  for (const step of workload.steps) {
    const spec: Record<string, unknown> = { agent: step.noop ? 'sim.noop' : 'sim.delay' };
    if (step.needs.length > 0) spec.needs = step.needs;
    if (step.fanOut) spec.for_each = `\${{ steps.${step.fanOut.from}.output.items }}`;
    // A fan-out source returns the item durations as its output; each item waits its own duration.
    const items = fanSources.get(step.id);
    const output = items ? { output: { items } } : {};
    if (step.noop) spec.with = output;
    else spec.with = { ms: step.fanOut ? '${{ item }}' : step.ms, ...output };
    steps[step.id] = spec;
  }
  const bounds = workloadBounds(workload);
  const document = {
    version: 1,
    name: workload.name,
    description: workload.description,
    config: {
      parallel: true,
      max_parallel: workload.maxParallel,
      fail_fast: options.failFast ?? true,
      timeout: options.timeout ?? '1h',
      step_timeout: options.stepTimeout ?? '10m',
      retry: { attempts: 1 },
      max_steps: bounds.tasks + 10,
    },
    steps,
  };
  // Compact: a 50,000-item fan-out must stay under the loader's 1 MiB limit.
  return `${JSON.stringify(document)}\n`;
}
