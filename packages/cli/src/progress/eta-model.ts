/**
 * The live display's ETA: the remaining time of a run from the plan's estimates, corrected by the durations
 * observed so far, on the slots and concurrency limits in force. No library models a DAG's remaining time;
 * this is the plan's lower bound (max of the longest remaining chain and the remaining work spread over the
 * slots) recomputed as the run goes.
 */

/** What the model needs of one plan step. */
export interface EtaStep {
  estimateMs: number;
  dependencies: readonly string[];
  /** Fan-out steps: the expected item count until the step expands (then the real one). */
  expectedItems?: number;
  forEach: boolean;
  /** The step's own cap on running items. */
  maxParallel?: number;
  /** Its concurrency group (shared with other steps) and the group's limit. */
  group?: { name: string; limit: number };
}

/** What the model needs of the plan. */
export interface EtaPlan {
  /** Slots of the engine (1 for the sequential one). */
  slots: number;
  /** Steps in plan order. */
  steps: ReadonlyMap<string, EtaStep>;
}

/** What has been seen of one step so far. */
export interface StepObservation {
  /** Set once the step expanded (fan-out) to this many items. */
  items?: number;
  /**
   * How the step ended, once it has: `done` (succeeded or failed: its work was done), `skipped` (it has no
   * work), `cancelled` (its work was not done).
   */
  final?: 'done' | 'skipped' | 'cancelled';
  /** Durations of its finished units (items, or the step itself). */
  finishedMs: number[];
  /** Start times of its running units (ms since the run's start). */
  runningSince: number[];
}

/** The remaining time, and what bounds it. */
export interface EtaEstimate {
  remainingMs: number;
  /** `path` (the longest chain of steps), `slots` (work ÷ slots) or `group <name>` (a concurrency limit). */
  boundBy: string;
  /** Work done and work in all, by the corrected estimates: the progress bar's fraction. */
  doneMs: number;
  totalMs: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Per-item duration of each step. Before any of its units finished: its estimate times the run's correction
 * factor (observed ÷ estimated over the other steps' finished units), so a run going twice as slow as planned
 * is expected to go on that way. Once some finished: the mean over its finished and running units, a running
 * one counting as at least that mean or as long as it has run so far (short items finish first, so the
 * finished ones alone would be too quick), blended with the prior as one more observation (a couple of
 * uneven items must not swing the ETA).
 */
function itemDurations(plan: EtaPlan, seen: ReadonlyMap<string, StepObservation>, nowMs: number): Map<string, number> {
  let observed = 0;
  let estimated = 0;
  const means = new Map<string, number>();
  for (const [id, o] of seen) {
    const step = plan.steps.get(id);
    if (!step || o.finishedMs.length === 0) continue;
    const m = mean(o.finishedMs);
    means.set(id, m);
    observed += m * o.finishedMs.length;
    estimated += step.estimateMs * o.finishedMs.length;
  }
  const factor = estimated > 0 ? observed / estimated : 1;
  const out = new Map<string, number>();
  for (const [id, step] of plan.steps) {
    const prior = step.estimateMs * factor;
    const o = seen.get(id);
    const m = means.get(id);
    if (!o || m === undefined) {
      out.set(id, prior);
      continue;
    }
    const running = o.runningSince.map((since) => Math.max(m, nowMs - since));
    const n = o.finishedMs.length + running.length;
    const own = (m * o.finishedMs.length + running.reduce((a, b) => a + b, 0)) / n;
    out.set(id, (own * n + prior) / (n + 1));
  }
  return out;
}

/**
 * A step's remaining span once its dependencies are done: its `width` lanes start with the running units'
 * rests, and each waiting unit takes the lane that frees first (as the scheduler hands a freed slot on).
 */
function stepSpan(running: readonly number[], waiting: number, d: number, width: number): number {
  const lanes = [...running].sort((a, b) => a - b);
  while (lanes.length < width) lanes.unshift(0);
  for (let i = 0; i < waiting; i += 1) {
    lanes.sort((a, b) => a - b);
    lanes[0] = lanes[0]! + d;
  }
  return Math.max(0, ...lanes);
}

/** Remaining time and progress of the run at `nowMs` (ms since its start). */
export function estimateRemaining(plan: EtaPlan, seen: ReadonlyMap<string, StepObservation>, nowMs: number): EtaEstimate {
  const per = itemDurations(plan, seen, nowMs);
  const finishAt = new Map<string, number>();
  const groupWork = new Map<string, { work: number; limit: number }>();
  let remainingWork = 0;
  let doneMs = 0;
  let totalMs = 0;
  let path = 0;
  for (const [id, step] of plan.steps) {
    const o = seen.get(id);
    const d = per.get(id)!;
    const items = step.forEach ? (o?.items ?? step.expectedItems ?? 1) : 1;
    if (o?.final) {
      finishAt.set(id, 0);
      if (o.final === 'skipped') continue;
      totalMs += d * items;
      doneMs += o.final === 'done' ? d * items : d * Math.min(items, o.finishedMs.length);
      continue;
    }
    totalMs += d * items;
    const finished = o?.finishedMs.length ?? 0;
    // A unit running past the expected duration is still running: it keeps a tenth of it to go.
    const running = (o?.runningSince ?? []).map((since) => Math.max(d / 10, d - (nowMs - since)));
    const waiting = Math.max(0, items - finished - running.length);
    const work = waiting * d + running.reduce((a, b) => a + b, 0);
    doneMs += d * items - work;
    remainingWork += work;
    if (step.group) {
      const g = groupWork.get(step.group.name) ?? { work: 0, limit: step.group.limit };
      g.work += work;
      groupWork.set(step.group.name, g);
    }
    const width = Math.max(1, Math.min(plan.slots, step.maxParallel ?? Infinity, step.group?.limit ?? Infinity));
    const span = stepSpan(running, waiting, d, width);
    const start = Math.max(0, ...step.dependencies.map((dep) => finishAt.get(dep) ?? 0));
    finishAt.set(id, start + span);
    path = Math.max(path, start + span);
  }
  let remainingMs = path;
  let boundBy = 'path';
  const bySlots = remainingWork / Math.max(1, plan.slots);
  if (bySlots > remainingMs) {
    remainingMs = bySlots;
    boundBy = 'slots';
  }
  for (const [name, g] of groupWork) {
    const byGroup = g.work / Math.max(1, g.limit);
    // Ties go to the group: the display then says the run is held by that limit.
    if (byGroup >= remainingMs) {
      remainingMs = byGroup;
      boundBy = `group ${name}`;
    }
  }
  return { remainingMs, boundBy, doneMs: Math.max(0, doneMs), totalMs };
}
