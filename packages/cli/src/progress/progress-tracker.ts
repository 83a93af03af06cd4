import type { RunEvent, RunStatus, StepStatus } from '@ucop/core';
import { estimateRemaining } from './eta-model.ts';
import type { EtaEstimate, EtaPlan, StepObservation } from './eta-model.ts';

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
  /** How the run ended, once it has. */
  status?: RunStatus;
  /** Units (steps without for_each, and fan-out items): succeeded, failed (or timed out), running now. */
  units: { succeeded: number; failed: number; running: number };
  /** Fan-out steps expanded and not finished: `section 3/5`. */
  fanOuts: { stepId: string; finished: number; total: number }[];
  /** Units ready but not started: waiting for a slot or a concurrency group. */
  queued: number;
  /** When the longest-waiting of them became ready (ms since the run's start). */
  queuedSince?: number;
  /** The concurrency group the queued units wait on, when they are in one (else they wait for a slot). */
  waitingOnGroup?: string;
  /** Remaining time by the ETA model (with a plan), at the snapshot's time. */
  eta?: EtaEstimate;
}

export interface ProgressTrackerOptions {
  workflow: string;
  /** Step ids in plan order; steps not named here still count when their events arrive. */
  steps?: readonly string[];
  /** Estimated duration per step from the plan; used to weight progress. @default every step weighs 1 */
  estimates?: Readonly<Record<string, number>>;
  /** Planned run time (the plan's lower bound); used for the ETA before anything finished. */
  plannedMs?: number;
  /** The plan as the ETA model sees it: with it, the ETA and the bar follow the model (eta-model.ts). */
  plan?: EtaPlan;
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
  readonly #plan: EtaPlan | undefined;
  readonly #seen = new Map<string, StepObservation>();
  /** First start of each unit (its duration runs to its end, retries included). */
  readonly #firstStart = new Map<string, number>();
  /** Ready units not started yet, with when they became ready. */
  readonly #ready = new Map<string, number>();
  readonly #units = { succeeded: 0, failed: 0 };
  #status: RunStatus | undefined;
  #endedAt = 0;
  #engine: 'parallel' | 'sequential' | undefined;
  #declaredTotal = 0;
  #finished = false;

  constructor(options: ProgressTrackerOptions) {
    this.#workflow = options.workflow;
    this.#estimates = options.estimates ?? {};
    this.#plannedMs = options.plannedMs;
    this.#plan = options.plan;
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
        this.#status = event.status;
        this.#endedAt = event.at;
        this.#running.clear();
        this.#ready.clear();
        return;
      case 'step.ready':
        this.#step(event.stepId);
        this.#ready.set(unitLabel(event.stepId, event.itemIndex), event.at);
        return;
      case 'step.expanded': {
        const step = this.#step(event.stepId);
        step.items = event.items;
        this.#observe(event.stepId).items = event.items;
        if (step.status === 'pending') step.status = 'running';
        return;
      }
      case 'step.started': {
        const label = unitLabel(event.stepId, event.itemIndex);
        this.#ready.delete(label);
        if (!this.#firstStart.has(label)) this.#firstStart.set(label, event.at);
        this.#running.set(label, {
          stepId: event.stepId,
          ...(event.itemIndex === undefined ? {} : { itemIndex: event.itemIndex }),
          attempt: event.attempt,
          startedAt: event.at,
        });
        if (event.itemIndex === undefined) this.#step(event.stepId).status = 'running';
        else if (this.#step(event.stepId).status === 'pending') this.#step(event.stepId).status = 'running';
        return;
      }
      case 'step.retrying':
        this.#running.delete(unitLabel(event.stepId, event.itemIndex));
        return;
      case 'step.succeeded':
        this.#finish(event.stepId, event.itemIndex, 'succeeded', event.resumed === true, event.at);
        return;
      case 'step.failed':
        this.#finish(event.stepId, event.itemIndex, 'failed', false, event.at);
        return;
      case 'step.skipped':
        this.#finish(event.stepId, event.itemIndex, 'skipped', false, event.at);
        return;
      case 'step.cancelled':
        this.#finish(event.stepId, event.itemIndex, 'cancelled', false, event.at);
        return;
    }
  }

  /**
   * The progress now. `nowMs` (ms since the run's start) lets the ETA model count the running units' time;
   * without a plan or a time, the bar is weighted by the step estimates and no model ETA is given.
   */
  snapshot(nowMs?: number): ProgressSnapshot {
    let done = 0;
    let failed = 0;
    let skipped = 0;
    for (const step of this.#steps.values()) {
      if (step.status === 'succeeded') done += 1;
      else if (step.status === 'failed' || step.status === 'timed_out') failed += 1;
      else if (step.status === 'skipped' || step.status === 'cancelled') skipped += 1;
    }
    const running = [...this.#running.values()].sort((a, b) => a.startedAt - b.startedAt);
    const eta = this.#plan && nowMs !== undefined && !this.#finished ? estimateRemaining(this.#plan, this.#liveObservations(), nowMs) : undefined;
    const fanOuts: ProgressSnapshot['fanOuts'] = [];
    for (const step of this.#steps.values()) {
      if (step.items !== undefined && step.items > 0 && !FINISHED.has(step.status)) fanOuts.push({ stepId: step.stepId, finished: step.itemsFinished, total: step.items });
    }
    let fraction = eta && eta.totalMs > 0 ? Math.min(1, eta.doneMs / eta.totalMs) : this.#fraction();
    // Only a run that succeeded did all its work: a cancelled or failed one keeps the share it reached (steps
    // it skipped on the way out count as not done).
    if (this.#finished) fraction = this.#status === 'succeeded' || this.#status === undefined ? 1 : this.#stoppedFraction();
    return {
      workflow: this.#workflow,
      engine: this.#engine,
      totalSteps: Math.max(this.#declaredTotal, this.#steps.size),
      done,
      failed,
      skipped,
      running,
      fraction,
      plannedMs: this.#plannedMs,
      finished: this.#finished,
      ...(this.#status ? { status: this.#status } : {}),
      units: { ...this.#units, running: running.length },
      fanOuts,
      queued: this.#ready.size,
      ...(this.#ready.size > 0 ? { queuedSince: Math.min(...this.#ready.values()) } : {}),
      ...this.#waitingOnGroup(),
      ...(eta ? { eta } : {}),
    };
  }

  #waitingOnGroup(): { waitingOnGroup?: string } {
    if (!this.#plan) return {};
    for (const label of this.#ready.keys()) {
      const group = this.#plan.steps.get(label.replace(/\[\d+\]$/, ''))?.group;
      if (group) return { waitingOnGroup: group.name };
    }
    return {};
  }

  #stoppedFraction(): number {
    if (this.#plan) {
      const seen = new Map([...this.#liveObservations()].map(([id, o]) => [id, o.final === 'skipped' ? { ...o, final: 'cancelled' as const } : o]));
      const { doneMs, totalMs } = estimateRemaining(this.#plan, seen, this.#endedAt);
      return totalMs > 0 ? Math.min(1, doneMs / totalMs) : 0;
    }
    let total = 0;
    let done = 0;
    for (const step of this.#steps.values()) {
      const weight = this.#estimates[step.stepId] ?? 1;
      total += weight;
      if (step.status === 'succeeded' || step.status === 'failed') done += weight;
      else if (step.items !== undefined && step.items > 0) done += (weight * step.itemsFinished) / step.items;
    }
    return total > 0 ? done / total : 0;
  }

  /** The observations with the running units' start times filled in. */
  #liveObservations(): Map<string, StepObservation> {
    for (const o of this.#seen.values()) o.runningSince = [];
    for (const unit of this.#running.values()) this.#observe(unit.stepId).runningSince.push(this.#firstStart.get(unitLabel(unit.stepId, unit.itemIndex)) ?? unit.startedAt);
    return this.#seen;
  }

  #observe(stepId: string): StepObservation {
    let o = this.#seen.get(stepId);
    if (!o) {
      o = { finishedMs: [], runningSince: [] };
      this.#seen.set(stepId, o);
    }
    return o;
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

  #finish(stepId: string, itemIndex: number | undefined, status: StepStatus, resumed: boolean, at: number): void {
    const label = unitLabel(stepId, itemIndex);
    this.#running.delete(label);
    this.#ready.delete(label);
    const step = this.#step(stepId);
    const isUnit = itemIndex !== undefined || step.items === undefined;
    if (isUnit) {
      if (status === 'succeeded') this.#units.succeeded += 1;
      else if (status === 'failed' || status === 'timed_out') this.#units.failed += 1;
      const start = this.#firstStart.get(label);
      // Only work that ended teaches the ETA a duration: not resumed units (no time here), nor cancelled ones.
      const ended = status === 'succeeded' || status === 'failed' || status === 'timed_out';
      if (start !== undefined && !resumed && ended) this.#observe(stepId).finishedMs.push(Math.max(0, at - start));
    }
    if (itemIndex === undefined) this.#observe(stepId).final = status === 'skipped' ? 'skipped' : status === 'cancelled' ? 'cancelled' : 'done';
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
