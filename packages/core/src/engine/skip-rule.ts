import type { ExprNode } from '../expr/ast.ts';
import { expressionReferences } from '../expr/references.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import type { StepStatus } from './run-events.ts';

/** What the skip rule needs to know about a finished dependency. */
export interface DependencyOutcome {
  status: StepStatus;
  /** The dependency failed but has `continue_on_error: true`. */
  continued: boolean;
}

/** Step ids whose `.status` an expression reads, e.g. `steps.fetch.status == 'failed'` gives `fetch`. */
export function statusReferences(node: ExprNode, out: Set<string> = new Set()): Set<string> {
  for (const ref of expressionReferences(node)) {
    if (ref.root === 'steps' && ref.member === 'status' && ref.name !== undefined) out.add(ref.name);
  }
  return out;
}

const VERB: Record<StepStatus, string> = {
  pending: 'did not run',
  running: 'did not finish',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'was skipped',
  cancelled: 'was cancelled',
  timed_out: 'timed out',
};

// Dependency outcomes after which a step may still run when its `if:` reads the dependency's status.
const OVERRIDABLE: ReadonlySet<StepStatus> = new Set(['failed', 'timed_out', 'skipped']);

/**
 * The skip rule, applied when all of a step's dependencies have finished:
 *
 * 1. A dependency *blocks* the step when it did not succeed (failed, timed out, was skipped or cancelled),
 *    except a dependency that failed or timed out with `continue_on_error: true`: that one never blocks, and
 *    its `failed`/`timed_out` status is visible to expressions.
 * 2. A blocking dependency skips the step, with the reason `dependency "X" failed (read steps.X.status in
 *    if: to run anyway)` (or `timed out`, `was skipped`; a cancelled one gives no such hint), unless the
 *    step's `if:` reads that dependency's status (`steps.X.status`): then the condition alone decides
 *    whether the step runs. Every blocking dependency must be read that way for the condition to decide.
 * 3. Otherwise a false `if:` skips the step, with the reason `condition ... was false`.
 *
 * @returns the reason to skip, or undefined when the step goes on to its condition (if any)
 */
export function blockingReason(step: PlanStep, outcome: (id: string) => DependencyOutcome, statusReads: ReadonlySet<string>): string | undefined {
  for (const dep of step.dependencies) {
    const o = outcome(dep);
    if (o.status === 'succeeded' || o.continued) continue;
    if (statusReads.has(dep)) continue;
    const reason = `dependency "${dep}" ${VERB[o.status]}`;
    // Says how to override rule 2. Not after a cancellation: the run stopped, and no condition brings it back.
    return OVERRIDABLE.has(o.status) ? `${reason} (read steps.${dep}.status in if: to run anyway)` : reason;
  }
  return undefined;
}
