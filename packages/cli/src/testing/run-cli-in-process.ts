import { resolve } from 'node:path';
import { capturedIO } from '../cli-io.ts';
import { runCli } from '../program.ts';

/** The repository root: commands run from here find workflows/, config/ and examples/. */
export const REPO = resolve(import.meta.dirname, '../../../..');
/** Fixtures shared with the end-to-end tests. */
export const FIXTURES = resolve(REPO, 'tests/e2e/cli/fixtures');

/** Runs `ucop <args>` in this process with captured output, from `cwd` (the repository root by default). */
export async function runCliInProcess(args: string[], cwd: string = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capturedIO({ cwd });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}
