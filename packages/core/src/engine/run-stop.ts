import { formatDuration } from '../dsl/duration.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { EventError, StepRef } from './run-events.ts';
import { describeUnit } from './step-runtime.ts';

/** Why the run stopped early. */
export type StopKind = 'failfast' | 'guard' | 'deadline' | 'cancel';

// Errors that a unit gets because the run stopped, not because of its own failure: never gathered twice.
const STOP_CODES = new Set(['STEP_CANCELLED', 'RUN_CANCELLED', 'RUN_TIMEOUT', 'GUARD_MAX_STEPS', 'GUARD_NO_PROGRESS']);

interface Stop {
  kind: StopKind;
  /** What stopped the run (the failure, the guard's or the deadline's error). */
  error: UcopError;
  /** What the attempts the stop interrupts end with (for fail-fast: "cancelled because X failed"). */
  attemptError: UcopError;
  /** Why, in words, for the steps the stop kept from starting ("the run stopped because step "x" failed"). */
  why: string;
}

/**
 * A run's stop and the errors that make it fail. One controller aborts every attempt and backoff sleep;
 * only the first stop counts (fail-fast, guard, deadline, cancellation by the caller); a unit's failure is
 * gathered once, and not at all when the stop itself caused it.
 */
export class RunStop {
  readonly #controller = new AbortController();
  readonly #errors: UcopError[] = [];
  // The step or fan-out item each gathered error came from (undefined for the run's own: deadline, guard).
  readonly #sources: (StepRef | undefined)[] = [];
  readonly #onStop: (kind: StopKind, attemptError: UcopError) => void;
  #stop: Stop | undefined;
  #external: { signal: AbortSignal; listener: () => void } | undefined;

  /** @param onStop called once, when the run stops: the session aborts what is running there. */
  constructor(onStop: (kind: StopKind, attemptError: UcopError) => void) {
    this.#onStop = onStop;
  }

  /** Aborts when the run stops; every attempt and backoff sleep listens to it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopped(): boolean {
    return this.#stop !== undefined;
  }

  get kind(): StopKind | undefined {
    return this.#stop?.kind;
  }

  /** What stopped the run (the error it gathered). */
  get reason(): UcopError | undefined {
    return this.#stop?.error;
  }

  /**
   * Why the run stopped, in words, for the reason of the steps it kept from starting: `the run stopped
   * because step "bad" failed (fail_fast)`, `the run timed out after 30m`, `the run was cancelled`, or the
   * guard's message. Only once stopped.
   */
  get why(): string {
    return this.#stop!.why;
  }

  /** The errors that made the run fail, in the order they happened. */
  get errors(): readonly UcopError[] {
    return this.#errors;
  }

  /** The same errors as the run record keeps them: code, message, and the step or item that failed with it. */
  records(): EventError[] {
    return this.#errors.map((error, i) => {
      const source = this.#sources[i];
      const record: EventError = { code: error.code, message: error.message };
      if (source) record.stepId = source.stepId;
      if (source?.itemIndex !== undefined) record.itemIndex = source.itemIndex;
      return record;
    });
  }

  #gather(error: UcopError, source: StepRef | undefined): void {
    this.#errors.push(error);
    this.#sources.push(source);
  }

  /** How the attempts that the stop interrupts end, and with which error. Only once stopped. */
  outcome(): { kind: 'timed_out' | 'cancelled'; error: UcopError } {
    const stop = this.#stop!;
    return { kind: stop.kind === 'deadline' ? 'timed_out' : 'cancelled', error: stop.attemptError };
  }

  /**
   * Stops the run, unless it already stopped; the error is gathered (a fail-fast failure already was).
   * @param why what stopped it, in words (see {@link RunStop.why}) @default derived from `kind` and `error`
   */
  stop(kind: StopKind, error: UcopError, attemptError: UcopError = error, why: string = describeStop(kind, error)): void {
    if (this.#stop) return;
    this.#stop = { kind, error, attemptError, why };
    if (kind !== 'failfast') this.#gather(error, undefined);
    this.#controller.abort(attemptError);
    this.#onStop(kind, attemptError);
  }

  /**
   * Gathers a unit's own failure, unless its step continues on error or the failure is the stop's doing;
   * with fail-fast (`cancelOthers` given), it also stops the run, the others ending with that error.
   * @param source the step or fan-out item that failed, kept with the error and named by {@link RunStop.why}
   */
  failed(error: UcopError, continued: boolean, cancelOthers: (() => UcopError) | undefined, source?: StepRef): void {
    if (continued || (this.#stop && STOP_CODES.has(error.code))) return;
    this.#gather(error, source);
    const unit = source ? describeUnit(source.stepId, source.itemIndex) : 'a step';
    if (cancelOthers) this.stop('failfast', error, cancelOthers(), `the run stopped because ${unit} failed (fail_fast)`);
  }

  /** Stops the run (RUN_CANCELLED) when the caller's signal aborts, now or later. */
  follow(signal: AbortSignal | undefined, runId: string): void {
    if (!signal) return;
    const listener = (): void =>
      this.stop('cancel', new UcopError('RUN_CANCELLED', 'the run was cancelled by its caller (interrupt or abort signal); run it again, with --resume to keep finished steps', { fields: { runId } }));
    if (signal.aborted) {
      listener();
      return;
    }
    signal.addEventListener('abort', listener, { once: true });
    this.#external = { signal, listener };
  }

  /** Stops listening to the caller's signal. */
  dispose(): void {
    this.#external?.signal.removeEventListener('abort', this.#external.listener);
    this.#external = undefined;
  }
}

// The words for a stop that the caller did not describe: the deadline and cancellation say what happened
// to the run; a guard's message already names the setting to change.
function describeStop(kind: StopKind, error: UcopError): string {
  if (kind === 'cancel') return 'the run was cancelled';
  if (kind === 'deadline') {
    const timeoutMs = error.fields.timeoutMs;
    return typeof timeoutMs === 'number' && Number.isSafeInteger(timeoutMs) && timeoutMs >= 0 ? `the run timed out after ${formatDuration(timeoutMs)}` : 'the run timed out';
  }
  if (kind === 'failfast') return 'the run stopped because a step failed (fail_fast)';
  return `the run stopped: ${error.message}`;
}
