/** The `--resume` / `--from-step` options of `run` and `generate`. */
export interface ResumeFlags {
  resume?: boolean;
  fromStep?: string;
}

/**
 * The engine's resume option for the flags. `--from-step` implies `--resume`: rerunning from a step only
 * makes sense on top of the earlier results.
 */
export function resumeOption(options: ResumeFlags): { resume?: { fromStep?: string } } {
  if (options.fromStep !== undefined) return { resume: { fromStep: options.fromStep } };
  return options.resume ? { resume: {} } : {};
}
