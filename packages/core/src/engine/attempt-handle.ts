import type { UcopError } from '../errors/ucop-error.ts';
import type { Clock } from './clock.ts';
import type { DeadlineEntry, DeadlineQueue } from './deadline-queue.ts';
import type { StepAttemptResult } from './step-executor.ts';

/** How an attempt's wait ended: the executor answered, or the engine gave up on it after the grace. */
export type AttemptEnd = { kind: 'result'; result: StepAttemptResult } | { kind: 'abandoned' };

/** Why an attempt was stopped from outside. */
export type AbortKind = 'timed_out' | 'cancelled';

/**
 * One running attempt, as the engine tracks it: its abort controller, whether it is still current (allowed
 * to commit state), and the one promise the engine waits on. The transitions are:
 * running → (executor answers) settled, or running → aborted (timeout, fail-fast, run deadline) → settled by
 * the agent stopping or, at the latest, by the cancel grace running out (abandoned).
 */
export class AttemptHandle {
  readonly controller = new AbortController();
  readonly ended: Promise<AttemptEnd>;
  /** Set once the attempt was stopped from outside; from then on it is no longer current. */
  abortedAs: AbortKind | undefined;
  abortError: UcopError | undefined;
  /** The executor had already answered when the abort came (a failure it reported then still counts). */
  answeredBeforeAbort = false;
  readonly #deadlines: DeadlineQueue;
  readonly #clock: Clock;
  readonly #graceMs: number;
  #resolve!: (end: AttemptEnd) => void;
  #settled = false;
  #graceEntry: DeadlineEntry | undefined;

  constructor(deadlines: DeadlineQueue, clock: Clock, graceMs: number) {
    this.#deadlines = deadlines;
    this.#clock = clock;
    this.#graceMs = graceMs;
    this.ended = new Promise<AttemptEnd>((resolve) => (this.#resolve = resolve));
  }

  /** Whether the attempt may still commit: it has not timed out or been cancelled. */
  get current(): boolean {
    return this.abortedAs === undefined;
  }

  settle(end: AttemptEnd): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#deadlines.cancel(this.#graceEntry);
    this.#graceEntry = undefined;
    this.#resolve(end);
  }

  /**
   * Stops the attempt: aborts its signal and, if the agent has not answered yet, gives it `graceMs` to stop
   * before abandoning it. Also called while the attempt waits to commit, which makes the commit fail.
   */
  abort(kind: AbortKind, error: UcopError): void {
    if (this.abortedAs) return;
    this.abortedAs = kind;
    this.abortError = error;
    this.controller.abort(error);
    this.answeredBeforeAbort = this.#settled;
    if (this.#settled) return;
    if (this.#graceMs <= 0) this.settle({ kind: 'abandoned' });
    else this.#graceEntry = this.#deadlines.add(this.#clock.now() + this.#graceMs, () => this.settle({ kind: 'abandoned' }));
  }
}
