import type { StepFilesSetting } from '../config/step-files-setting.ts';
import type { StepFilesSummary } from '../run/run-record.ts';


/**
 * How many `steps/` files a run may write, decided once when its store opens: every one in `all`, none in
 * `none`; in `auto` none when the units known at start are already more than the threshold, else up to the
 * threshold, so that a run that grows past it at run time (fan-outs whose size was not known) stops there.
 */
export function stepFileBudget(setting: StepFilesSetting, expectedUnits: number): number {
  switch (setting.mode) {
    case 'all':
      return Number.POSITIVE_INFINITY;
    case 'none':
      return 0;
    case 'auto':
      return expectedUnits > setting.threshold ? 0 : setting.threshold;
  }
}

/** Counts the files a run writes against its budget. */
export class StepFileCounter {
  readonly #setting: StepFilesSetting;
  readonly #budget: number;
  #written = 0;
  #skipped = 0;

  constructor(setting: StepFilesSetting, expectedUnits: number) {
    this.#setting = setting;
    this.#budget = stepFileBudget(setting, expectedUnits);
  }

  /** Whether the run will write any file at all (decided at start; a run may still stop at the threshold). */
  get any(): boolean {
    return this.#budget > 0;
  }

  /** Takes one file from the budget. @returns whether it is to be written */
  take(): boolean {
    if (this.#written < this.#budget) {
      this.#written += 1;
      return true;
    }
    this.#skipped += 1;
    return false;
  }

  summary(): StepFilesSummary {
    return { mode: this.#setting.mode, threshold: this.#setting.threshold, written: this.#written, skipped: this.#skipped };
  }
}
