import type { CompiledPlan, PlanEstimate } from './plan-types.ts';

/**
 * Plan figures for `workers` parallel slots: the makespan lower bound max(critical path, total work /
 * workers) and the best speedup over the sequential engine (total work / lower bound). Fan-out steps count
 * once: their item count is only known at run time.
 * @param workers @default plan.settings.maxParallel
 */
export function estimatePlan(plan: CompiledPlan, workers: number = plan.settings.maxParallel): PlanEstimate {
  const slots = Math.max(1, Math.floor(workers));
  const lowerBoundMs = Math.max(plan.criticalPath.ms, plan.totalWorkMs / slots);
  return {
    workers: slots,
    criticalPathMs: plan.criticalPath.ms,
    totalWorkMs: plan.totalWorkMs,
    lowerBoundMs,
    estimatedSpeedup: lowerBoundMs > 0 ? plan.totalWorkMs / lowerBoundMs : 1,
  };
}
