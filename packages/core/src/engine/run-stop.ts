import { UcopError } from '../errors/ucop-error.ts';

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
}

/**
 * A run's stop and the errors that make it fail. One controller aborts every attempt and backoff sleep;
 * only the first stop counts (fail-fast, guard, deadline, cancellation by the caller); a unit's failure is
 * gathered once, and not at all when the stop itself caused it.
 */
export class RunStop {
  readonly #controller = new AbortController();
  readonly #errors: UcopError[] = [];
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

  /** What stopped the run, for the "not started: ..." reason of the steps it kept from starting. */
  get reason(): UcopError | undefined {
    return this.#stop?.error;
  }

  /** The errors that made the run fail, in the order they happened. */
  get errors(): readonly UcopError[] {
    return this.#errors;
  }

  /** How the attempts that the stop interrupts end, and with which error. Only once stopped. */
  outcome(): { kind: 'timed_out' | 'cancelled'; error: UcopError } {
    const stop = this.#stop!;
    return { kind: stop.kind === 'deadline' ? 'timed_out' : 'cancelled', error: stop.attemptError };
  }

  /** Stops the run, unless it already stopped; the error is gathered (a fail-fast failure already was). */
  stop(kind: StopKind, error: UcopError, attemptError: UcopError = error): void {
    if (this.#stop) return;
    this.#stop = { kind, error, attemptError };
    if (kind !== 'failfast') this.#errors.push(error);
    this.#controller.abort(attemptError);
    this.#onStop(kind, attemptError);
  }

  /**
   * Gathers a unit's own failure, unless its step continues on error or the failure is the stop's doing;
   * with fail-fast (`cancelOthers` given), it also stops the run, the others ending with that error.
   */
  failed(error: UcopError, continued: boolean, cancelOthers: (() => UcopError) | undefined): void {
    if (continued || (this.#stop && STOP_CODES.has(error.code))) return;
    this.#errors.push(error);
    if (cancelOthers) this.stop('failfast', error, cancelOthers());
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
