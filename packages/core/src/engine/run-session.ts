// RunSession is the one place where unit and step statuses change (both engines drive it); the stop, the
// guards, the deadlines, the scheduling heap, the runtimes (runtime-table.ts) and the persistence live in
// their own files, and what remains here is the transition table itself, which reads best in one piece
// (~400 lines). Groups and follow-up tasks keep their own logic in group-runtime.ts and follow-ups.ts; what
// they added here is the wiring (register, released, scopeOf), about a hundred lines over the mark.
import type { AgentLookup } from '../agents/agent-definition.ts';
import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';
import type { ResumeIndex } from '../run/resume.ts';
import type { StepRecord } from '../run/run-record.ts';
import { stepOutputPath } from '../run/step-output-file.ts';
import type { RunRecorder } from '../store/run-recorder.ts';
import { StateStore } from '../state/state-store.ts';
import type { SpanHandle, Tracer } from '../telemetry/tracer.ts';
import { noopSpan } from '../telemetry/tracer.ts';
import type { AttemptHandle } from './attempt-handle.ts';
import { runUnit, type AttemptHost, type SlotLease } from './attempt-runner.ts';
import type { Clock } from './clock.ts';
import { DeadlineQueue } from './deadline-queue.ts';
import { RunGuards, type GuardTrip } from './guards.ts';
import type { EngineKind } from './run-options.ts';
import { guardedListener, type EventError, type RunEvent, type RunEventListener } from './run-events.ts';
import { RunStop, type StopKind } from './run-stop.ts';
import type { DependencyOutcome } from './skip-rule.ts';
import type { StepExecutor } from './step-executor.ts';
import { openStep } from './step-opening.ts';
import { createUnit, restoreUnit, type UnitContext } from './execution-unit.ts';
import { RuntimeTable } from './runtime-table.ts';
import { describeUnit, forgetUnits, isFinal, type ExecutionUnit, type FinalStatus, type StepRuntime } from './step-runtime.ts';
import { aggregateFanOut } from './fan-out-result.ts';
import { continuesOnError, instanceDone, startGroup } from './group-runtime.ts';
import { FollowUps } from './follow-ups.ts';

export type { StopKind } from './run-stop.ts';

/** What `open` returns when nothing is to run: one shared, frozen list. */
const NO_UNITS: readonly ExecutionUnit[] = Object.freeze([]);


/** Everything a session needs, resolved by runWorkflow. */
export interface SessionSetup {
  plan: CompiledPlan;
  engine: EngineKind;
  maxParallel: number;
  failFast: boolean;
  runId: string;
  inputs: Record<string, unknown>;
  env: Record<string, string | undefined>;
  clock: Clock;
  tracer: Tracer;
  onEvent: RunEventListener | undefined;
  agents: AgentLookup;
  /** Built with the session's state store when not given (see runWorkflow). */
  executor: (store: StateStore) => StepExecutor;
  /** Told the plan's agent names once the first steps have started (the local executor compiles their schemas). */
  prepareAgents?: (agents: ReadonlySet<string>) => void;
  random: () => number;
  /** Journals what happens (and writes the views) when the run has a store. */
  recorder: RunRecorder | undefined;
  resume: ResumeIndex | undefined;
  /** Steps that must run again even when resume could reuse their results (`fromStep` and downstream). */
  rerun: ReadonlySet<string>;
  /** Steps (stable ids) with a unit whose earlier result was altered on disk: what depends on them runs again. */
  altered: ReadonlySet<string>;
  signal: AbortSignal | undefined;
}

/**
 * One run's shared machinery, used by both engines: step runtimes and records, the expression scope, the
 * state store, the deadlines and guards, the stop (run-stop.ts: fail-fast, deadline, guard, cancellation),
 * events and output files. The engines decide only WHEN a step opens and a unit executes; every status transition
 * happens here (open → units → close → step complete).
 */
export class RunSession implements AttemptHost {
  readonly plan: CompiledPlan;
  readonly runId: string;
  readonly workflow: string;
  readonly engine: EngineKind;
  readonly maxParallel: number;
  readonly clock: Clock;
  readonly deadlines: DeadlineQueue;
  readonly store: StateStore;
  readonly executor: StepExecutor;
  readonly running = new Set<AttemptHandle>();
  readonly cancelGraceMs: number;
  readonly random: () => number;
  readonly emit: ((event: RunEvent) => void) | undefined;
  /** The top-level runtimes, created when first needed (see runtime-table.ts). */
  readonly table: RuntimeTable;
  /** Units executing now (attempts and backoff sleeps), for the watchdog. */
  readonly active = new Set<ExecutionUnit>();
  /** Called when the run stops, so that an idle engine notices. */
  onStop: (() => void) | undefined;
  /** Set by an engine whose units give their slot back during a retry backoff (the parallel one). */
  slots: SlotLease | undefined;
  span: SpanHandle = noopSpan;
  readonly #setup: SessionSetup;
  readonly #guards: RunGuards;
  readonly #scopeSteps: Record<string, { output: unknown; status: string }> = {};
  readonly #stop = new RunStop((kind, attemptError) => {
    const as = kind === 'deadline' ? 'timed_out' : 'cancelled';
    for (const handle of [...this.running]) handle.abort(as, attemptError);
    this.onStop?.();
  });
  #t0 = 0;
  #startedAt = '';
  #readySeq = 0;
  #setUp = false;
  #topScope: ExpressionScope | undefined;
  readonly #unitContext: UnitContext;

  constructor(setup: SessionSetup) {
    const { plan } = setup;
    this.#setup = setup;
    this.plan = plan;
    this.runId = setup.runId;
    this.workflow = plan.workflow;
    this.engine = setup.engine;
    this.maxParallel = setup.maxParallel;
    this.clock = setup.clock;
    this.deadlines = new DeadlineQueue(setup.clock);
    this.store = new StateStore(plan.state);
    this.executor = setup.executor(this.store);
    this.cancelGraceMs = plan.settings.cancelGraceMs;
    this.random = setup.random;
    this.emit = guardedListener(setup.onEvent);
    // Nothing here is O(steps): runtimes are created as they are needed.
    this.table = new RuntimeTable(plan);
    this.#unitContext = {
      fingerprints: setup.recorder !== undefined || setup.resume !== undefined,
      agents: setup.agents,
      resume: setup.resume,
    };
    this.#guards = new RunGuards(plan.settings, this.deadlines, this.clock, () => [...this.active].map((u) => describeUnit(u.step.id, u.itemIndex)), (trip) => this.#onGuard(trip));
  }

  get runSignal(): AbortSignal {
    return this.#stop.signal;
  }

  get stopped(): boolean {
    return this.#stop.stopped;
  }

  /** Whether every step (group instances' inner steps and follow-up tasks included) reached a final status. */
  get complete(): boolean {
    return this.table.pending === 0;
  }

  /** Counts a runtime just created below the top level (an inner step of a new instance, a follow-up task). */
  register(rt: StepRuntime): void {
    this.table.register(rt);
  }

  /**
   * The one pass over every step: the agents to prepare, and the follow-up templates. Made once the first
   * steps have started (the first agent call does not wait for it), or at the first completion if earlier.
   */
  finishSetup(): void {
    if (this.#setUp) return;
    this.#setUp = true;
    const { agents, templates } = this.table.survey();
    this.#setup.prepareAgents?.(agents);
    if (templates.length === 0) return;
    // Tasks may read steps that have not run yet (nothing completed so far): they see them pending, as before.
    for (const id of this.plan.order) this.#scopeSteps[id] ??= { output: undefined, status: 'pending' };
    const followUps = new FollowUps(this, templates);
    this.table.indexAll((rt) => followUps.created(rt));
    this.#afterCompletion = (rt, work) => followUps.completed(rt, work);
  }

  runtimeById(id: string): StepRuntime | undefined {
    return this.table.byStableId(id);
  }

  /**
   * What a finished runtime releases, pushed on `work`: its dependents whose last dependency it was, and,
   * when it was the last open step of a group instance, what the instance's end starts (the next iteration,
   * the next instance held back by the group's `max_parallel`) or, at the group's end, the group's own
   * dependents. Both engines call it after every completion (the `levels` policy takes top-level steps
   * through its hook instead).
   */
  released(rt: StepRuntime, work: StepRuntime[]): void {
    if (!this.#setUp) this.finishSetup();
    if (this.levelHook && !rt.frame && !rt.task) {
      this.levelHook(rt, work);
    } else {
      this.table.releaseDependents(rt, work);
      for (const d of rt.dependents) {
        d.pendingDeps -= 1;
        if (d.pendingDeps === 0) work.push(d);
      }
    }
    this.#afterCompletion?.(rt, work);
    const frame = rt.frame;
    if (frame !== undefined) {
      frame.open -= 1;
      if (frame.open === 0) instanceDone(this, frame, work);
    }
  }

  /** Set by the `levels` policy, which opens top-level steps level by level instead of by dependencies. */
  levelHook: ((rt: StepRuntime, work: StepRuntime[]) => void) | undefined;

  /** Whether units compute fingerprints (resume or a run store). */
  get fingerprints(): boolean {
    return this.#unitContext.fingerprints;
  }

  /** Starts an opened group's instances (see group-runtime.ts); their ready inner steps go on `work`. */
  startGroup(rt: StepRuntime, work: StepRuntime[]): void {
    if (rt.groupItems !== undefined) this.emit?.({ type: 'step.expanded', stepId: rt.step.id, items: rt.groupItems.length, at: this.elapsed() });
    startGroup(this, rt, work);
  }

  /** Journals a group's end and writes its gathered view. */
  groupFinished(rt: StepRuntime, status: FinalStatus, fingerprint: string | undefined, output: unknown, error?: UcopError): string | undefined {
    const stepId = rt.step.id;
    const at = this.elapsed();
    if (status === 'succeeded') this.emit?.({ type: 'step.succeeded', stepId, attempt: 0, at });
    else if (status === 'cancelled') this.emit?.({ type: 'step.cancelled', stepId, at, reason: 'cancelled' });
    else if (error) this.emit?.({ type: 'step.failed', stepId, attempt: 0, at, error: { code: error.code, message: error.message }, continued: continuesOnError(rt) });
    return this.#setup.recorder?.fanOutFinished(stepId, status, fingerprint, output);
  }

  /** Set when the plan has follow-up templates: creates the tasks a finished runtime's output asks for. */
  #afterCompletion: ((rt: StepRuntime, work: StepRuntime[]) => void) | undefined;

  /** The scope a runtime's expressions evaluate in: its instance's (inner steps, item, iteration) or the run's. */
  scopeOf(rt: StepRuntime): ExpressionScope {
    const frame = rt.frame;
    const state = this.store.snapshot();
    if (rt.task) return { inputs: this.#setup.inputs, steps: this.#scopeSteps, state, env: this.#setup.env, item: rt.task.item, index: rt.task.index, source: rt.task.source };
    if (frame === undefined) {
      // One scope object while the state does not change (it is read, never changed, by what opens a step).
      if (this.#topScope?.state !== state) this.#topScope = { inputs: this.#setup.inputs, steps: this.#scopeSteps, state, env: this.#setup.env };
      return this.#topScope;
    }
    return { ...frame.scope, state };
  }

  /** The steps an instance of a group at this level can read by name (see group-runtime.ts). */
  stepsScopeOf(rt: StepRuntime): Record<string, { output: unknown; status: string }> {
    return rt.frame ? rt.frame.scope.steps : this.#scopeSteps;
  }

  elapsed(): number {
    return this.clock.now() - this.#t0;
  }

  progress(): void {
    this.#guards.progress();
  }

  stopOutcome(): { kind: 'timed_out' | 'cancelled'; error: UcopError; why: string } {
    return { ...this.#stop.outcome(), why: this.#stop.why };
  }

  /** Starts the clock, the run span, the guards, and listens to the caller's signal. */
  begin(): void {
    this.#t0 = this.clock.now();
    this.#startedAt = new Date().toISOString();
    this.span = this.#setup.tracer.startRun(`run ${this.workflow}`, { workflow: this.workflow, run_id: this.runId, engine: this.engine, max_parallel: this.maxParallel, steps: this.plan.order.length });
    this.#guards.start();
    this.emit?.({ type: 'run.started', runId: this.runId, workflow: this.workflow, engine: this.engine, steps: this.plan.order.length, at: 0 });
    this.#stop.follow(this.#setup.signal, this.runId);
  }

  /** The expression scope at this moment (fan-out items add `item` and `index`). */
  scope(): ExpressionScope {
    return { inputs: this.#setup.inputs, steps: this.#scopeSteps, state: this.store.snapshot(), env: this.#setup.env };
  }

  /**
   * Opens a step whose dependencies have all finished: applies the skip rule and condition, expands
   * `for_each`, resolves inputs, checks resume. A step that is decided at once (skipped, failed, empty
   * fan-out, every unit failing to resolve) is complete on return; otherwise its runnable units come back
   * (also in `rt.runnable`), in item order, to be executed.
   */
  open(rt: StepRuntime): readonly ExecutionUnit[] {
    const step = rt.step;
    // Resume must run it again when `--from-step` names it, or something it depends on (an altered result
    // included), or the group around it, must: decided now, when its dependencies are final.
    this.table.resolveDeps(rt);
    const rerun = this.#setup.rerun;
    const altered = this.#setup.altered;
    // Neither set given (no resume, or nothing to redo): no runtime reruns, nothing to look up.
    rt.rerun = rerun.size + altered.size > 0 && (rerun.has(step.id) || (rt.frame !== undefined && (rt.frame.group.rerun || rerun.has(rt.frame.id))) || rt.deps.some((d) => d.rerun || altered.has(d.step.id)));
    if (this.#stop.stopped) {
      this.completeStep(rt, 'cancelled', undefined, undefined, `not started: ${this.#stop.why}`);
      return NO_UNITS;
    }
    const scope = this.scopeOf(rt);
    const opening = openStep(step, (id) => this.#outcome(rt, id), scope);
    if (opening.kind === 'run' && step.body) this.emit?.({ type: 'step.ready', stepId: step.id, at: this.elapsed() });
    if (opening.kind === 'skip') {
      this.emit?.({ type: 'step.skipped', stepId: step.id, at: this.elapsed(), reason: opening.reason });
      this.completeStep(rt, 'skipped', undefined, undefined, opening.reason);
      return NO_UNITS;
    }
    if (opening.kind === 'fail') {
      this.#fail(rt.record, step.id, undefined, opening.error, continuesOnError(rt));
      this.completeStep(rt, 'failed', undefined, opening.error);
      return NO_UNITS;
    }
    const items = opening.items;
    const readyAt = this.elapsed();
    if (step.body) {
      // A group: its instances' inner steps are what runs (see openGroup).
      rt.status = 'running';
      rt.record.status = 'running';
      rt.groupItems = items;
      return NO_UNITS;
    }
    if (items !== undefined) {
      rt.fanOut = true;
      this.emit?.({ type: 'step.expanded', stepId: step.id, items: items.length, at: readyAt });
      if (items.length === 0) {
        const fingerprint = this.#unitContext.fingerprints ? aggregateFanOut(rt, []).fingerprint : undefined;
        rt.fingerprint = fingerprint;
        this.completeStep(rt, 'succeeded', []);
        return NO_UNITS;
      }
      rt.units = items.map((item, index) => createUnit(this.#unitContext, rt, { ...scope, item, index }, index, readyAt, this.#readySeq++));
    } else {
      rt.units = [createUnit(this.#unitContext, rt, scope, undefined, readyAt, this.#readySeq++)];
    }
    rt.status = 'running';
    rt.record.status = 'running';
    rt.openUnits = rt.units.length;
    // The units themselves unless one fails at once (no copy for the usual single unit).
    const units = rt.units;
    let runnable = units;
    for (let i = 0; i < units.length; i += 1) {
      const unit = units[i]!;
      if (unit.error) {
        if (runnable === units) runnable = units.slice(0, i);
        // The unit's `with:` could not be evaluated: it fails without running (nothing to retry).
        unit.status = 'failed';
        this.close(unit);
      } else {
        if (runnable !== units) runnable.push(unit);
        this.emit?.(unit.itemIndex === undefined ? { type: 'step.ready', stepId: step.id, at: readyAt } : { type: 'step.ready', stepId: step.id, itemIndex: unit.itemIndex, at: readyAt });
      }
    }
    if (isFinal(rt.status)) return NO_UNITS;
    rt.runnable = runnable;
    return runnable;
  }

  /** Runs a unit to its end (or restores it from the earlier run). Never throws. */
  async execute(unit: ExecutionUnit): Promise<void> {
    if (unit.restore) {
      await restoreUnit(this.store, unit);
      return;
    }
    if (this.#stop.stopped) {
      this.#notStarted(unit);
      return;
    }
    const over = this.#guards.admit();
    if (over) {
      this.stopRun('guard', over);
      this.#notStarted(unit);
      return;
    }
    this.active.add(unit);
    this.#setup.recorder?.unitStarted(unit);
    try {
      await runUnit(this, unit);
    } catch (error) {
      unit.status = 'failed';
      unit.error = toUcopError(error, 'INTERNAL');
    } finally {
      this.active.delete(unit);
    }
  }

  /**
   * Records a finished unit (events, output file, fail-fast) and, when it was the step's last, completes the
   * step. @returns whether the step is now complete
   */
  close(unit: ExecutionUnit): boolean {
    const rt = unit.runtime;
    const step = rt.step;
    const record = unit.record;
    const at = this.elapsed();
    if (record.startMs !== undefined) record.endMs = at;
    record.status = unit.status;
    const ref = unit.itemIndex === undefined ? { stepId: step.id } : { stepId: step.id, itemIndex: unit.itemIndex };
    const recorder = this.#setup.recorder;
    recorder?.unitEnded(unit);
    if (recorder && !unit.restore && record.attempts > 0) {
      // Journaled before anything depends on it: a record on disk means every record before it is too.
      const view = recorder.unitFinished({ stepId: step.id, itemIndex: unit.itemIndex, status: unit.status as FinalStatus, attempts: record.attempts, fingerprint: unit.fingerprint, output: unit.output, writes: unit.writes, artifacts: unit.artifacts, error: unit.error && { code: unit.error.code, message: unit.error.message } });
      if (view !== undefined) record.output = view;
    }
    switch (unit.status) {
      case 'succeeded':
        if (unit.restore) {
          record.resumed = true;
          const restoredView = recorder ? recorder.unitRestored(step.id, unit.itemIndex, unit.restore) : stepOutputPath(step.id, unit.itemIndex);
          if (restoredView !== undefined) record.output = restoredView;
        }
        this.emit?.({ type: 'step.succeeded', ...ref, attempt: record.attempts, at, ...(unit.restore ? { resumed: true } : {}) });
        break;
      case 'failed':
      case 'timed_out':
        this.#fail(record, step.id, unit.itemIndex, unit.error!, continuesOnError(rt));
        break;
      default:
        if (unit.error) record.error = { code: unit.error.code, message: unit.error.message };
        this.emit?.({ type: 'step.cancelled', ...ref, at, reason: record.reason ?? unit.error?.message ?? 'cancelled' });
        break;
    }
    rt.openUnits -= 1;
    if (rt.openUnits > 0) {
      // A fan-out item finished: record it now, so that a killed run does not redo it on resume.
      this.saveProgress?.();
      return false;
    }
    if (!rt.fanOut) {
      rt.fingerprint = unit.status === 'succeeded' ? unit.fingerprint : undefined;
      this.completeStep(rt, unit.status as FinalStatus, unit.status === 'succeeded' ? unit.output : undefined, unit.error, record.reason);
      forgetUnits(rt);
      return true;
    }
    const result = aggregateFanOut(rt, rt.units);
    rt.fingerprint = this.#unitContext.fingerprints && result.status === 'succeeded' ? result.fingerprint : undefined;
    Object.assign(rt.record, result.record);
    if (rt.fingerprint !== undefined) rt.record.fingerprint = rt.fingerprint;
    const view = this.#setup.recorder?.fanOutFinished(step.id, result.status, rt.fingerprint, result.output);
    if (view !== undefined) rt.record.output = view;
    // A fan-out step all of whose items came from the earlier run is itself resumed.
    const resumed = result.status === 'succeeded' && rt.units.length > 0 && rt.units.every((u) => u.restore !== undefined);
    if (resumed) rt.record.resumed = true;
    if (result.status === 'succeeded') this.emit?.({ type: 'step.succeeded', stepId: step.id, attempt: rt.record.attempts, at, ...(resumed ? { resumed: true } : {}) });
    else if (result.status === 'cancelled') this.emit?.({ type: 'step.cancelled', stepId: step.id, at, reason: result.error?.message ?? 'cancelled' });
    else this.emit?.({ type: 'step.failed', stepId: step.id, attempt: rt.record.attempts, at, error: { code: result.error!.code, message: result.error!.message }, continued: step.continueOnError });
    this.completeStep(rt, result.status, result.output, result.error);
    return true;
  }

  /**
   * Stops the run: nothing new starts, every running attempt is aborted through the run's one controller
   * (its signal also ends backoff sleeps), and the error is gathered. Only the first stop counts.
   */
  stopRun(kind: StopKind, error: UcopError, attemptError: UcopError = error): void {
    this.#stop.stop(kind, error, attemptError);
  }

  /** Steps not complete at the end (the run stopped) become `cancelled`, with the reason. */
  cancelRemaining(): void {
    if (this.complete) return;
    const reason = `not started: ${this.#stop.stopped ? this.#stop.why : 'the run ended'}`;
    for (const rt of this.table.everything()) {
      if (isFinal(rt.status)) continue;
      for (const unit of rt.units) {
        if (isFinal(unit.status)) continue;
        unit.status = 'cancelled';
        unit.record.status = 'cancelled';
        unit.record.reason = reason;
      }
      this.emit?.({ type: 'step.cancelled', stepId: rt.step.id, at: this.elapsed(), reason });
      this.completeStep(rt, 'cancelled', undefined, undefined, reason);
    }
  }

  /** Ends the guards and deadlines and detaches from the caller's signal. */
  dispose(): void {
    this.#guards.dispose();
    this.deadlines.dispose();
    this.#stop.dispose();
  }

  get stopKind(): StopKind | undefined {
    return this.#stop.kind;
  }

  /** The errors that made the run fail, in the order they happened. */
  get errors(): readonly UcopError[] {
    return this.#stop.errors;
  }

  /** The same errors for the run record, each with the step or fan-out item it came from. */
  errorRecords(): EventError[] {
    return this.#stop.records();
  }

  get startedAt(): string {
    return this.#startedAt;
  }

  /** Asks the store to rewrite the partial run.json (no-op without an output directory). */
  saveProgress: (() => void) | undefined;

  #outcome(of: StepRuntime, id: string): DependencyOutcome {
    const rt = of.deps[of.step.dependencies.indexOf(id)] ?? this.table.get(id);
    return { status: rt.status, continued: rt.step.continueOnError && (rt.status === 'failed' || rt.status === 'timed_out') };
  }

  #notStarted(unit: ExecutionUnit): void {
    unit.status = 'cancelled';
    unit.error = this.#stop.outcome().error;
    unit.record.reason = `not started: ${this.#stop.why}`;
  }

  /** A unit's (or an opening step's) own failure: event, record, gathering, fail-fast. */
  #fail(record: StepRecord, stepId: string, itemIndex: number | undefined, error: UcopError, continued: boolean): void {
    record.error = { code: error.code, message: error.message };
    const ref = itemIndex === undefined ? { stepId } : { stepId, itemIndex };
    this.emit?.({ type: 'step.failed', ...ref, attempt: record.attempts, at: this.elapsed(), error: record.error, continued });
    const cancelOthers = () =>
      new UcopError('STEP_CANCELLED', `cancelled because ${describeUnit(stepId, itemIndex)} failed and fail_fast is on; set fail_fast: false to let independent steps finish`, {
        fields: { failedStep: stepId, failedItem: itemIndex },
      });
    this.#stop.failed(error, continued, this.#setup.failFast ? cancelOthers : undefined, ref);
  }

  /** A failure inside a group instance (or of a group): continued when the step or a group around it says so. */
  failed(rt: StepRuntime, record: StepRecord, itemIndex: number | undefined, error: UcopError): void {
    this.#fail(record, rt.step.id, itemIndex, error, continuesOnError(rt));
  }

  /** Every step's (and group's) completion goes through here. */
  completeStep(rt: StepRuntime, status: FinalStatus, output: unknown, error?: UcopError, reason?: string): void {
    rt.status = status;
    rt.output = output;
    rt.error = error;
    rt.record.status = status;
    if (reason !== undefined) rt.record.reason = reason;
    if (error && !rt.record.error) rt.record.error = { code: error.code, message: error.message };
    if (!rt.task) this.stepsScopeOf(rt)[rt.localId] = { output, status };
    this.table.pending -= 1;
    this.saveProgress?.();
  }

  #onGuard(trip: GuardTrip): void {
    this.stopRun(trip.kind === 'deadline' ? 'deadline' : 'guard', trip.error);
  }
}
