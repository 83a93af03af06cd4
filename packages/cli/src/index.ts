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
export type { ValidateReport } from './commands/validate.ts';
export type { PlanReport, PlanStepReport } from './plan-report.ts';
export type { RunSummary, StepCounts, UsageSummary } from './run-summary.ts';
export type { GenerateSummary, ProviderChoice } from './generate-report.ts';
export type { ConfigReport } from './commands/config-show.ts';
export type { EffectiveSetting } from './effective-settings.ts';
export type { AgentSummary, AgentField } from './commands/agents.ts';
