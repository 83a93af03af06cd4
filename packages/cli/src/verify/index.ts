// Public API of `ucop verify`: run the checks, print the report. Each check is also exported for reuse.
export { runVerify, toleranceFromEnv } from './run-verify.ts';
export { CHECK_NAMES } from './verify-options.ts';
export type { VerifyOptions, VerifyDeps, CheckName } from './verify-options.ts';
export { formatVerifyReport, formatVerifySummary, formatCheckLine } from './format-verify-report.ts';
export type { CheckResult, VerifyReport } from './verify-types.ts';
export { checkRuntime } from './checks/runtime.ts';
export { checkWorkflows } from './checks/workflows.ts';
export { checkParity } from './checks/parity.ts';
export { checkExactlyOnce } from './checks/exactly-once.ts';
export { checkTimeouts } from './checks/timeouts.ts';
export { checkFailFast } from './checks/fail-fast.ts';
export { checkResume } from './checks/resume.ts';
export { checkSpeedup } from './checks/speedup.ts';
