/**
 * Longest-path figures by estimated duration. `remaining` of a step is its own estimate plus the longest
 * `remaining` among the steps that depend on it: the least time from its start to the end of the workflow,
 * which is also the priority of the critical-path-first scheduler.
 */
export function remainingTimes(
  order: readonly string[],
  dependents: ReadonlyMap<string, readonly string[]>,
  estimate: ReadonlyMap<string, number>,
): Map<string, number> {
  const remaining = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    let longest = 0;
    for (const next of dependents.get(id) ?? []) longest = Math.max(longest, remaining.get(next)!);
    remaining.set(id, estimate.get(id)! + longest);
  }
  return remaining;
}

/**
 * The critical path: from the step with the largest `remaining`, follow at each step the dependent with the
 * largest `remaining`; ties go to the step that comes first in the file.
 */
export function criticalPath(
  fileOrder: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
  dependents: ReadonlyMap<string, readonly string[]>,
  remaining: ReadonlyMap<string, number>,
): { steps: string[]; ms: number } {
  let start: string | undefined;
  for (const id of fileOrder) {
    if ((dependencies.get(id) ?? []).length > 0) continue;
    if (start === undefined || remaining.get(id)! > remaining.get(start)!) start = id;
  }
  if (start === undefined) return { steps: [], ms: 0 };
  const steps = [start];
  for (let current = start; ; ) {
    let best: string | undefined;
    for (const next of dependents.get(current) ?? []) {
      if (best === undefined || remaining.get(next)! > remaining.get(best)!) best = next;
    }
    if (best === undefined) break;
    steps.push(best);
    current = best;
  }
  return { steps, ms: remaining.get(start)! };
}
