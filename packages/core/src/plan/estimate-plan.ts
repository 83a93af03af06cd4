import type { CompiledPlan, PlanEstimate, PlanStep } from './plan-types.ts';

/** How many items a step is expected to run (1 without for_each, or when the count is unknown; a template's tasks). */
function itemsOf(step: PlanStep): number {
  // A follow-up template runs as its expected number of tasks (`expect: { follow_ups }`).
  if (step.followUp) return step.expectedIterations ?? 1;
  return step.forEach === undefined ? 1 : (step.expectedItems ?? 1);
}

/**
 * How long a step takes on `slots` slots: its items run in waves of at most min(slots, its own max_parallel),
 * so a 12-item fan-out of 250 ms items on 4 slots takes 3 waves, 750 ms.
 */
function stepSpanMs(step: PlanStep, slots: number): number {
  const items = itemsOf(step);
  if (items === 0) return 0;
  const width = Math.max(1, Math.min(slots, step.maxParallel ?? Number.POSITIVE_INFINITY, items));
  return Math.ceil(items / width) * step.estimateMs;
}

/**
 * Plan figures for `workers` parallel slots, with fan-outs weighed by their expected item counts:
 * total work = Σ estimate × items; the critical path is the longest dependency chain of step spans (a
 * fan-out's span is its waves on the slots); lower bound = max(critical path, total work / workers); best
 * speedup over the sequential engine = total work / lower bound. Fan-outs whose count is unknown at plan
 * time count one item and are listed in `unknownItemCounts`.
 * @param workers @default plan.settings.maxParallel
 */
export function estimatePlan(plan: CompiledPlan, workers: number = plan.settings.maxParallel): PlanEstimate {
  const slots = Math.max(1, Math.floor(workers));
  const unknownItemCounts: string[] = [];
  const level = levelFigures(plan.steps, plan.order, slots, '', unknownItemCounts);
  const { totalWorkMs, criticalPathMs, criticalPath } = level;
  const lowerBoundMs = Math.max(criticalPathMs, totalWorkMs / slots);
  return {
    workers: slots,
    criticalPathMs,
    criticalPath,
    totalWorkMs,
    unknownItemCounts,
    lowerBoundMs,
    estimatedSpeedup: lowerBoundMs > 0 ? totalWorkMs / lowerBoundMs : 1,
  };
}

interface LevelFigures {
  totalWorkMs: number;
  criticalPathMs: number;
  criticalPath: string[];
}

/** The figures of one level (the workflow, or a group's inner pipeline: `prefix` names it in messages). */
function levelFigures(steps: Record<string, PlanStep>, order: readonly string[], slots: number, prefix: string, unknownItemCounts: string[]): LevelFigures {
  let totalWorkMs = 0;
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let end: string | undefined;
  for (const id of order) {
    const step = steps[id]!;
    const figures = stepFigures(step, slots, `${prefix}${id}`, unknownItemCounts);
    totalWorkMs += figures.workMs;
    let start = 0;
    let from: string | undefined;
    for (const dep of step.dependencies) {
      const f = finish.get(dep)!;
      // Ties go to the step that comes first in the plan's order, as the compiled critical path's do.
      if (f > start || (f === start && from !== undefined && steps[dep]!.order < steps[from]!.order)) {
        start = f;
        from = dep;
      }
    }
    finish.set(id, start + figures.spanMs);
    via.set(id, from);
    if (end === undefined || finish.get(id)! > finish.get(end)!) end = id;
  }
  const criticalPath: string[] = [];
  for (let id = end; id !== undefined; id = via.get(id)) criticalPath.unshift(`${prefix}${id}`);
  return { totalWorkMs, criticalPathMs: end === undefined ? 0 : finish.get(end)!, criticalPath };
}

/**
 * A step's work (estimate × items) and span on the slots. A group's instance is its inner pipeline (its
 * critical path and work, times its expected iterations); instances are pipelined, so the group takes at
 * least one instance's span, its whole work spread on the slots, and its waves when `max_parallel` holds
 * instances back.
 */
function stepFigures(step: PlanStep, slots: number, name: string, unknownItemCounts: string[]): { workMs: number; spanMs: number } {
  if (step.forEach !== undefined && step.expectedItems === undefined) unknownItemCounts.push(name);
  const items = itemsOf(step);
  if (!step.body) return { workMs: step.estimateMs * items, spanMs: stepSpanMs(step, slots) };
  const inner = levelFigures(step.body.steps, step.body.order, slots, `${name}.`, unknownItemCounts);
  const iterations = step.body.repeat ? (step.expectedIterations ?? 1) : 1;
  const instanceSpan = inner.criticalPathMs * iterations;
  const instanceWork = inner.totalWorkMs * iterations;
  if (items === 0) return { workMs: 0, spanMs: 0 };
  const waves = step.maxParallel === undefined ? 1 : Math.ceil(items / step.maxParallel);
  return { workMs: instanceWork * items, spanMs: Math.max(instanceSpan * waves, (instanceWork * items) / slots) };
}
