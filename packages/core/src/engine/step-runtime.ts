import type { UcopError } from '../errors/ucop-error.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import type { EarlierResult } from '../run/resume.ts';
import type { StepRecord } from '../run/run-record.ts';
import type { StateWrite } from '../state/state-view.ts';
import type { HeapEntry } from './binary-heap.ts';
import type { StepStatus } from './run-events.ts';
import type { ArtifactRecord } from './step-executor.ts';

/** A named concurrency group's live counters. */
export interface GroupSlot {
  readonly name: string;
  readonly limit: number;
  running: number;
}

/** Statuses after which a step or item never changes again. */
export type FinalStatus = Exclude<StepStatus, 'pending' | 'running'>;

/**
 * One thing the scheduler runs: a whole step, or one fan-out item of a `for_each` step. It carries plain
 * data only (no closures), so a finished unit costs its record and output and nothing else.
 */
export interface ExecutionUnit extends HeapEntry {
  readonly runtime: StepRuntime;
  readonly step: PlanStep;
  /** Undefined for a step without `for_each`. */
  readonly itemIndex: number | undefined;
  /** The step's `with:` evaluated for this unit; undefined when evaluating it failed (see `error`). */
  readonly input: Record<string, unknown> | undefined;
  /** Set when resume or output files are on: see run/fingerprint.ts. */
  readonly fingerprint: string | undefined;
  readonly record: StepRecord;
  status: StepStatus;
  /** ms since the run's start when the unit became ready (slots, groups and caps count as queue wait). */
  readyAt: number;
  /** Tie-break for the `fifo` policy. */
  readySeq: number;
  output: unknown;
  error: UcopError | undefined;
  /** The state writes this unit committed (kept for its output file, so resume can restore them). */
  writes: StateWrite[];
  /** Files the unit wrote through its artifact writer (kept in its output file for resume to check). */
  artifacts: ArtifactRecord[] | undefined;
  /** The earlier run's intact result, when resume reuses it instead of running the unit. */
  readonly restore: EarlierResult | undefined;
}

/** A step of the plan while the run goes on. Transitions happen in run-session.ts only. */
export interface StepRuntime {
  readonly step: PlanStep;
  /** The step's own record (for a fan-out step: the aggregate; items have their own). */
  readonly record: StepRecord;
  status: StepStatus;
  /** Dependencies not yet finished (the parallel scheduler's count). */
  pendingDeps: number;
  /** The step has `for_each`: `units` are its items. */
  fanOut: boolean;
  units: ExecutionUnit[];
  /** Units not finished yet. */
  openUnits: number;
  /** The units that still had to run when the step opened (the others failed at once). */
  runnable: ExecutionUnit[];
  /** Index into `runnable` of the next unit to hand to the ready queue (a step's own `max_parallel` holds the rest back). */
  nextToQueue: number;
  /** Units of this step currently running (for the step's `max_parallel`). */
  runningUnits: number;
  group: GroupSlot | undefined;
  output: unknown;
  error: UcopError | undefined;
  /** The step's fingerprint as its dependents see it (see run/fingerprint.ts). */
  fingerprint: string | undefined;
}

/** A step's runtime before the run starts. */
export function createStepRuntime(step: PlanStep): StepRuntime {
  return {
    step,
    record: { id: step.id, agent: step.agent, status: 'pending', attempts: 0 },
    status: 'pending',
    pendingDeps: step.dependencies.length,
    fanOut: false,
    units: [],
    openUnits: 0,
    runnable: [],
    nextToQueue: 0,
    runningUnits: 0,
    group: undefined,
    output: undefined,
    error: undefined,
    fingerprint: undefined,
  };
}

/** Whether a status is final. */
export function isFinal(status: StepStatus): status is FinalStatus {
  return status !== 'pending' && status !== 'running';
}

/** Readable name of a unit for messages: `"fetch"` or `"fetch" item 3`. */
export function describeUnit(stepId: string, itemIndex: number | undefined): string {
  return itemIndex === undefined ? `step "${stepId}"` : `step "${stepId}" item ${itemIndex}`;
}
