import type { AgentLookup } from '../agents/agent-definition.ts';
import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';
import type { ResumeIndex } from '../run/resume.ts';
import type { RunPersistence } from '../run/run-persistence.ts';
import type { StepRecord } from '../run/run-record.ts';
import { StateStore } from '../state/state-store.ts';
import type { SpanHandle, Tracer } from '../telemetry/tracer.ts';
import { noopSpan } from '../telemetry/tracer.ts';
import type { AttemptHandle } from './attempt-handle.ts';
import { runUnit, type AttemptHost } from './attempt-runner.ts';
import type { Clock } from './clock.ts';
import { DeadlineQueue } from './deadline-queue.ts';
import { RunGuards, type GuardTrip } from './guards.ts';
import type { EngineKind } from './run-options.ts';
import type { RunEvent, RunEventListener } from './run-events.ts';
import type { DependencyOutcome } from './skip-rule.ts';
import type { StepExecutor } from './step-executor.ts';
import { openStep } from './step-opening.ts';
import { createUnit, restoreUnit, type UnitContext } from './execution-unit.ts';
import { createStepRuntime, describeUnit, isFinal, type ExecutionUnit, type FinalStatus, type StepRuntime } from './step-runtime.ts';
import { aggregateFanOut } from './fan-out-result.ts';

/** Why the run stopped early. */
export type StopKind = 'failfast' | 'guard' | 'deadline' | 'cancel';

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
  random: () => number;
  persistence: RunPersistence | undefined;
  resume: ResumeIndex | undefined;
  /** Steps that must run again even when resume could reuse their results (`fromStep` and downstream). */
  rerun: ReadonlySet<string>;
  signal: AbortSignal | undefined;
}

// Errors that a unit gets because the run stopped, not because of its own failure: never gathered twice.
const STOP_CODES = new Set(['STEP_CANCELLED', 'RUN_CANCELLED', 'RUN_TIMEOUT', 'GUARD_MAX_STEPS', 'GUARD_NO_PROGRESS']);

/**
 * One run's shared machinery, used by both engines: step runtimes and records, the expression scope, the
 * state store, the deadlines and guards, the stop (fail-fast, deadline, guard, cancellation), events and
 * output files. The engines decide only WHEN a step opens and a unit executes; every status transition
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
  readonly runtimes: StepRuntime[];
  readonly byId = new Map<string, StepRuntime>();
  /** Units executing now (attempts and backoff sleeps), for the watchdog. */
  readonly active = new Set<ExecutionUnit>();
  /** Called when the run stops, so that an idle engine notices. */
  onStop: (() => void) | undefined;
  span: SpanHandle = noopSpan;
  readonly #setup: SessionSetup;
  readonly #controller = new AbortController();
  readonly #guards: RunGuards;
  readonly #scopeSteps: Record<string, { output: unknown; status: string }> = {};
  readonly #errors: UcopError[] = [];
  #stop: { kind: StopKind; error: UcopError; attemptError: UcopError } | undefined;
  #t0 = 0;
  #startedAt = '';
  #readySeq = 0;
  #completed = 0;
  #onExternalAbort: (() => void) | undefined;
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
    const listener = setup.onEvent;
    this.emit = listener
      ? (event) => {
          try {
            listener(event);
          } catch {
            // A failing listener (a display, a trace exporter) must not change the run.
          }
        }
      : undefined;
    this.runtimes = plan.order.map((id) => {
      const rt = createStepRuntime(plan.steps[id]!);
      this.byId.set(id, rt);
      this.#scopeSteps[id] = { output: undefined, status: 'pending' };
      return rt;
    });
    this.#unitContext = {
      fingerprints: setup.persistence !== undefined || setup.resume !== undefined,
      agents: setup.agents,
      resume: setup.resume,
      rerun: setup.rerun,
      runtime: (id) => this.byId.get(id)!,
    };
    this.#guards = new RunGuards(plan.settings, this.deadlines, this.clock, () => [...this.active].map((u) => describeUnit(u.step.id, u.itemIndex)), (trip) => this.#onGuard(trip));
  }

  get runSignal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopped(): boolean {
    return this.#stop !== undefined;
  }

  /** Whether every step reached a final status. */
  get complete(): boolean {
    return this.#completed === this.runtimes.length;
  }

  elapsed(): number {
    return this.clock.now() - this.#t0;
  }

  progress(): void {
    this.#guards.progress();
  }

  stopOutcome(): { kind: 'timed_out' | 'cancelled'; error: UcopError } {
    const stop = this.#stop!;
    return { kind: stop.kind === 'deadline' ? 'timed_out' : 'cancelled', error: stop.attemptError };
  }

  /** Starts the clock, the run span, the guards, and listens to the caller's signal. */
  begin(): void {
    this.#t0 = this.clock.now();
    this.#startedAt = new Date().toISOString();
    this.span = this.#setup.tracer.startRun(`run ${this.workflow}`, { workflow: this.workflow, run_id: this.runId, engine: this.engine, max_parallel: this.maxParallel, steps: this.runtimes.length });
    this.#guards.start();
    this.emit?.({ type: 'run.started', runId: this.runId, workflow: this.workflow, engine: this.engine, steps: this.runtimes.length, at: 0 });
    const signal = this.#setup.signal;
    if (signal) {
      this.#onExternalAbort = () => this.stopRun('cancel', new UcopError('RUN_CANCELLED', 'the run was cancelled by its caller (interrupt or abort signal); run it again, with --resume to keep finished steps', { fields: { runId: this.runId } }));
      if (signal.aborted) this.#onExternalAbort();
      else signal.addEventListener('abort', this.#onExternalAbort, { once: true });
    }
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
  open(rt: StepRuntime): ExecutionUnit[] {
    const step = rt.step;
    if (this.#stop) {
      this.#completeStep(rt, 'cancelled', undefined, undefined, `not started: ${this.#stop.error.message}`);
      return [];
    }
    const scope = this.scope();
    const opening = openStep(step, (id) => this.#outcome(id), scope);
    if (opening.kind === 'skip') {
      this.emit?.({ type: 'step.skipped', stepId: step.id, at: this.elapsed(), reason: opening.reason });
      this.#completeStep(rt, 'skipped', undefined, undefined, opening.reason);
      return [];
    }
    if (opening.kind === 'fail') {
      this.#fail(rt.record, step.id, undefined, opening.error, step.continueOnError);
      this.#completeStep(rt, 'failed', undefined, opening.error);
      return [];
    }
    const items = opening.items;
    const readyAt = this.elapsed();
    if (items !== undefined) {
      rt.fanOut = true;
      this.emit?.({ type: 'step.expanded', stepId: step.id, items: items.length, at: readyAt });
      if (items.length === 0) {
        const fingerprint = this.#unitContext.fingerprints ? aggregateFanOut(rt, []).fingerprint : undefined;
        rt.fingerprint = fingerprint;
        this.#completeStep(rt, 'succeeded', []);
        return [];
      }
      rt.units = items.map((item, index) => createUnit(this.#unitContext, rt, { ...scope, item, index }, index, readyAt, this.#readySeq++));
    } else {
      rt.units = [createUnit(this.#unitContext, rt, scope, undefined, readyAt, this.#readySeq++)];
    }
    rt.status = 'running';
    rt.record.status = 'running';
    rt.openUnits = rt.units.length;
    const runnable: ExecutionUnit[] = [];
    for (const unit of rt.units) {
      if (unit.error) {
        // The unit's `with:` could not be evaluated: it fails without running (nothing to retry).
        unit.status = 'failed';
        this.close(unit);
      } else {
        runnable.push(unit);
        this.emit?.(unit.itemIndex === undefined ? { type: 'step.ready', stepId: step.id, at: readyAt } : { type: 'step.ready', stepId: step.id, itemIndex: unit.itemIndex, at: readyAt });
      }
    }
    if (isFinal(rt.status)) return [];
    rt.runnable = runnable;
    return runnable;
  }

  /** Runs a unit to its end (or restores it from the earlier run). Never throws. */
  async execute(unit: ExecutionUnit): Promise<void> {
    if (unit.restore) {
      await restoreUnit(this.store, unit);
      return;
    }
    if (this.#stop) {
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
    switch (unit.status) {
      case 'succeeded':
        if (unit.restore) {
          record.resumed = true;
          record.output = unit.restore.path;
        } else if (this.#setup.persistence && unit.fingerprint !== undefined) {
          record.output = this.#setup.persistence.writeStepOutput({ ...ref, fingerprint: unit.fingerprint, output: unit.output, writes: unit.writes, ...(unit.artifacts ? { artifacts: unit.artifacts } : {}) });
        }
        this.emit?.({ type: 'step.succeeded', ...ref, attempt: record.attempts, at, ...(unit.restore ? { resumed: true } : {}) });
        break;
      case 'failed':
      case 'timed_out':
        this.#fail(record, step.id, unit.itemIndex, unit.error!, step.continueOnError);
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
      this.#completeStep(rt, unit.status as FinalStatus, unit.status === 'succeeded' ? unit.output : undefined, unit.error, record.reason);
      return true;
    }
    const result = aggregateFanOut(rt, rt.units);
    rt.fingerprint = this.#unitContext.fingerprints && result.status === 'succeeded' ? result.fingerprint : undefined;
    Object.assign(rt.record, result.record);
    if (rt.fingerprint !== undefined) rt.record.fingerprint = rt.fingerprint;
    if (result.status === 'succeeded' && this.#setup.persistence && rt.fingerprint !== undefined) {
      rt.record.output = this.#setup.persistence.writeStepOutput({ stepId: step.id, fingerprint: rt.fingerprint, output: result.output, writes: [] });
    }
    if (result.status === 'succeeded') this.emit?.({ type: 'step.succeeded', stepId: step.id, attempt: rt.record.attempts, at });
    else if (result.status === 'cancelled') this.emit?.({ type: 'step.cancelled', stepId: step.id, at, reason: result.error?.message ?? 'cancelled' });
    else this.emit?.({ type: 'step.failed', stepId: step.id, attempt: rt.record.attempts, at, error: { code: result.error!.code, message: result.error!.message }, continued: step.continueOnError });
    this.#completeStep(rt, result.status, result.output, result.error);
    return true;
  }

  /**
   * Stops the run: nothing new starts, every running attempt is aborted through the run's one controller
   * (its signal also ends backoff sleeps), and the error is gathered. Only the first stop counts.
   */
  stopRun(kind: StopKind, error: UcopError, attemptError: UcopError = error): void {
    if (this.#stop) return;
    this.#stop = { kind, error, attemptError };
    if (kind !== 'failfast') this.#errors.push(error);
    this.#controller.abort(attemptError);
    const as = kind === 'deadline' ? 'timed_out' : 'cancelled';
    for (const handle of [...this.running]) handle.abort(as, attemptError);
    this.onStop?.();
  }

  /** Steps not complete at the end (the run stopped) become `cancelled`, with the reason. */
  cancelRemaining(): void {
    const reason = `not started: ${this.#stop?.error.message ?? 'the run ended'}`;
    for (const rt of this.runtimes) {
      if (isFinal(rt.status)) continue;
      for (const unit of rt.units) {
        if (isFinal(unit.status)) continue;
        unit.status = 'cancelled';
        unit.record.status = 'cancelled';
        unit.record.reason = reason;
      }
      this.emit?.({ type: 'step.cancelled', stepId: rt.step.id, at: this.elapsed(), reason });
      this.#completeStep(rt, 'cancelled', undefined, undefined, reason);
    }
  }

  /** Ends the guards and deadlines and detaches from the caller's signal. */
  dispose(): void {
    this.#guards.dispose();
    this.deadlines.dispose();
    if (this.#onExternalAbort) this.#setup.signal?.removeEventListener('abort', this.#onExternalAbort);
  }

  get stopKind(): StopKind | undefined {
    return this.#stop?.kind;
  }

  /** The errors that made the run fail, in the order they happened. */
  get errors(): readonly UcopError[] {
    return this.#errors;
  }

  get startedAt(): string {
    return this.#startedAt;
  }

  /** Asks the persistence layer to rewrite the partial run.json (no-op without an output directory). */
  saveProgress: (() => void) | undefined;

  #outcome(id: string): DependencyOutcome {
    const rt = this.byId.get(id)!;
    return { status: rt.status, continued: rt.step.continueOnError && (rt.status === 'failed' || rt.status === 'timed_out') };
  }

  #notStarted(unit: ExecutionUnit): void {
    const stop = this.#stop!;
    unit.status = 'cancelled';
    unit.error = stop.attemptError;
    unit.record.reason = `not started: ${stop.error.message}`;
  }

  /** A unit's (or an opening step's) own failure: event, record, gathering, fail-fast. */
  #fail(record: StepRecord, stepId: string, itemIndex: number | undefined, error: UcopError, continued: boolean): void {
    record.error = { code: error.code, message: error.message };
    const ref = itemIndex === undefined ? { stepId } : { stepId, itemIndex };
    this.emit?.({ type: 'step.failed', ...ref, attempt: record.attempts, at: this.elapsed(), error: record.error, continued });
    if (continued || (this.#stop && STOP_CODES.has(error.code))) return;
    this.#errors.push(error);
    if (this.#setup.failFast) {
      const cancel = new UcopError('STEP_CANCELLED', `cancelled because ${describeUnit(stepId, itemIndex)} failed and fail_fast is on; set fail_fast: false to let independent steps finish`, {
        fields: { failedStep: stepId, failedItem: itemIndex },
      });
      this.stopRun('failfast', error, cancel);
    }
  }

  #completeStep(rt: StepRuntime, status: FinalStatus, output: unknown, error?: UcopError, reason?: string): void {
    rt.status = status;
    rt.output = output;
    rt.error = error;
    rt.record.status = status;
    if (reason !== undefined) rt.record.reason = reason;
    if (error && !rt.record.error) rt.record.error = { code: error.code, message: error.message };
    this.#scopeSteps[rt.step.id] = { output, status };
    this.#completed += 1;
    this.saveProgress?.();
  }

  #onGuard(trip: GuardTrip): void {
    this.stopRun(trip.kind === 'deadline' ? 'deadline' : 'guard', trip.error);
  }
}
