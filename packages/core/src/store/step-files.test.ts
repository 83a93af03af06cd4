import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepFilesSetting } from '../config/step-files-setting.ts';
import { runWorkflow } from '../engine/run-workflow.ts';
import type { RunRecord } from '../run/run-record.ts';
import { resumeAgents, resumePlan } from '../run/testing/resume-plan.ts';
import { openRunStore } from './run-store.ts';
import { StepFileCounter, stepFileBudget } from './step-file-budget.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-step-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The resume plan (a, b over 3 items, slow, c: 4 steps known at start, 7 views) into `dir` with a setting. */
async function run(stepFiles: StepFilesSetting, resume = false) {
  const { agents, recorder } = resumeAgents();
  const store = await openRunStore(dir, { resume, expectedUnits: resumePlan().order.length, stepFiles });
  const result = await runWorkflow(resumePlan(), { inputs: {}, agents, store, ...(resume ? { resume: true } : {}) });
  const onDisk = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecord;
  return { ...result, onDisk, ran: recorder.all().map((r) => (r.itemIndex === undefined ? r.stepId : `${r.stepId}.${r.itemIndex}`)).sort() };
}

async function viewFiles(): Promise<string[]> {
  return (await readdir(join(dir, 'steps')).catch(() => [] as string[])).sort();
}

const ALL_VIEWS = ['a.json', 'b.0.json', 'b.1.json', 'b.2.json', 'b.json', 'c.json', 'slow.json'];

describe('step files budget', () => {
  it('all: unlimited; none: nothing; auto: the threshold when the units known at start fit under it, else nothing', () => {
    expect(stepFileBudget({ mode: 'all', threshold: 10 }, 1_000_000)).toBe(Number.POSITIVE_INFINITY);
    expect(stepFileBudget({ mode: 'none', threshold: 10 }, 1)).toBe(0);
    expect(stepFileBudget({ mode: 'auto', threshold: 1000 }, 1000)).toBe(1000);
    expect(stepFileBudget({ mode: 'auto', threshold: 1000 }, 1001)).toBe(0);
  });

  it('stops at the threshold when a run grows past it, but always rewrites a file already on disk', () => {
    const counter = new StepFileCounter({ mode: 'auto', threshold: 2 }, 1, ['steps/old.json']);
    expect([counter.take('steps/a.json'), counter.take('steps/b.json'), counter.take('steps/c.json'), counter.take('steps/old.json')]).toEqual([true, true, false, true]);
    expect(counter.summary()).toEqual({ mode: 'auto', threshold: 2, written: 3, skipped: 1 });
  });
});

describe('step files during a run', () => {
  it('auto under the threshold writes every view, as before, and says so in run.json', async () => {
    const { record, onDisk } = await run({ mode: 'auto', threshold: 1000 });
    expect(await viewFiles()).toEqual(ALL_VIEWS);
    expect(onDisk.stepFiles).toEqual({ mode: 'auto', threshold: 1000, written: 7, skipped: 0 });
    expect(record.stepFiles).toEqual(onDisk.stepFiles);
    expect(onDisk.steps.filter((s) => s.output !== undefined)).toHaveLength(7);
  });

  it('auto over the threshold at start (and none) writes no view; run.json names no output file', async () => {
    for (const stepFiles of [{ mode: 'auto', threshold: 3 }, { mode: 'none', threshold: 1000 }] as const) {
      await rm(join(dir, 'steps'), { recursive: true, force: true });
      const { record, onDisk } = await run(stepFiles);
      expect(record.status).toBe('succeeded');
      expect(await viewFiles()).toEqual([]);
      expect(onDisk.stepFiles).toEqual({ ...stepFiles, written: 0, skipped: 7 });
      expect(onDisk.steps.some((s) => s.output !== undefined)).toBe(false);
    }
  });

  it('auto stops writing at the threshold when a fan-out grows the run past it', async () => {
    // 4 steps known at start, under the threshold of 5; the fan-out's 3 items make 7 views.
    const { onDisk } = await run({ mode: 'auto', threshold: 5 });
    expect(onDisk.stepFiles).toEqual({ mode: 'auto', threshold: 5, written: 5, skipped: 2 });
    const named = onDisk.steps.flatMap((s) => (s.output === undefined ? [] : [s.output.slice('steps/'.length)])).sort();
    expect(named).toHaveLength(5);
    expect(await viewFiles()).toEqual(named);
  });

  it('resume of a run that wrote no views reruns nothing and writes no view (missing views are never a reason to rerun)', async () => {
    await run({ mode: 'none', threshold: 1000 });
    const again = await run({ mode: 'auto', threshold: 3 }, true);
    expect(again.ran).toEqual([]);
    expect(again.record.status).toBe('succeeded');
    expect(again.state).toEqual({ log: ['a', 'slow'], total: 6 });
    expect(await viewFiles()).toEqual([]);
    expect(again.onDisk.stepFiles).toMatchObject({ written: 0, skipped: 7 });
    expect(again.onDisk.steps.every((s) => s.resumed === true || s.itemIndex === undefined)).toBe(true);
  });

  it('a hand-edited view still makes its unit rerun in a run that writes no views, and is replaced by the new result', async () => {
    await run({ mode: 'all', threshold: 1000 });
    const path = join(dir, 'steps', 'slow.json');
    const intact = await readFile(path, 'utf8');
    await writeFile(path, intact.replace('slow done', 'edited'));
    const again = await run({ mode: 'none', threshold: 1000 }, true);
    expect(again.ran).toEqual(['c', 'slow']);
    // The file that was there is the current result again (so the next resume does not rerun it); the files
    // written are those already on disk whose units finished in this run: slow, c and the fan-out b's gathered view.
    expect(await readFile(path, 'utf8')).toBe(intact);
    expect(again.onDisk.stepFiles).toMatchObject({ mode: 'none', written: 3, skipped: 0 });
    const third = await run({ mode: 'none', threshold: 1000 }, true);
    expect(third.ran).toEqual([]);
  });
});
