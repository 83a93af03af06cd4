import type { StepExecutor } from '@ucop/core';
import type { UcopError } from '@ucop/core';

/** The run whose step attempts a {@link RunSteps} takes. */
export interface RunStepsTarget {
  id: string;
  /** The run's directory: artifacts sent back by remote steps are written under it, nowhere else. */
  dir: string;
}

/**
 * Where the daemon's runs send their step attempts when not to the daemon's own process (`ucop serve
 * --executor bullmq`), with the readiness and availability of what that depends on (Redis).
 */
export interface RunSteps {
  /**
   * The step executor of one run. `interrupt` ends the run so that it is put back in the daemon's queue and
   * resumes from its record later (an attempt lost because Redis went away), rather than ending `failed`.
   */
  forRun(run: RunStepsTarget, interrupt: (reason: UcopError) => void): StepExecutor;
  /** Checks by name for `/ready` (e.g. `redis`). */
  ready(signal: AbortSignal): Promise<Record<string, boolean>>;
  /** Throws REDIS_UNAVAILABLE (a 503 to the client) when a submission could not run now. */
  admit(signal: AbortSignal): Promise<void>;
  /** False while the runs' steps cannot go anywhere (Redis down): the pool claims nothing meanwhile. */
  available(): boolean;
  /** `listener` is called each time the steps can go somewhere again. */
  onAvailable(listener: () => void): void;
  close(): Promise<void>;
}
