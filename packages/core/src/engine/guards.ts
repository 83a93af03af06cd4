import { UcopError } from '../errors/ucop-error.ts';
import type { EngineSettings } from '../plan/plan-types.ts';
import type { Clock } from './clock.ts';
import type { DeadlineEntry, DeadlineQueue } from './deadline-queue.ts';

/** Which guard stopped the run. */
export type GuardTrip = { kind: 'deadline'; error: UcopError } | { kind: 'guard'; error: UcopError };

function enabled(ms: number): boolean {
  return ms > 0 && Number.isFinite(ms);
}

/**
 * The run's protections, each with its own error code and a message naming the setting to change:
 * - whole-run deadline (`config.timeout`, RUN_TIMEOUT, the run ends `timed_out`);
 * - most steps executed, fan-out items included (`config.max_steps`, GUARD_MAX_STEPS);
 * - no-progress watchdog: no attempt finished for `config.no_progress_timeout` while steps were running
 *   (GUARD_NO_PROGRESS).
 * The list cap of state keys (`max`) is enforced by the state store; cycles by the compiler.
 * Time-based guards share the run's DeadlineQueue: no timer of their own per step.
 */
export class RunGuards {
  readonly #settings: Pick<EngineSettings, 'timeoutMs' | 'maxSteps' | 'noProgressTimeoutMs'>;
  readonly #deadlines: DeadlineQueue;
  readonly #clock: Clock;
  readonly #trip: (trip: GuardTrip) => void;
  readonly #activeUnits: () => readonly string[];
  #started = 0;
  #lastProgress = 0;
  #t0 = 0;
  #deadline: DeadlineEntry | undefined;
  #watchdog: DeadlineEntry | undefined;

  /**
   * @param activeUnits names of the units running now (for the no-progress message and its check)
   * @param trip called once per tripped guard; the run stops
   */
  constructor(settings: Pick<EngineSettings, 'timeoutMs' | 'maxSteps' | 'noProgressTimeoutMs'>, deadlines: DeadlineQueue, clock: Clock, activeUnits: () => readonly string[], trip: (trip: GuardTrip) => void) {
    this.#settings = settings;
    this.#deadlines = deadlines;
    this.#clock = clock;
    this.#activeUnits = activeUnits;
    this.#trip = trip;
  }

  start(): void {
    this.#t0 = this.#clock.now();
    this.#lastProgress = this.#t0;
    const { timeoutMs, noProgressTimeoutMs } = this.#settings;
    if (enabled(timeoutMs)) {
      this.#deadline = this.#deadlines.add(this.#t0 + timeoutMs, () => {
        this.#trip({
          kind: 'deadline',
          error: new UcopError('RUN_TIMEOUT', `the run did not finish within ${timeoutMs} ms; raise config.timeout in the workflow (or the --timeout option), or make its slowest steps faster`, {
            fields: { timeoutMs, elapsedMs: this.#clock.now() - this.#t0 },
          }),
        });
      });
    }
    if (enabled(noProgressTimeoutMs)) this.#armWatchdog(this.#t0 + noProgressTimeoutMs);
  }

  /**
   * Counts a unit about to execute (resumed units are not executed).
   * @returns the GUARD_MAX_STEPS error when this unit is one too many
   */
  admit(): UcopError | undefined {
    this.#started += 1;
    const max = this.#settings.maxSteps;
    if (max > 0 && this.#started > max) {
      return new UcopError('GUARD_MAX_STEPS', `the run tried to execute more than ${max} steps (fan-out items included); raise config.max_steps in the workflow, or shorten the for_each lists that produce this many items`, {
        fields: { maxSteps: max },
      });
    }
    return undefined;
  }

  /** Units admitted so far. */
  get executed(): number {
    return this.#started;
  }

  /** An attempt finished: the watchdog's clock restarts (no clock read when there is no watchdog). */
  progress(): void {
    if (this.#watchdog !== undefined) this.#lastProgress = this.#clock.now();
  }

  dispose(): void {
    this.#deadlines.cancel(this.#deadline);
    this.#deadlines.cancel(this.#watchdog);
    this.#deadline = this.#watchdog = undefined;
  }

  #armWatchdog(at: number): void {
    this.#watchdog = this.#deadlines.add(at, () => this.#checkProgress());
  }

  // Re-armed lazily from the last progress instead of on every progress, so finishing a step costs nothing.
  #checkProgress(): void {
    const limit = this.#settings.noProgressTimeoutMs;
    const now = this.#clock.now();
    const active = this.#activeUnits();
    if (active.length === 0) {
      this.#lastProgress = now;
    } else if (now - this.#lastProgress >= limit) {
      this.#watchdog = undefined;
      const shown = active.slice(0, 5).join(', ') + (active.length > 5 ? `, and ${active.length - 5} more` : '');
      this.#trip({
        kind: 'guard',
        error: new UcopError('GUARD_NO_PROGRESS', `no step finished for ${limit} ms while ${active.length} were running (${shown}); raise config.no_progress_timeout in the workflow, or give those steps a \`timeout:\` so that a stuck agent is stopped`, {
          fields: { noProgressTimeoutMs: limit, running: active.slice(0, 20) },
        }),
      });
      return;
    }
    this.#armWatchdog(this.#lastProgress + limit);
  }
}
