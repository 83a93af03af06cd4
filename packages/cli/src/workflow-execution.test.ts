import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { capturedIO } from './cli-io.ts';
import { runCli } from './program.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const SIM = resolve(REPO, 'tests/e2e/cli/fixtures/sim-run.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'ucop-execution-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const io = capturedIO({ cwd: scratch });
  const code = await runCli(['run', SIM, '--quiet', ...args], io);
  return { code, stderr: io.stderr.text() };
}

describe('--resume', () => {
  it('says so when the directory holds no earlier run (a mistyped -o), and runs everything', async () => {
    const first = await run(['-o', 'fresh', '--resume']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('ucop: --resume: no earlier run in fresh (no run.json): every step runs\n');
    const second = await run(['-o', 'fresh', '--resume']);
    expect(second).toEqual({ code: 0, stderr: '' });
    // Without --resume there is nothing to say.
    expect((await run(['-o', 'other'])).stderr).toBe('');
  });
});
