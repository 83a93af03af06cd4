import { BinaryHeap } from './binary-heap.ts';
import type { SchedulingPolicy } from './run-options.ts';
import type { ExecutionUnit } from './step-runtime.ts';

function item(u: ExecutionUnit): number {
  return u.itemIndex ?? 0;
}

/** Longest estimated remaining path first; then plan order; then item order. */
function criticalPathFirst(a: ExecutionUnit, b: ExecutionUnit): number {
  return b.step.remainingMs - a.step.remainingMs || a.step.order - b.step.order || item(a) - item(b);
}

/** Level (generation) first, then plan order: the order in which the older systems' waves ran steps. */
function levelOrder(a: ExecutionUnit, b: ExecutionUnit): number {
  return a.step.group - b.step.group || a.step.order - b.step.order || item(a) - item(b);
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
