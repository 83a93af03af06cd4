import type { RunEvent, StepStatus } from '@ucop/core';

/** A step or fan-out item that is running now. */
export interface RunningUnit {
  stepId: string;
  itemIndex?: number;
  attempt: number;
  /** ms since the run's start. */
  startedAt: number;
}

/** One workflow step as the display sees it; fan-out items are counted inside their step. */
export interface StepProgress {
  stepId: string;
  status: StepStatus;
  /** Set once the step fanned out. */
  items?: number;
  itemsFinished: number;
  resumed: boolean;
}

/** A plain-data view of the run's progress: what the formatting functions render. */
export interface ProgressSnapshot {
  workflow: string;
  engine: 'parallel' | 'sequential' | undefined;
  totalSteps: number;
  done: number;
  failed: number;
  skipped: number;
  /** Steps and fan-out items running now, oldest first. */
  running: RunningUnit[];
  /** Estimated share of the work finished, 0..1, weighted by the plan's step estimates. */
  fraction: number;
  /** The plan's estimate of the whole run (lower bound for the worker count), if known. */
  plannedMs: number | undefined;
  finished: boolean;
}

export interface ProgressTrackerOptions {
  workflow: string;
  /** Step ids in plan order; steps not named here still count when their events arrive. */
  steps?: readonly string[];
  /** Estimated duration per step from the plan; used to weight progress. @default every step weighs 1 */
  estimates?: Readonly<Record<string, number>>;
  /** Planned run time (the plan's lower bound); used for the ETA before anything finished. */
  plannedMs?: number;
}

const FINISHED: ReadonlySet<StepStatus> = new Set<StepStatus>(['succeeded', 'failed', 'skipped', 'cancelled', 'timed_out']);

/**
 * Folds run events into progress counts. It does no I/O and keeps no clock: callers pass event times, so the
 * same tracker drives the live display, the plain log and the tests.
 */
export class ProgressTracker {
  readonly #workflow: string;
  readonly #estimates: Readonly<Record<string, number>>;
  readonly #plannedMs: number | undefined;
  readonly #steps = new Map<string, StepProgress>();
  readonly #running = new Map<string, RunningUnit>();
  #engine: 'parallel' | 'sequential' | undefined;
  #declaredTotal = 0;
  #finished = false;

  constructor(options: ProgressTrackerOptions) {
    this.#workflow = options.workflow;
    this.#estimates = options.estimates ?? {};
    this.#plannedMs = options.plannedMs;
    for (const id of options.steps ?? []) this.#step(id);
  }

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'run.started':
        this.#engine = event.engine;
        this.#declaredTotal = event.steps;
        return;
      case 'run.finished':
        this.#finished = true;
        this.#running.clear();
        return;
      case 'step.ready':
        this.#step(event.stepId);
        return;
      case 'step.expanded': {
        const step = this.#step(event.stepId);
        step.items = event.items;
        if (step.status === 'pending') step.status = 'running';
        return;
      }
      case 'step.started':
        this.#running.set(unitLabel(event.stepId, event.itemIndex), {
          stepId: event.stepId,
          ...(event.itemIndex === undefined ? {} : { itemIndex: event.itemIndex }),
          attempt: event.attempt,
          startedAt: event.at,
        });
        if (event.itemIndex === undefined) this.#step(event.stepId).status = 'running';
        else if (this.#step(event.stepId).status === 'pending') this.#step(event.stepId).status = 'running';
        return;
      case 'step.retrying':
        this.#running.delete(unitLabel(event.stepId, event.itemIndex));
        return;
      case 'step.succeeded':
        this.#finish(event.stepId, event.itemIndex, 'succeeded', event.resumed === true);
        return;
      case 'step.failed':
        this.#finish(event.stepId, event.itemIndex, 'failed', false);
        return;
      case 'step.skipped':
        this.#finish(event.stepId, event.itemIndex, 'skipped', false);
        return;
      case 'step.cancelled':
        this.#finish(event.stepId, event.itemIndex, 'cancelled', false);
        return;
    }
  }

  snapshot(): ProgressSnapshot {
    let done = 0;
    let failed = 0;
    let skipped = 0;
    for (const step of this.#steps.values()) {
      if (step.status === 'succeeded') done += 1;
      else if (step.status === 'failed' || step.status === 'timed_out') failed += 1;
      else if (step.status === 'skipped' || step.status === 'cancelled') skipped += 1;
    }
    const running = [...this.#running.values()].sort((a, b) => a.startedAt - b.startedAt);
    return {
      workflow: this.#workflow,
      engine: this.#engine,
      totalSteps: Math.max(this.#declaredTotal, this.#steps.size),
      done,
      failed,
      skipped,
      running,
      fraction: this.#finished ? 1 : this.#fraction(),
      plannedMs: this.#plannedMs,
      finished: this.#finished,
    };
  }

  #fraction(): number {
    let total = 0;
    let finished = 0;
    for (const step of this.#steps.values()) {
      const weight = this.#estimates[step.stepId] ?? 1;
      total += weight;
      if (FINISHED.has(step.status)) finished += weight;
      else if (step.items !== undefined && step.items > 0) finished += (weight * step.itemsFinished) / step.items;
    }
    // Steps announced by run.started but not yet seen carry the mean weight, so the bar does not jump to 100%.
    const unseen = Math.max(0, this.#declaredTotal - this.#steps.size);
    if (unseen > 0) total += unseen * (this.#steps.size > 0 ? total / this.#steps.size : 1);
    return total > 0 ? Math.min(1, finished / total) : 0;
  }

  #finish(stepId: string, itemIndex: number | undefined, status: StepStatus, resumed: boolean): void {
    this.#running.delete(unitLabel(stepId, itemIndex));
    const step = this.#step(stepId);
    if (itemIndex === undefined) {
      step.status = status;
      step.resumed = step.resumed || resumed;
    } else {
      step.itemsFinished += 1;
    }
  }

  #step(stepId: string): StepProgress {
    let step = this.#steps.get(stepId);
    if (!step) {
      step = { stepId, status: 'pending', itemsFinished: 0, resumed: false };
      this.#steps.set(stepId, step);
    }
    return step;
  }
}

/** `outline` or `section[2]`: how a step or fan-out item is named in output. */
export function unitLabel(stepId: string, itemIndex?: number): string {
  return itemIndex === undefined ? stepId : `${stepId}[${itemIndex}]`;
}

/**
 * Remaining time: extrapolated from the elapsed time and the finished share of the work once something
 * finished, else the plan's estimate minus the elapsed time. Undefined when neither is known.
 */
export function estimateRemainingMs(snapshot: Pick<ProgressSnapshot, 'fraction' | 'plannedMs' | 'finished'>, elapsedMs: number): number | undefined {
  if (snapshot.finished || snapshot.fraction >= 1) return 0;
  if (snapshot.fraction > 0) return (elapsedMs * (1 - snapshot.fraction)) / snapshot.fraction;
  if (snapshot.plannedMs !== undefined) return Math.max(0, snapshot.plannedMs - elapsedMs);
  return undefined;
}
