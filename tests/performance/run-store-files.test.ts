import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { collect, ucopBinary } from '../e2e/cli/ucop-process.ts';

/**
 * `ucop run` of 25,000 fast steps writes all 25,000 step files (issue 16: it failed with EMFILE once the
 * steps/ view opened a file per step at once). The process runs with a limit of 256 open files, so that a
 * store that does not bound its open files fails here whatever the machine's own limit.
 */
const ITEMS = 25_000;

describe('steps/ view at scale', () => {
  it(`${ITEMS} steps with 256 open files allowed: every step file written, exit 0`, async () => {
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
      const child = spawn('bash', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, ucopBinary(), 'run', 'wide.yaml', '-o', 'out', '--quiet'], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const result = await collect(child);
      expect(result.stderr).not.toContain('EMFILE');
      expect(result.code, result.stderr).toBe(0);
      // The list step, the fan-out step's gathered output, and one file per item.
      expect(readdirSync(join(dir, 'out', 'steps'))).toHaveLength(ITEMS + 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
