import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkflow } from '../engine/run-workflow.ts';
import { buildPlan } from '../engine/testing/plan-builder.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { RunRecordFile } from './run-record.ts';
import { resumePlan, resumeAgents } from './testing/resume-plan.ts';
import { stepsToRerun } from './resume.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-resume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(options: { resume?: boolean | { fromStep?: string }; cInput?: string; signal?: AbortSignal; slowMs?: number } = {}) {
  const { agents, recorder } = resumeAgents();
  const result = await runWorkflow(resumePlan({ cInput: options.cInput, slowMs: options.slowMs }), {
    inputs: {},
    agents,
    outDir: dir,
    ...(options.resume !== undefined ? { resume: options.resume } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const ran = recorder.all().map((r) => (r.itemIndex === undefined ? r.stepId : `${r.stepId}.${r.itemIndex}`));
  return { ...result, ran };
}

async function readRecord(): Promise<RunRecordFile> {
  return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecordFile;
}

describe('resume', () => {
  it('reuses every intact result: nothing runs again, outputs and state are restored', async () => {
    const first = await run();
    expect(first.record.status).toBe('succeeded');
    expect(first.ran.sort()).toEqual(['a', 'b.0', 'b.1', 'b.2', 'c', 'slow']);
    const again = await run({ resume: true });
    expect(again.ran).toEqual([]);
    expect(again.record.status).toBe('succeeded');
    expect(again.outputs).toEqual(first.outputs);
    expect(again.state).toEqual(first.state);
    expect(again.state).toEqual({ log: ['a', 'slow'], total: 6 });
    // Every step and item is resumed, the fan-out step `b` itself included.
    expect(again.record.steps.filter((s) => s.resumed !== true)).toEqual([]);
    expect(again.record.metrics.sumStepMs).toBe(0);
  });

  it('without resume, everything runs again', async () => {
    await run();
    const again = await run();
    expect(again.ran).toHaveLength(6);
  });

  it('fromStep reruns that step and everything downstream, and reuses the rest', async () => {
    await run();
    const again = await run({ resume: { fromStep: 'slow' } });
    expect(again.ran.sort()).toEqual(['c', 'slow']);
    expect(again.state).toEqual({ log: ['a', 'slow'], total: 6 });
    expect(stepsToRerun(resumePlan().steps, 'b')).toEqual(new Set(['b', 'slow', 'c']));
  });

  it('reruns a step whose input changed (and only it, when its output is what dependents see)', async () => {
    await run();
    const again = await run({ resume: true, cInput: 'changed' });
    expect(again.ran).toEqual(['c']);
    expect(again.outputs.c).toEqual([[10, 20, 30], 'slow done', 'changed']);
  });

  it('reruns a unit whose output file was edited, with everything downstream; rewrites a missing one from the journal', async () => {
    const first = await run();
    const intact = await readFile(join(dir, 'steps', 'a.json'), 'utf8');
    await writeFile(join(dir, 'steps', 'b.1.json'), '{"truncated": ');
    await rm(join(dir, 'steps', 'a.json'));
    const again = await run({ resume: true });
    // b.1 was altered: it reruns, and so do the steps downstream of b (slow, then c), although their
    // fingerprints did not change. a's view was only missing: the journal has its result, nothing reruns.
    expect(again.ran.sort()).toEqual(['b.1', 'c', 'slow']);
    expect(again.state).toEqual({ log: ['a', 'slow'], total: 6 });
    expect(again.outputs).toEqual(first.outputs);
    expect(await readFile(join(dir, 'steps', 'a.json'), 'utf8')).toBe(intact);
    expect(JSON.parse(await readFile(join(dir, 'steps', 'b.1.json'), 'utf8'))).toMatchObject({ stepId: 'b', itemIndex: 1, output: 20 });
  });

  it('reruns a unit whose output was edited by hand under the same fingerprint, with its dependents', async () => {
    await run();
    const path = join(dir, 'steps', 'slow.json');
    const edited = JSON.parse(await readFile(path, 'utf8')) as { output: unknown };
    edited.output = 'edited by hand';
    await writeFile(path, JSON.stringify(edited, null, 2) + '\n');
    const again = await run({ resume: true });
    expect(again.ran.sort()).toEqual(['c', 'slow']);
    expect(again.outputs.c).toEqual([[10, 20, 30], 'slow done', 'x']);
  });

  it('reruns a unit whose artifact was changed or deleted, and keeps the ones that are intact', async () => {
    let runs = 0;
    const publisher: AgentDefinition = {
      name: 'test.publish',
      version: '1',
      description: 'writes a file named by its input',
      inputSchema: {},
      outputSchema: {},
      estimateMs: 1,
      async run(ctx, input) {
        runs += 1;
        await ctx.artifacts.write(String(input.file), `content of ${String(input.file)}\n`, ctx.signal);
        return input.file;
      },
    };
    const plan = buildPlan({ steps: { one: { agent: 'test.publish', with: { file: 'out/one.md' } }, two: { agent: 'test.publish', with: { file: 'out/two.md' } } } });
    const agents = new AgentRegistry([publisher]);
    await runWorkflow(plan, { inputs: {}, agents, outDir: dir });
    expect(runs).toBe(2);
    const step = JSON.parse(await readFile(join(dir, 'steps', 'one.json'), 'utf8')) as { artifacts: unknown };
    expect(step.artifacts).toEqual([{ path: 'out/one.md', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    await runWorkflow(plan, { inputs: {}, agents, outDir: dir, resume: true });
    expect(runs).toBe(2);
    await writeFile(join(dir, 'out', 'one.md'), 'edited by hand\n');
    await runWorkflow(plan, { inputs: {}, agents, outDir: dir, resume: true });
    expect(runs).toBe(3);
    expect(await readFile(join(dir, 'out', 'one.md'), 'utf8')).toBe('content of out/one.md\n');
    await rm(join(dir, 'out', 'two.md'));
    const last = await runWorkflow(plan, { inputs: {}, agents, outDir: dir, resume: true });
    expect(runs).toBe(4);
    expect(last.record.steps.map((s) => s.resumed ?? false)).toEqual([true, false]);
  });

  it('finishes a cancelled run without redoing its finished steps', async () => {
    const controller = new AbortController();
    const pending = run({ signal: controller.signal, slowMs: 60_000 });
    // Wait until the partial record on disk shows the fan-out finished, then cancel.
    await waitFor(async () => {
      const r = await readRecord().catch(() => undefined);
      return r?.steps.find((s) => s.id === 'b' && s.itemIndex === undefined)?.status === 'succeeded';
    });
    controller.abort();
    const cancelled = await pending;
    expect(cancelled.record.status).toBe('cancelled');
    const resumed = await run({ resume: true });
    expect(resumed.ran.sort()).toEqual(['c', 'slow']);
    expect(resumed.record.status).toBe('succeeded');
    expect(resumed.state).toEqual({ log: ['a', 'slow'], total: 6 });
  });

  it('after the process is killed (SIGKILL) mid-run, resume does not redo finished steps', async () => {
    const fixture = fileURLToPath(new URL('./testing/kill-fixture.ts', import.meta.url));
    const child = spawn(process.execPath, [fixture, dir], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(async () => {
        const r = await readRecord().catch(() => undefined);
        return r?.status === 'running' && r.steps.find((s) => s.id === 'b' && s.itemIndex === undefined)?.status === 'succeeded';
      }, 20_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const partial = await readRecord();
    expect(partial.status).toBe('running');
    const resumed = await run({ resume: true });
    expect(resumed.ran.sort()).toEqual(['c', 'slow']);
    const cleanDir = await mkdtemp(join(tmpdir(), 'ucop-resume-clean-'));
    const resumedDir = dir;
    try {
      dir = cleanDir;
      const clean = await run();
      expect(resumed.outputs).toEqual(clean.outputs);
      expect(resumed.state).toEqual(clean.state);
      // The final step files are byte for byte those of an uninterrupted run.
      const files = (await readdir(join(cleanDir, 'steps'))).sort();
      expect((await readdir(join(resumedDir, 'steps'))).sort()).toEqual(files);
      for (const file of files) {
        expect(await readFile(join(resumedDir, 'steps', file), 'utf8')).toBe(await readFile(join(cleanDir, 'steps', file), 'utf8'));
      }
    } finally {
      dir = resumedDir;
      await rm(cleanDir, { recursive: true, force: true });
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
