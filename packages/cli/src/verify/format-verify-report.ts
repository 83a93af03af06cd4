import type { CheckResult, VerifyReport } from './verify-types.ts';

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** One line per check: `PASS name: reason (1.2 s)`. */
export function formatCheckLine(check: CheckResult): string {
  return `${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.reason}${seconds(check.durationMs)}`;
}

/**
 * The human-readable report of `ucop verify`: a line per check, then a summary that names the failed
 * checks. `--json` prints the report object itself instead.
 */
export function formatVerifyReport(report: VerifyReport): string {
  const lines = report.checks.map(formatCheckLine);
  lines.push('', formatVerifySummary(report));
  return `${lines.join('\n')}\n`;
}

/** The closing line alone: `verify: all 8 checks passed (3.6 s)` or which checks failed. */
export function formatVerifySummary(report: VerifyReport): string {
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length === 0) return `verify: all ${report.checks.length} checks passed${seconds(report.durationMs)}`;
  return `verify: ${failed.length} of ${report.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}${seconds(report.durationMs)}`;
}
