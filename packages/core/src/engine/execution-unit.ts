import type { AgentLookup } from '../agents/agent-definition.ts';
import { isUcopError, toUcopError } from '../errors/ucop-error.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import { computeFingerprint } from '../run/fingerprint.ts';
import type { ResumeIndex } from '../run/resume.ts';
import type { StepRecord } from '../run/run-record.ts';
import type { StateStore } from '../state/state-store.ts';
import type { StateWrite } from '../state/state-view.ts';
import { resolveUnitInput } from './step-opening.ts';
import { writerKeyOf, type ExecutionUnit, type StepRuntime } from './step-runtime.ts';

// Shared by units that wrote nothing (a unit's writes are assigned when it commits, never pushed).
const NO_WRITES = Object.freeze([]) as unknown as StateWrite[];

/** What creating a unit needs from the run. */
export interface UnitContext {
  /** Compute fingerprints (output files or resume are on). */
  fingerprints: boolean;
  agents: AgentLookup;
  resume: ResumeIndex | undefined;
}

/**
 * Creates the unit of a step (or of one of its fan-out items, with `item`/`index` in `scope`): resolves its
 * input, computes its fingerprint from its input and its dependencies' fingerprints, and looks for an
 * intact earlier result to reuse. A unit whose input cannot be resolved carries the error instead.
 */
export function createUnit(ctx: UnitContext, rt: StepRuntime, scope: ExpressionScope, itemIndex: number | undefined, readyAt: number, readySeq: number): ExecutionUnit {
  const step = rt.step;
  const resolved = resolveUnitInput(step, scope);
  const input = isUcopError(resolved) ? undefined : resolved;
  // A step without for_each is its own unit: they share one record.
  const record: StepRecord = itemIndex === undefined ? rt.record : { id: step.id, itemIndex, agent: step.agent, status: 'pending', attempts: 0 };
  let fingerprint: string | undefined;
  let restore: ExecutionUnit['restore'];
  if (input && ctx.fingerprints) {
    fingerprint = computeFingerprint({
      stepId: step.id,
      itemIndex,
      agent: step.agent,
      agentVersion: ctx.agents.get(step.agent)?.version ?? 'unknown',
      input,
      settings: { writes: step.writes, provider: step.provider, fallback: step.fallback },
      dependencies: rt.deps.map((dep) => [dep.localId, dep.fingerprint ?? `status:${dep.status}`] as const),
    });
    record.fingerprint = fingerprint;
    const earlier = ctx.resume && !rt.rerun ? ctx.resume.find(step.id, itemIndex, fingerprint) : undefined;
    if (earlier) restore = earlier;
  }
  return {
    heapIndex: -1,
    runtime: rt,
    step,
    itemIndex,
    input,
    fingerprint,
    record,
    status: 'pending',
    readyAt,
    readySeq,
    remainingMs: step.remainingMs,
    planOrder: step.writerOrder ?? step.order,
    output: undefined,
    error: isUcopError(resolved) ? resolved : undefined,
    writes: NO_WRITES,
    artifacts: undefined,
    restore,
  };
}

/** Takes a resumed unit's earlier result: its state writes are committed again under the same writer key. */
export async function restoreUnit(store: StateStore, unit: ExecutionUnit): Promise<void> {
  const restore = unit.restore!;
  try {
    if (restore.writes.length > 0) {
      await store.commit(writerKeyOf(unit.step, unit.itemIndex), restore.writes, () => true);
    }
    unit.output = restore.output;
    unit.writes = restore.writes;
    unit.status = 'succeeded';
  } catch (error) {
    unit.status = 'failed';
    unit.error = toUcopError(error, 'STATE_WRITE_REJECTED');
  }
}
