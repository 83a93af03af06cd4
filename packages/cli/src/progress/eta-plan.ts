import type { CompiledPlan } from '@ucop/core';
import type { EtaPlan, EtaStep } from './eta-model.ts';

/** The ETA model's view of a compiled plan on `slots` slots (concurrency group limits as configured). */
export function etaPlanOf(plan: CompiledPlan, slots: number): EtaPlan {
  const steps = new Map<string, EtaStep>();
  for (const id of plan.order) {
    const s = plan.steps[id]!;
    const group = s.concurrencyGroup ? { name: s.concurrencyGroup.name, limit: plan.settings.concurrencyGroups[s.concurrencyGroup.name] ?? s.concurrencyGroup.limit } : undefined;
    steps.set(id, {
      estimateMs: s.estimateMs,
      dependencies: s.dependencies,
      forEach: s.forEach !== undefined,
      ...(s.expectedItems !== undefined ? { expectedItems: s.expectedItems } : {}),
      ...(s.maxParallel !== undefined ? { maxParallel: s.maxParallel } : {}),
      ...(group ? { group } : {}),
    });
  }
  return { slots: Math.max(1, slots), steps };
}
