import type { StepGraph } from '../dsl/step-graph.ts';

/**
 * Longest-path figures by estimated duration, over the step graph's index arrays. `remaining` of a step is
 * its own estimate plus the longest `remaining` among the steps that depend on it: the least time from its
 * start to the end of the workflow, which is also the priority of the critical-path-first scheduler.
 * @param order a topological order (file positions); @param estimate by file position
 */
export function remainingTimes(graph: StepGraph, order: Int32Array, estimate: Float64Array): Float64Array {
  const remaining = new Float64Array(graph.ids.length);
  for (let o = order.length - 1; o >= 0; o--) {
    const i = order[o]!;
    let longest = 0;
    for (let k = graph.dependentStart[i]!; k < graph.dependentStart[i + 1]!; k += 1) longest = Math.max(longest, remaining[graph.dependents[k]!]!);
    remaining[i] = estimate[i]! + longest;
  }
  return remaining;
}

/**
 * The critical path: from the step with the largest `remaining`, follow at each step the dependent with the
 * largest `remaining`; ties go to the step that comes first in the file.
 */
export function criticalPath(graph: StepGraph, remaining: Float64Array): { steps: string[]; ms: number } {
  let start = -1;
  for (let i = 0; i < graph.ids.length; i += 1) {
    if (graph.depStart[i + 1]! > graph.depStart[i]!) continue;
    if (start < 0 || remaining[i]! > remaining[start]!) start = i;
  }
  if (start < 0) return { steps: [], ms: 0 };
  const steps = [graph.ids[start]!];
  for (let current = start; ; ) {
    let best = -1;
    for (let k = graph.dependentStart[current]!; k < graph.dependentStart[current + 1]!; k += 1) {
      const next = graph.dependents[k]!;
      if (best < 0 || remaining[next]! > remaining[best]!) best = next;
    }
    if (best < 0) break;
    steps.push(graph.ids[best]!);
    current = best;
  }
  return { steps, ms: remaining[start]! };
}
