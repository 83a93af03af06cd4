import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { collect, ucopBinary } from '../e2e/cli/ucop-process.ts';

/**
 * 25,000 step files written with a limit of 256 open files (issue 16: a run failed with EMFILE once the
 * steps/ view opened a file per step at once), so that a writer that does not bound its open files fails here
 * whatever the machine's own limit. A run this large writes no step files by default (`--step-files auto`), so
 * the files are written as such a run gets them: `ucop outputs --write` after the run, through the same view
 * writer a run in `all` mode uses.
 */
const ITEMS = 25_000;

describe('steps/ view at scale', () => {
  it(`${ITEMS} steps with 256 open files allowed: every step file written by ucop outputs --write, exit 0`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ucop-perf-files-'));
    try {
      const list = Array.from({ length: ITEMS }, (_, i) => i);
      writeFileSync(
        join(dir, 'wide.yaml'),
        [
          'version: 1',
          'name: wide',
          'description: one list, fanned out to no-op items',
          `config: { max_steps: ${ITEMS * 2} }`,
          'steps:',
          `  list: { agent: sim.delay, with: { ms: 0, output: ${JSON.stringify(list)} } }`,
          '  each: { agent: sim.noop, for_each: "${{ steps.list.output }}", with: { output: "${{ item }}" } }',
          'outputs:',
          '  count: "${{ steps.each.output.length }}"',
          '',
        ].join('\n'),
      );
      const ucop = (...args: string[]) =>
        collect(
          spawn('bash', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, ucopBinary(), ...args], {
            cwd: dir,
            env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
      const run = await ucop('run', 'wide.yaml', '-o', 'out', '--quiet');
      expect(run.code, run.stderr).toBe(0);
      // Past the threshold of 1,000 units (the fan-out's size was not known at start), the run stopped writing files.
      expect(readdirSync(join(dir, 'out', 'steps'))).toHaveLength(1000);
      const result = await ucop('outputs', 'out', '--write');
      expect(result.stderr).not.toContain('EMFILE');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`wrote ${ITEMS + 2} step files`);
      // The list step, the fan-out step's gathered output, and one file per item.
      expect(readdirSync(join(dir, 'out', 'steps'))).toHaveLength(ITEMS + 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
