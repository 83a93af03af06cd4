/**
 * @ucop/cli — the `ucop` command line. The binary is bin/ucop.js; this entry exposes the pieces other tools
 * and tests may drive directly.
 */
export { runCli, buildProgram, cliVersion } from './program.ts';
export type { CliIO, OutputStream } from './cli-io.ts';
export { CapturedStream, capturedIO } from './cli-io.ts';
export { parseInputAssignments, parseInputValue, checkRequiredInputs } from './input-values.ts';
export { exitCodeForRunStatus, EXIT_CODES_HELP } from './exit-status.ts';
export { ProgressTracker, estimateRemainingMs } from './progress/progress-tracker.ts';
export type { ProgressSnapshot, RunningUnit } from './progress/progress-tracker.ts';
export { formatLiveFrame, formatProgressBar } from './progress/live-frame.ts';
export { formatEventLine } from './progress/event-line.ts';
export { createProgressReporter, chooseProgressMode } from './progress/progress-reporter.ts';
export type { ProgressMode, ProgressReporter } from './progress/progress-reporter.ts';
