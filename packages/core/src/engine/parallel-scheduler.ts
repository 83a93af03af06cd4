import { UcopError } from '../errors/ucop-error.ts';
import type { BinaryHeap } from './binary-heap.ts';
import { createReadyQueue } from './ready-queue.ts';
import type { SchedulingPolicy } from './run-options.ts';
import type { RunSession } from './run-session.ts';
import { isFinal, type ExecutionUnit, type GroupSlot, type StepRuntime } from './step-runtime.ts';

type Group = GroupSlot & { waiting: BinaryHeap<ExecutionUnit> };

/**
 * The parallel engine. Not waves: a step opens the moment its last dependency finishes, and a ready unit
 * starts as soon as a slot is free. Among ready units the policy decides (critical path first by default:
 * a binary heap keyed by the estimated remaining path, ties by plan order). Caps, all enforced at start:
 * the global `maxParallel`; a step's own `max_parallel` (only that many of its items are handed to the
 * queue at a time); named concurrency groups (a unit whose group is full waits in the group's own heap and
 * goes back to the main heap when a slot of its group frees, so it never blocks other groups).
 *
 * Everything is event-driven: a unit's completion releases its dependents, refills the queue and starts
 * what fits; there is no polling and no scan over all steps. With `levels` the older systems' waves are
 * reproduced instead: a level opens only when the whole previous level has finished.
 */
export class ParallelScheduler {
  readonly #session: RunSession;
  readonly #policy: SchedulingPolicy;
  readonly #cap: number;
  readonly #heap: BinaryHeap<ExecutionUnit>;
  readonly #groups = new Map<string, Group>();
  #running = 0;
  /** Units waiting out a retry backoff, their slot given back (see SlotLease). */
  #inBackoff = 0;
  /** Units back from a backoff, waiting for a slot: served before the ready queue. */
  readonly #reacquiring: { unit: ExecutionUnit; resume: () => void }[] = [];
  readonly #work: StepRuntime[] = [];
  #finished = false;
  #pumpQueued = false;
  #resolve: (() => void) | undefined;
  // levels policy: steps still open per level, and the level now running
  #levelOpen: number[] = [];
  #level = 0;

  constructor(session: RunSession, policy: SchedulingPolicy) {
    this.#session = session;
    this.#policy = policy;
    this.#cap = session.maxParallel;
    this.#heap = createReadyQueue(policy);
  }

  /** Runs the plan; resolves when every step is complete, or the run stopped and nothing runs any more. */
  run(): Promise<void> {
    const session = this.#session;
    return new Promise<void>((resolve) => {
      this.#resolve = resolve;
      session.onStop = () => this.#queuePump();
      session.slots = { release: (unit) => this.#releaseSlot(unit), reacquire: (unit) => this.#reacquireSlot(unit) };
      const initial: StepRuntime[] = [];
      if (this.#policy === 'levels') {
        this.#levelOpen = session.plan.groups.map((g) => g.length);
        this.#level = -1;
        session.levelHook = (rt, work) => this.#levelDone(rt, work);
        session.finishSetup();
        this.#advanceLevel(initial);
      } else {
        initial.push(...session.table.roots());
      }
      this.#release(initial);
      this.#pump();
      // After the first steps started: the one pass over every step (see RunSession.finishSetup).
      session.finishSetup();
    });
  }

  /** Opens steps (and, through steps decided at once, their dependents) and queues their units. */
  #release(work: StepRuntime[]): void {
    const session = this.#session;
    for (let i = 0; i < work.length; i += 1) {
      const rt = work[i]!;
      const units = session.open(rt);
      if (isFinal(rt.status)) {
        session.released(rt, work);
        continue;
      }
      if (rt.step.body) {
        // A group: its instances' ready inner steps join this same work list (and the one ready queue).
        session.startGroup(rt, work);
        continue;
      }
      rt.group = this.#groupOf(rt);
      const limit = rt.step.maxParallel && rt.step.maxParallel > 0 ? rt.step.maxParallel : Number.POSITIVE_INFINITY;
      const n = Math.min(units.length, limit);
      for (let j = 0; j < n; j += 1) this.#heap.push(units[j]!);
      rt.nextToQueue = n;
    }
  }

  /** `levels` policy: a top-level step finished; the next level opens when this one is done. */
  #levelDone(rt: StepRuntime, work: StepRuntime[]): void {
    this.#levelOpen[rt.step.group]! -= 1;
    if (rt.step.group === this.#level && this.#levelOpen[this.#level] === 0) this.#advanceLevel(work);
  }

  #advanceLevel(work: StepRuntime[]): void {
    const { plan, table } = this.#session;
    this.#level += 1;
    const ids = plan.groups[this.#level];
    if (!ids) return;
    for (const id of ids) work.push(table.get(id));
  }

  #groupOf(rt: StepRuntime): Group | undefined {
    const spec = rt.step.concurrencyGroup;
    if (!spec) return undefined;
    let group = this.#groups.get(spec.name);
    if (!group) {
      const limit = this.#session.plan.settings.concurrencyGroups[spec.name] ?? spec.limit;
      group = { name: spec.name, limit: Math.max(1, limit), running: 0, waiting: createReadyQueue(this.#policy) };
      this.#groups.set(spec.name, group);
    }
    return group;
  }

  #queuePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #releaseSlot(unit: ExecutionUnit): void {
    this.#inBackoff += 1;
    this.#freeSlot(unit.runtime.group as Group | undefined);
    this.#queuePump();
  }

  #reacquireSlot(unit: ExecutionUnit): Promise<void> {
    return new Promise<void>((resume) => {
      this.#reacquiring.push({ unit, resume });
      this.#pump();
    });
  }

  #freeSlot(group: Group | undefined): void {
    this.#running -= 1;
    if (group) {
      group.running -= 1;
      const next = group.waiting.pop();
      if (next) this.#heap.push(next);
    }
  }

  /** Units back from a backoff take free slots first; once the run stopped, all go on at once (to end). */
  #serveReacquiring(): void {
    const stopped = this.#session.stopped;
    for (let i = 0; i < this.#reacquiring.length && (stopped || this.#running < this.#cap); ) {
      const { unit, resume } = this.#reacquiring[i]!;
      const group = unit.runtime.group as Group | undefined;
      if (!stopped && group && group.running >= group.limit) {
        i += 1;
        continue;
      }
      this.#reacquiring.splice(i, 1);
      this.#inBackoff -= 1;
      this.#running += 1;
      if (group) group.running += 1;
      resume();
    }
  }

  #pump(): void {
    const session = this.#session;
    if (this.#reacquiring.length > 0) this.#serveReacquiring();
    while (!session.stopped && this.#running < this.#cap) {
      const unit = this.#heap.pop();
      if (!unit) break;
      const group = unit.runtime.group as Group | undefined;
      if (group && group.running >= group.limit) {
        group.waiting.push(unit);
        continue;
      }
      this.#start(unit, group);
    }
    this.#checkFinished();
  }

  #start(unit: ExecutionUnit, group: Group | undefined): void {
    this.#running += 1;
    if (group) group.running += 1;
    unit.runtime.runningUnits += 1;
    void this.#session.execute(unit).then(() => this.#onUnitDone(unit, group));
  }

  #onUnitDone(unit: ExecutionUnit, group: Group | undefined): void {
    this.#freeSlot(group);
    const rt = unit.runtime;
    rt.runningUnits -= 1;
    if (rt.nextToQueue < rt.runnable.length) this.#heap.push(rt.runnable[rt.nextToQueue++]!);
    if (this.#session.close(unit)) {
      // One work list for the scheduler's life (a completion never runs inside another).
      const work = this.#work;
      this.#session.released(rt, work);
      this.#release(work);
      work.length = 0;
    }
    this.#pump();
  }

  #checkFinished(): void {
    if (this.#finished || this.#running > 0 || this.#inBackoff > 0) return;
    const session = this.#session;
    if (!session.stopped && !session.complete && this.#heap.size === 0) {
      // Nothing runs, nothing is ready, yet steps are open: a scheduler bug. Stop loudly instead of hanging.
      session.stopRun('guard', new UcopError('INTERNAL', 'the parallel scheduler found no runnable step while steps were still open; please report this with the workflow'));
    }
    if (session.stopped || session.complete) {
      this.#finished = true;
      session.onStop = undefined;
      session.levelHook = undefined;
      this.#resolve?.();
    }
  }
}
