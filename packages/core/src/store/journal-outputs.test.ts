import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow } from '../engine/run-workflow.ts';
import { resumeAgents, resumePlan } from '../run/testing/resume-plan.ts';
import { encodeFrame } from './journal-frame.ts';
import { findRunOutput, readRunOutputs, writeRunOutputs } from './journal-outputs.ts';
import { JOURNAL_FILE, openRunStore } from './run-store.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ucop-outputs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runInto(dir: string, mode: 'all' | 'none'): Promise<void> {
  const { agents } = resumeAgents();
  const store = await openRunStore(dir, { resume: false, stepFiles: { mode, threshold: 1000 } });
  const result = await runWorkflow(resumePlan(), { inputs: {}, agents, store });
  expect(result.record.status).toBe('succeeded');
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(join(dir, 'steps'))).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, 'steps', n), 'utf8')] as const)));
}

describe('outputs from the journal', () => {
  it('lists every succeeded unit and fan-out step, with the content its steps/ file has', async () => {
    const dir = join(root, 'none');
    await runInto(dir, 'none');
    const outputs = await readRunOutputs(dir);
    expect(outputs.map((o) => o.id).sort()).toEqual(['a', 'b', 'b[0]', 'b[1]', 'b[2]', 'c', 'slow']);
    expect(findRunOutput(outputs, 'b[1]').file).toMatchObject({ stepId: 'b', itemIndex: 1, output: 20, writes: [{ key: 'total', value: 2 }] });
    // The stem of the file name names the item too.
    expect(findRunOutput(outputs, 'b.2').file.output).toBe(30);
    expect(findRunOutput(outputs, 'b').file.output).toEqual([10, 20, 30]);
    expect(findRunOutput(outputs, 'c').file.output).toEqual([[10, 20, 30], 'slow done', 'x']);
  });

  it('--write writes byte for byte what a run in all mode writes', async () => {
    const all = join(root, 'all');
    const none = join(root, 'none');
    await runInto(all, 'all');
    await runInto(none, 'none');
    await expect(readdir(join(none, 'steps'))).rejects.toMatchObject({ code: 'ENOENT' });
    const outputs = await readRunOutputs(none);
    expect(await writeRunOutputs(none, outputs)).toBe(7);
    const written = await filesOf(none);
    const expected = await filesOf(all);
    // The fingerprints are the same in both directories (same plan, same inputs), so the bytes are.
    expect(written).toEqual(expected);
    // And resume takes them as intact: nothing reruns.
    const { agents, recorder } = resumeAgents();
    await runWorkflow(resumePlan(), { inputs: {}, agents, outDir: none, resume: true });
    expect(recorder.all()).toEqual([]);
  });

  it('--write makes run.json name the files it wrote, as the run would have', async () => {
    const none = join(root, 'none');
    await runInto(none, 'none');
    const before = JSON.parse(await readFile(join(none, 'run.json'), 'utf8')) as { steps: { id: string; status: string; output?: string }[]; stepFiles: { written: number; skipped: number } };
    expect(before.stepFiles).toMatchObject({ written: 0, skipped: 7 });
    expect(before.steps.filter((s) => s.output !== undefined)).toEqual([]);
    // One unit first: only it is named.
    await writeRunOutputs(none, [findRunOutput(await readRunOutputs(none), 'b[1]')]);
    const one = JSON.parse(await readFile(join(none, 'run.json'), 'utf8')) as typeof before;
    expect(one.stepFiles).toMatchObject({ written: 1, skipped: 6 });
    expect(one.steps.filter((s) => s.output !== undefined).map((s) => s.output)).toEqual(['steps/b.1.json']);
    // Then all: every succeeded unit names its file, and nothing is counted twice.
    await writeRunOutputs(none, await readRunOutputs(none));
    const after = JSON.parse(await readFile(join(none, 'run.json'), 'utf8')) as typeof before;
    expect(after.stepFiles).toMatchObject({ written: 7, skipped: 0 });
    for (const step of after.steps.filter((s) => s.status === 'succeeded')) {
      expect(step.output, step.id).toBeDefined();
      await expect(readFile(join(none, step.output!), 'utf8')).resolves.toContain(`"stepId": "${step.id}"`);
    }
  });

  it('an unknown unit is UNIT_NOT_FOUND with the closest id', async () => {
    const dir = join(root, 'run');
    await runInto(dir, 'none');
    const outputs = await readRunOutputs(dir);
    expect(() => findRunOutput(outputs, 'slo')).toThrow(expect.objectContaining({ code: 'UNIT_NOT_FOUND', message: expect.stringContaining('did you mean `slow`?') }));
    expect(() => findRunOutput(outputs, 'b[7]')).toThrow(expect.objectContaining({ code: 'UNIT_NOT_FOUND' }));
  });

  it('a directory without a journal is JOURNAL_NOT_FOUND', async () => {
    await expect(readRunOutputs(root)).rejects.toMatchObject({ code: 'JOURNAL_NOT_FOUND' });
    await expect(readRunOutputs(join(root, 'missing'))).rejects.toMatchObject({ code: 'JOURNAL_NOT_FOUND' });
  });

  it('--write waits for no run: a directory a run holds is RUN_LOCKED, and nothing is written', async () => {
    const dir = join(root, 'run');
    await runInto(dir, 'none');
    const outputs = await readRunOutputs(dir);
    const store = await openRunStore(dir, { resume: true });
    try {
      await expect(writeRunOutputs(dir, outputs)).rejects.toMatchObject({ code: 'RUN_LOCKED' });
      await expect(readdir(join(dir, 'steps'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await store.close();
    }
  });

  it('a step id that would lead a write out of the directory (a crafted journal) is refused before anything is written', async () => {
    const dir = join(root, 'crafted');
    await mkdir(dir);
    const records = [
      { t: 'unit', step: 'fine', status: 'succeeded', attempts: 1, fingerprint: 'f', output: 1 },
      { t: 'unit', step: '../../escape', status: 'succeeded', attempts: 1, fingerprint: 'f', output: 2 },
    ] as const;
    await writeFile(join(dir, JOURNAL_FILE), Buffer.concat(records.map((r) => encodeFrame(r))));
    const outputs = await readRunOutputs(dir);
    await expect(writeRunOutputs(dir, outputs)).rejects.toMatchObject({ code: 'ARTIFACT_PATH_ESCAPE' });
    await expect(readdir(join(dir, 'steps'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(root)).toEqual(['crafted']);
  });
});
