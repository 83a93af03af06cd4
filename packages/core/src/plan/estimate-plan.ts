import type { CompiledPlan, PlanEstimate, PlanStep } from './plan-types.ts';

/** How many items a step is expected to run (1 without for_each, or when the count is unknown). */
function itemsOf(step: PlanStep): number {
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
  let totalWorkMs = 0;
  const unknownItemCounts: string[] = [];
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let end: string | undefined;
  for (const id of plan.order) {
    const step = plan.steps[id]!;
    totalWorkMs += step.estimateMs * itemsOf(step);
    if (step.forEach !== undefined && step.expectedItems === undefined) unknownItemCounts.push(id);
    let start = 0;
    let from: string | undefined;
    for (const dep of step.dependencies) {
      const f = finish.get(dep)!;
      // Ties go to the step that comes first in the plan's order, as the compiled critical path's do.
      if (f > start || (f === start && from !== undefined && plan.steps[dep]!.order < plan.steps[from]!.order)) {
        start = f;
        from = dep;
      }
    }
    finish.set(id, start + stepSpanMs(step, slots));
    via.set(id, from);
    if (end === undefined || finish.get(id)! > finish.get(end)!) end = id;
  }
  const criticalPath: string[] = [];
  for (let id = end; id !== undefined; id = via.get(id)) criticalPath.unshift(id);
  const criticalPathMs = end === undefined ? 0 : finish.get(end)!;
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
