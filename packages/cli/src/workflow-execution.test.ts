import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunRecord, TraceFile } from '@ucop/core';
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
    expect(first.stderr).toBe('ucop: --resume: no earlier run in fresh (no journal): every step runs\n');
    const second = await run(['-o', 'fresh', '--resume']);
    expect(second).toEqual({ code: 0, stderr: '' });
    // Without --resume there is nothing to say.
    expect((await run(['-o', 'other'])).stderr).toBe('');
  });
});

describe('--trace', () => {
  it('writes one llm.call span per provider call, each under the step attempt that made it', async () => {
    const io = capturedIO({ cwd: REPO });
    const out = join(scratch, 'traced');
    const code = await runCli(['run', 'workflows/blog_generation.yaml', '-i', 'source=examples/kb-article.md', '-o', out, '--trace', '--quiet', '--json'], io);
    expect(code).toBe(0);
    const trace = JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8')) as TraceFile;
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
    const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
    const calls = trace.spans.filter((span) => span.name === 'llm.call');
    // One span per provider call: the run record counts the answered calls (offline never fails here).
    expect(record.usage?.calls).toBeGreaterThan(0);
    expect(calls).toHaveLength(record.usage!.calls);
    for (const call of calls) {
      expect(byId.get(call.parentSpanId!)?.name).toBe('step.attempt');
      expect(call.attributes).toMatchObject({ 'llm.provider': 'offline', 'llm.attempt': 1, 'llm.outcome': 'ok' });
      expect(call.attributes['llm.model']).toEqual(expect.any(String));
      expect(call.attributes['llm.output_tokens']).toEqual(expect.any(Number));
    }
  });
});
