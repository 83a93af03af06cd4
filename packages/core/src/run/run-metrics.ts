import type { CompiledPlan } from '../plan/plan-types.ts';
import type { RunMetrics, StepRecord } from './run-record.ts';

/** Time a unit spent waiting inside its span: backoff before retries and rate-limit waits are not work. */
function waitsOf(r: StepRecord): { backoffMs: number; rateLimitMs: number } {
  return { backoffMs: r.backoffMs ?? 0, rateLimitMs: r.usage?.rateLimitWaitMs ?? 0 };
}

/** A unit's working time: its span less the waits inside it. */
function duration(r: StepRecord): number {
  if (r.startMs === undefined || r.endMs === undefined || r.resumed) return 0;
  const w = waitsOf(r);
  return Math.max(0, r.endMs - r.startMs - w.backoffMs - w.rateLimitMs);
}

/**
 * The run's figures from its step records (fan-out steps: one aggregate record without `itemIndex`, then
 * one per item).
 * - sumStepMs: the working time of every executed unit (a fan-out step counts through its items): its span
 *   less its backoff sleeps and rate-limit waits, which are reported apart in `waits`.
 * - criticalPath: the longest dependency chain by actual durations; a fan-out step weighs as its longest
 *   item (the least time the step could have taken with unlimited slots).
 * - lowerBoundMs = max(critical path, sumStepMs / maxParallel): no schedule on `maxParallel` slots can be
 *   faster; efficiency = lowerBoundMs / wallMs.
 */
export function computeRunMetrics(plan: Pick<CompiledPlan, 'steps' | 'order'>, records: readonly StepRecord[], wallMs: number, maxParallel: number): RunMetrics {
  const weight = new Map<string, number>();
  let sumStepMs = 0;
  const waits = { queueMs: 0, rateLimitMs: 0, backoffMs: 0 };
  // Fan-out steps inside groups are not in plan.steps: their items name them.
  const withItems = new Set<string>();
  for (const r of records) if (r.itemIndex !== undefined) withItems.add(r.id);
  for (const r of records) {
    const step = plan.steps[r.id];
    const isFanOutParent = r.itemIndex === undefined && (step?.forEach !== undefined || withItems.has(r.id));
    if (isFanOutParent) {
      if (!weight.has(r.id)) weight.set(r.id, 0);
      continue;
    }
    // A group (or a follow-up template) does no work itself: its span weighs on the critical path only.
    if (step?.body !== undefined || step?.followUp !== undefined || r.agent === 'group' || r.agent.startsWith('uses:')) {
      weight.set(r.id, duration(r));
      continue;
    }
    const d = duration(r);
    sumStepMs += d;
    if (!r.resumed) {
      const w = waitsOf(r);
      waits.queueMs += r.queueWaitMs ?? 0;
      waits.rateLimitMs += w.rateLimitMs;
      waits.backoffMs += w.backoffMs;
    }
    weight.set(r.id, Math.max(weight.get(r.id) ?? 0, d));
  }
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let endId: string | undefined;
  for (const id of plan.order) {
    let best = 0;
    let from: string | undefined;
    for (const dep of plan.steps[id]!.dependencies) {
      const f = finish.get(dep) ?? 0;
      if (f > best) {
        best = f;
        from = dep;
      }
    }
    const f = best + (weight.get(id) ?? 0);
    finish.set(id, f);
    via.set(id, from);
    if (endId === undefined || f > finish.get(endId)!) endId = id;
  }
  const path: string[] = [];
  for (let id = endId; id !== undefined; id = via.get(id)) path.push(id);
  path.reverse();
  const criticalMs = endId === undefined ? 0 : finish.get(endId)!;
  const lowerBoundMs = Math.max(criticalMs, maxParallel > 0 ? sumStepMs / maxParallel : sumStepMs);
  return {
    sumStepMs,
    speedup: wallMs > 0 ? sumStepMs / wallMs : 1,
    criticalPath: { steps: path, ms: criticalMs },
    lowerBoundMs,
    efficiency: wallMs > 0 ? lowerBoundMs / wallMs : 1,
    waits,
  };
}
