/**
 * `npx node scripts/verify.ts [--workflows dir] [--json] [--only check,check]`: the checks of `ucop verify`
 * without going through the CLI (for example before the `ucop` binary is linked). Exits 1 when a check fails.
 */
import { runVerify, formatVerifyReport, formatCheckLine, CHECK_NAMES } from '../packages/cli/src/verify/index.ts';
import type { CheckName } from '../packages/cli/src/verify/index.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const json = process.argv.includes('--json');
const only = option('--only')?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !(CHECK_NAMES as readonly string[]).includes(name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown check(s) ${unknown.join(', ')}: choose from ${CHECK_NAMES.join(', ')}\n`);
  process.exit(2);
}
const workflowsDir = option('--workflows');
const report = await runVerify({
  ...(workflowsDir ? { workflowsDir } : {}),
  ...(only ? { checks: only as CheckName[] } : {}),
  ...(json ? {} : { onCheck: (check) => process.stderr.write(`${formatCheckLine(check)}\n`) }),
});
process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report));
process.exitCode = report.ok ? 0 : 1;
