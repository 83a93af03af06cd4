import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { FIXTURES, runUcop } from './ucop-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ucop-e2e-run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Summary {
  status: string;
  engine: string;
  outputs: Record<string, unknown>;
  steps: { total: number; succeeded: number; failed: number; skipped: number };
  metrics: { speedup: number; sumStepMs: number };
  errors: { code: string; message: string }[];
  record: string;
}

describe('ucop run (the real binary)', () => {
  it('runs a sim.delay workflow with typed -i inputs and writes run.json and the step outputs', async () => {
    const out = join(scratch, 'typed');
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', out, '-i', 'count=5', '-i', 'tags=x, y', '-i', 'tags=["z"]', '-i', 'loud=yes', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.status).toBe('succeeded');
    expect(summary.outputs).toEqual({ n: 5, tags: ['x', 'y', 'z'], loud: true });
    expect(summary.steps).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; steps: { id: string }[] };
    expect(record.status).toBe('succeeded');
    expect(record.steps.map((s) => s.id).sort()).toEqual(['first', 'last', 'second']);
    for (const id of ['first', 'second', 'last']) expect(existsSync(join(out, 'steps', `${id}.json`))).toBe(true);
  });

  it('prints one plain progress line per event when not on a terminal, then the summary', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', join(scratch, 'plain')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/run \S+ started: sim_run_fixture \(parallel, 3 steps\)/);
    expect(result.stdout).toMatch(/first started/);
    expect(result.stdout).toMatch(/last succeeded in \d+ms/);
    expect(result.stdout).toMatch(/Run \S+ succeeded in .*\n\s+steps:\s+3 succeeded, 0 failed, 0 skipped of 3/);
    expect(result.stdout).toContain('against running the same work one step after another');
    // No cursor movement in a pipe.
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('--quiet prints only the summary; --engine sequential is honoured', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', join(scratch, 'quiet'), '--quiet', '--engine', 'sequential']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Run \S+ succeeded in .* \(sequential engine, max_parallel \d+\)$/);
    expect(result.stdout).not.toContain(' started');
  });

  it('writes the default output directory out/<workflow> relative to the current directory', async () => {
    const cwd = mkdtempSync(join(scratch, 'cwd-'));
    const result = await runUcop(['run', resolve(FIXTURES, 'valid.yaml'), '-q'], { cwd });
    expect(result.code).toBe(0);
    expect(existsSync(join(cwd, 'out/valid_fixture/run.json'))).toBe(true);
    expect(result.stdout).toContain('record:  out/valid_fixture/run.json');
  });

  it('a bad -i value is bad usage (exit 2) naming the input', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', join(scratch, 'bad'), '-i', 'count=many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INPUT_INVALID input "count" must be an integer, got "many"');
    expect(existsSync(join(scratch, 'bad', 'run.json'))).toBe(false);
  });

  it('an undeclared -i key is bad usage (exit 2) listing the declared inputs', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', join(scratch, 'bad2'), '-i', 'cont=1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown input "cont"; the workflow declares: count, tags, loud');
  });

  it('a failed run exits 4 with the error in the summary; the skipped dependent is counted', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'failing.yaml'), '-o', join(scratch, 'failing'), '--json']);
    expect(result.code).toBe(4);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.status).toBe('failed');
    expect(summary.steps).toMatchObject({ succeeded: 1, failed: 1, skipped: 1 });
    expect(summary.errors.map((e) => e.code)).toContain('AGENT_ERROR');
  });

  it('a run past its deadline exits 5', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'deadline.yaml'), '-o', join(scratch, 'deadline'), '--quiet']);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain('timed_out');
    expect(result.stdout).toContain('RUN_TIMEOUT');
  });

  it('--timeout on the command line overrides the workflow (flag > workflow)', async () => {
    const result = await runUcop(['run', resolve(FIXTURES, 'sim-run.yaml'), '-o', join(scratch, 'flag-timeout'), '--timeout', '5ms', '--json']);
    expect(result.code).toBe(5);
    expect((JSON.parse(result.stdout) as Summary).status).toBe('timed_out');
  });

  it('an invalid workflow exits 3 before running anything', async () => {
    const out = join(scratch, 'invalid');
    const result = await runUcop(['run', resolve(FIXTURES, 'invalid.yaml'), '-o', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('UNKNOWN_AGENT');
    expect(existsSync(out)).toBe(false);
  });

  it('--trace writes the spans to <out>/trace.json', async () => {
    const out = join(scratch, 'trace');
    const result = await runUcop(['run', resolve(FIXTURES, 'valid.yaml'), '-o', out, '--trace', '--quiet']);
    expect(result.code).toBe(0);
    const trace = readFileSync(join(out, 'trace.json'), 'utf8');
    expect(trace).toContain('valid_fixture');
    expect(trace).toContain('join');
  });
});
