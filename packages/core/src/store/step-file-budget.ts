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

/**
 * Counts the files a run writes against its budget. A file already on disk (of an earlier run in the same
 * directory) is always written again when its unit has a new result, budget or not: a file that is present
 * is then always the current one (never a stale result, never a hand edit that would make every later resume
 * rerun the unit), and rewriting what exists costs only as many files as there already are.
 */
export class StepFileCounter {
  readonly #setting: StepFilesSetting;
  readonly #budget: number;
  readonly #onDisk: Set<string>;
  #taken = 0;
  #written = 0;
  #skipped = 0;

  /** @param onDisk the `steps/` files already in the directory (paths relative to it), when the budget is not unlimited */
  constructor(setting: StepFilesSetting, expectedUnits: number, onDisk: Iterable<string> = []) {
    this.#setting = setting;
    this.#budget = stepFileBudget(setting, expectedUnits);
    this.#onDisk = new Set(onDisk);
  }

  /** Whether the run will write any file at all (decided at start; a run may still stop at the threshold). */
  get any(): boolean {
    return this.#budget > 0;
  }

  /** Decides on one file (`path` relative to the run directory). @returns whether it is to be written */
  take(path: string): boolean {
    if (this.#taken < this.#budget) this.#taken += 1;
    else if (!this.#onDisk.has(path)) {
      this.#skipped += 1;
      return false;
    }
    this.#written += 1;
    return true;
  }

  summary(): StepFilesSummary {
    return { mode: this.#setting.mode, threshold: this.#setting.threshold, written: this.#written, skipped: this.#skipped };
  }
}
