import { BinaryHeap } from './binary-heap.ts';
import type { SchedulingPolicy } from './run-options.ts';
import type { ExecutionUnit } from './step-runtime.ts';

function item(u: ExecutionUnit): number {
  return u.itemIndex ?? 0;
}

/** Inside groups: earlier instance (then iteration, inner order) first. 0 for top-level steps. */
function position(a: ExecutionUnit, b: ExecutionUnit): number {
  const p = a.step.position;
  const q = b.step.position;
  if (p === q || p === undefined || q === undefined) return 0;
  for (let i = 0; i < Math.min(p.length, q.length); i += 1) if (p[i] !== q[i]) return p[i]! - q[i]!;
  return p.length - q.length;
}

/** Longest estimated remaining path first; then plan order; then item order. */
function criticalPathFirst(a: ExecutionUnit, b: ExecutionUnit): number {
  return b.remainingMs - a.remainingMs || a.planOrder - b.planOrder || position(a, b) || a.step.order - b.step.order || item(a) - item(b);
}

/** Level (generation) first, then plan order: the order in which the older systems' waves ran steps. */
function levelOrder(a: ExecutionUnit, b: ExecutionUnit): number {
  return a.step.group - b.step.group || a.planOrder - b.planOrder || position(a, b) || a.step.order - b.step.order || item(a) - item(b);
}

/** First ready, first run. */
function readiness(a: ExecutionUnit, b: ExecutionUnit): number {
  return a.readySeq - b.readySeq;
}

/** The order in which ready units start under each policy (see {@link SchedulingPolicy}). */
export function readyOrder(policy: SchedulingPolicy): (a: ExecutionUnit, b: ExecutionUnit) => number {
  switch (policy) {
    case 'critical-path':
      return criticalPathFirst;
    case 'levels':
      return levelOrder;
    case 'fifo':
      return readiness;
  }
}

/** A heap of ready units ordered by the policy: O(log n) to add or take one, no scans. */
export function createReadyQueue(policy: SchedulingPolicy): BinaryHeap<ExecutionUnit> {
  return new BinaryHeap<ExecutionUnit>(readyOrder(policy));
}
