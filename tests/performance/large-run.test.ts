import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { scaleWorkflowSource } from '@ucop/core';
import { runUcop } from '../e2e/cli/ucop-process.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * `ucop run` of a 100,000-step workflow, end to end through the real binary, with its record and its step
 * output files on disk (issue 16). The workflow is the scale benchmark's layered DAG of sim.noop steps
 * (generated, about 9.7 MB: over the default 1 MiB workflow limit, raised through UCOP_MAX_WORKFLOW_BYTES),
 * written as JSON, as programs write workflows this large: a `.json` workflow through the binary, read by the
 * loader's JSON fast path (as YAML, `yaml` alone would spend 7-8 s and about 1 GB of heap on the file).
 * It fails if any step fails, if the run cannot keep its files open (EMFILE), or if the record is missing
 * or incomplete.
 */
const STEPS = 100_000;

const scratch = mkdtempSync(join(tmpdir(), 'ucop-perf-large-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a 100,000-step workflow through `ucop run`', () => {
  it('succeeds end to end, with run.json listing every step', async () => {
    const file = join(scratch, 'large.json');
    const source = scaleWorkflowSource(STEPS, 'json');
    writeFileSync(file, source);
    const out = join(scratch, 'out');
    const started = performance.now();
    const result = await runUcop(['run', file, '-o', out, '--quiet', '--json'], { env: { UCOP_MAX_WORKFLOW_BYTES: String(source.length * 2) } });
    const wallMs = performance.now() - started;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; steps: { total: number; succeeded: number } };
    expect(summary.status).toBe('succeeded');
    expect(summary.steps).toMatchObject({ total: STEPS, succeeded: STEPS });
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; steps: { id: string; status: string }[] };
    expect(record.status).toBe('succeeded');
    expect(record.steps).toHaveLength(STEPS);
    expect(record.steps.every((s) => s.status === 'succeeded')).toBe(true);
    await recordPerfCase('scale.cli_run_100000', { steps: STEPS, workflowBytes: source.length, wallMs: Math.round(wallMs) });
  });
});
