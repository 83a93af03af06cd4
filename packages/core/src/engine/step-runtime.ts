import type { UcopError } from '../errors/ucop-error.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import type { WriterKey } from '../state/writer-key.ts';
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
  /**
   * The step's `remainingMs` and plan order (`writerOrder ?? order`), copied when the unit is created: the
   * ready queue compares these on every push and pop, and reading them here spares a load of the step.
   */
  readonly remainingMs: number;
  readonly planOrder: number;
  output: unknown;
  error: UcopError | undefined;
  /** The state writes this unit committed (kept for its output file, so resume can restore them). */
  writes: StateWrite[];
  /** Files the unit wrote through its artifact writer (kept in its output file for resume to check). */
  artifacts: ArtifactRecord[] | undefined;
  /** The earlier run's intact result, when resume reuses it instead of running the unit. */
  readonly restore: EarlierResult | undefined;
}

/**
 * A step of the plan while the run goes on: a top-level step, an inner step of one group instance
 * (`chapter[3].polish`, its `step.id` is that stable id), or a follow-up task. Transitions happen in
 * run-session.ts (and group-runtime.ts for groups) only.
 */
export interface StepRuntime extends HeapEntry {
  readonly step: PlanStep;
  /** The id its level's expressions know it by: the inner id inside a group, else the step id. */
  readonly localId: string;
  /** The group instance it belongs to; undefined at the top level (and for follow-up tasks). */
  readonly frame: Instance | undefined;
  /** Resolved dependencies, in the order of `step.dependencies` (plus a follow-up's creator and target). */
  deps: StepRuntime[];
  /** Runtimes that wait for this one. */
  readonly dependents: StepRuntime[];
  /** Resume must run it again (`--from-step` at or before it, or an altered result upstream). */
  rerun: boolean;
  /** For a group: its instances. */
  groupState: GroupState | undefined;
  /** For a group that opened: its `for_each` items (undefined without for_each). */
  groupItems: readonly unknown[] | undefined;
  /** For a follow-up task: its item, index, creating instance and template. */
  task: { item: unknown; index: number; source: string; template: string } | undefined;
  /** For a follow-up template: the tasks it created, in creation order. */
  spawned: StepRuntime[] | undefined;
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

/**
 * One instance of a group: one item of its `for_each` (and one iteration of its `repeat`). It owns the
 * runtimes of the group's inner steps for that instance and the scope they evaluate in.
 */
export interface Instance {
  /** `chapter[3]`, `review#2`, `chapter[3]#2`. */
  readonly id: string;
  readonly group: StepRuntime;
  /** Position of the item in the group's `for_each` list (undefined without for_each). */
  readonly slot: number;
  readonly iteration: number | undefined;
  /** The instance's scope without `state` (added when a step opens). */
  readonly scope: Omit<ExpressionScope, 'state'> & { steps: Record<string, { output: unknown; status: string }> };
  /** Inner runtimes in the group's inner order. */
  readonly runtimes: StepRuntime[];
  readonly byLocal: Map<string, StepRuntime>;
  /** Inner runtimes not complete yet. */
  open: number;
  readonly position: readonly number[];
}

/** A group's instances while it runs. */
export interface GroupState {
  /** The `for_each` items; undefined for a group without for_each (one slot). */
  readonly items: readonly unknown[] | undefined;
  /** Per slot (item), its iterations in order (one without repeat). */
  readonly slots: Instance[][];
  /** Per slot: the final status and outputs, once done. */
  readonly results: ({ status: FinalStatus; outputs: unknown; error: UcopError | undefined } | undefined)[];
  /** Next slot to start (instances beyond the group's `max_parallel` wait). */
  nextSlot: number;
  /** Slots started and not done. */
  running: number;
  /** Slots not done. */
  open: number;
}

// Shared by every runtime that has not opened (a step's units are assigned, never pushed, when it opens).
const NOT_OPENED = Object.freeze([]) as unknown as ExecutionUnit[];

/** A step's runtime before it opens. */
export function createStepRuntime(step: PlanStep, frame?: Instance, localId: string = step.id): StepRuntime {
  return {
    heapIndex: -1,
    step,
    localId,
    frame,
    deps: [],
    dependents: [],
    rerun: false,
    groupState: undefined,
    groupItems: undefined,
    task: undefined,
    spawned: undefined,
    record: { id: step.id, agent: step.agent, status: 'pending', attempts: 0 },
    status: 'pending',
    pendingDeps: step.dependencies.length,
    fanOut: false,
    units: NOT_OPENED,
    openUnits: 0,
    runnable: NOT_OPENED,
    nextToQueue: 0,
    runningUnits: 0,
    group: undefined,
    output: undefined,
    error: undefined,
    fingerprint: undefined,
  };
}

/**
 * Drops a finished step's single unit (its record is the step's own and stays): nothing reads it after the
 * step completed, and a 50,000-step run would otherwise hold every unit and input to its end.
 */
export function forgetUnits(rt: StepRuntime): void {
  rt.units = NOT_OPENED;
  rt.runnable = NOT_OPENED;
}

/** Whether a status is final. */
export function isFinal(status: StepStatus): status is FinalStatus {
  return status !== 'pending' && status !== 'running';
}

/** Readable name of a unit for messages: `"fetch"` or `"fetch" item 3`. */
export function describeUnit(stepId: string, itemIndex: number | undefined): string {
  return itemIndex === undefined ? `step "${stepId}"` : `step "${stepId}" item ${itemIndex}`;
}

/** The key that orders a unit's state writes (see state/writer-key.ts): plan order, then position, then item. */
export function writerKeyOf(step: PlanStep, itemIndex: number | undefined): WriterKey {
  const key: WriterKey = { stepId: step.id, order: step.writerOrder ?? step.order, itemIndex: itemIndex ?? 0 };
  if (step.position) key.position = step.position;
  return key;
}
