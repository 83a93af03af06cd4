/**
 * The shapes `ucop verify` reports in. A check never throws for a finding: it returns `ok: false` with a
 * reason that says what is wrong and what to change; an unexpected exception inside a check is itself
 * reported as that check failing (see run-verify.ts).
 */

/** The outcome of one check. */
export interface CheckResult {
  /** Stable name, e.g. `exactly-once`; also the module name under verify/checks/. */
  name: string;
  ok: boolean;
  /** One line: why it passed (what was measured) or why it failed (what to change). */
  reason: string;
  /** Structured figures and findings, printed with `--json` and under the line in verbose output. */
  details?: Record<string, unknown>;
  /** How long the check took, ms. Filled by runVerify. */
  durationMs?: number;
}

/** Everything `ucop verify` found. */
export interface VerifyReport {
  ok: boolean;
  /** ISO timestamp of the start of the verification. */
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
}

/** A check: a named function of injected dependencies. */
export interface VerifyCheck {
  name: string;
  /** One line on what the check proves, printed in the report header and in `--help`. */
  description: string;
  run(signal: AbortSignal): Promise<CheckResult>;
}
