import type { CliIO } from '../cli-io.ts';
import { displayPath } from '../project-context.ts';

/**
 * `--report` of `run` and `generate`: writes `<out>/report.html` once the run has ended (whatever its status),
 * and says where on stderr (stdout stays the summary, or the one JSON document with --json).
 */
export async function writeReportAfterRun(io: CliIO, outDir: string, json: boolean): Promise<void> {
  const { writeRunReport } = await import('./write-report.ts');
  const written = await writeRunReport(outDir);
  if (!json) io.stderr.write(`Report: ${displayPath(io.cwd, written)}\n`);
}
