import { BinaryHeap } from './binary-heap.ts';
import type { RunSession } from './run-session.ts';
import { isFinal, type StepRuntime } from './step-runtime.ts';

/** A runtime's place in the sequential order: plan order, then (inside groups) instance, iteration, inner order. */
function sequenceOf(rt: StepRuntime): readonly number[] {
  const step = rt.step;
  return step.position === undefined ? [step.order] : [step.writerOrder ?? step.order, ...step.position];
}

function compareSequence(a: StepRuntime, b: StepRuntime): number {
  if (a.step.position === undefined && b.step.position === undefined) return a.step.order - b.step.order;
  const p = sequenceOf(a);
  const q = sequenceOf(b);
  for (let i = 0; i < Math.min(p.length, q.length); i += 1) if (p[i] !== q[i]) return p[i]! - q[i]!;
  return p.length - q.length;
}

/**
 * The sequential engine: one step, and one fan-out item, at a time, in the plan's deterministic
 * topological order. Same session, same semantics (skip rule, retries, timeouts, guards, fail-fast, state
 * writer keys) as the parallel engine, so deterministic agents give byte-identical outputs and state.
 *
 * Among the steps whose dependencies are done it takes the first in plan order; inside a group, the
 * instances in item order, each one's inner steps in the group's order (a group's instance runs to its end
 * before the next one starts), which for a workflow without groups is exactly the plan's order.
 */
export async function runSequential(session: RunSession): Promise<void> {
  const ready = new BinaryHeap<StepRuntime>(compareSequence);
  const push = (rt: StepRuntime) => ready.push(rt);
  session.finishSetup();
  for (const rt of session.table.roots()) push(rt);
  const work: StepRuntime[] = [];
  while (ready.size > 0) {
    if (session.stopped) return;
    const rt = ready.pop()!;
    const units = session.open(rt);
    if (rt.step.body && !isFinal(rt.status)) {
      session.startGroup(rt, work);
    } else {
      for (const unit of units) {
        // Executing a unit after a stop only records it as not started.
        await session.execute(unit);
        session.close(unit);
      }
      if (isFinal(rt.status)) session.released(rt, work);
    }
    for (const next of work) push(next);
    work.length = 0;
  }
}
