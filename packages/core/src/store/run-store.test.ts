import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow } from '../engine/run-workflow.ts';
import { resumeAgents, resumePlan } from '../run/testing/resume-plan.ts';
import { decodeFrames, encodeFrame } from './journal-frame.ts';
import { openRunStore, JOURNAL_FILE } from './run-store.ts';
import { LOCK_FILE } from './run-lock.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(resume: boolean, slowMs?: number) {
  const { agents, recorder } = resumeAgents();
  const result = await runWorkflow(resumePlan(slowMs === undefined ? {} : { slowMs }), { inputs: {}, agents, outDir: dir, ...(resume ? { resume: true } : {}) });
  return { ...result, ran: recorder.all().map((r) => (r.itemIndex === undefined ? r.stepId : `${r.stepId}.${r.itemIndex}`)).sort() };
}

/** Byte offsets in the journal where each record ends. */
async function recordEnds(): Promise<{ ends: number[]; kinds: string[] }> {
  const bytes = await readFile(join(dir, JOURNAL_FILE));
  const { records } = decodeFrames(bytes);
  let offset = 0;
  const ends: number[] = [];
  for (const r of records) ends.push((offset += encodeFrame(r).length));
  return { ends, kinds: records.map((r) => (r.t === 'unit' ? `unit ${r.step}${r.item === undefined ? '' : `.${r.item}`}` : r.t)) };
}

describe('run store', () => {
  it('journals the run: started, the units still running at a commit started, each unit finished with output and writes, fan-out step, end', async () => {
    await run(false, 200);
    const { records } = decodeFrames(await readFile(join(dir, JOURNAL_FILE)));
    expect(records[0]).toMatchObject({ t: 'run', workflow: 'resume_test', resume: false });
    expect(records.at(-1)).toEqual({ t: 'end', status: 'succeeded' });
    expect(records.find((r) => r.t === 'unit' && r.step === 'a')).toMatchObject({ status: 'succeeded', attempts: 1, output: [1, 2, 3], writes: [{ key: 'log', value: 'a' }] });
    // A unit's start is journaled only when it is still running as a batch is committed: slow (200 ms) is.
    const starts = records.filter((r) => r.t === 'start');
    expect(starts).toContainEqual({ t: 'start', step: 'slow' });
    expect(starts.length).toBeLessThan(6);
    // Each start comes before its unit's end.
    const at = (t: string, step: string) => records.findIndex((r) => r.t === t && 'step' in r && r.step === step && !('item' in r));
    expect(at('start', 'slow')).toBeLessThan(at('unit', 'slow'));
    expect(records.find((r) => r.t === 'step')).toMatchObject({ step: 'b', status: 'succeeded' });
    // The lock is released and nothing temporary is left.
    expect((await readdir(dir)).sort()).toEqual([JOURNAL_FILE, 'run.json', 'steps']);
  });

  it('ignores a torn last record: the units before it are reused, the torn one runs again, the journal is cut back', async () => {
    await run(false);
    const { ends, kinds } = await recordEnds();
    // Cut the journal in the middle of the record of b.1 (a crash while it was being written).
    const b1 = kinds.indexOf('unit b.1');
    expect(b1).toBeGreaterThan(0);
    const cutAt = ends[b1 - 1]! + Math.floor((ends[b1]! - ends[b1 - 1]!) / 2);
    await truncate(join(dir, JOURNAL_FILE), cutAt);
    // Its view never reached the disk either.
    await rm(join(dir, 'steps', 'b.1.json'));
    const store = await openRunStore(dir, { resume: true });
    expect(store.tornTail).toBe(true);
    expect(store.earlier).toHaveLength(b1);
    await store.close();
    expect((await readFile(join(dir, JOURNAL_FILE))).length).toBe(ends[b1 - 1]);

    const again = await run(true);
    const durableBefore = kinds.slice(0, b1).filter((k) => k.startsWith('unit ')).map((k) => k.slice(5));
    for (const unit of durableBefore) expect(again.ran).not.toContain(unit);
    expect(again.ran).toContain('b.1');
    expect(again.record.status).toBe('succeeded');
    expect(again.state).toEqual({ log: ['a', 'slow'], total: 6 });
    // The journal reads whole again, the new records after the cut.
    expect(decodeFrames(await readFile(join(dir, JOURNAL_FILE))).torn).toBe(false);
  });

  it('writes again a view cut short by a kill (a prefix of what its record renders), without rerunning the unit', async () => {
    await run(false);
    const path = join(dir, 'steps', 'b.2.json');
    const whole = await readFile(path, 'utf8');
    await writeFile(path, whole.slice(0, 17));
    await writeFile(join(dir, 'steps', 'a.json'), '');
    const again = await run(true);
    expect(again.ran).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe(whole);
  });

  it('ignores garbage after the last record the same way', async () => {
    await run(false);
    await writeFile(join(dir, JOURNAL_FILE), Buffer.from([0x10, 0, 0, 0, 1, 2]), { flag: 'a' });
    const again = await run(true);
    expect(again.ran).toEqual([]);
  });

  it('a fresh run starts a new journal: nothing of the earlier one is reused later', async () => {
    await run(false);
    await run(false);
    const { records } = decodeFrames(await readFile(join(dir, JOURNAL_FILE)));
    expect(records.filter((r) => r.t === 'run')).toHaveLength(1);
  });

  it('writes the same views from its worker thread as inline (large runs move view writing off the main thread)', async () => {
    await run(false);
    const names = (await readdir(join(dir, 'steps'))).sort();
    const inline = await Promise.all(names.map((n) => readFile(join(dir, 'steps', n), 'utf8')));
    await rm(join(dir, 'steps'), { recursive: true });
    const { agents } = resumeAgents();
    const store = await openRunStore(dir, { resume: false, views: { inlineViews: 1 } });
    const result = await runWorkflow(resumePlan(), { inputs: {}, agents, store });
    expect(result.record.status).toBe('succeeded');
    expect((await readdir(join(dir, 'steps'))).sort()).toEqual(names);
    expect(await Promise.all(names.map((n) => readFile(join(dir, 'steps', n), 'utf8')))).toEqual(inline);
  });

  it('does not crash on a record JSON cannot hold: the run ends, and closing reports it', async () => {
    const store = await openRunStore(dir, { resume: false });
    store.append({ t: 'unit', step: 'x', status: 'succeeded', attempts: 1, fingerprint: 'f', output: 10n });
    store.append({ t: 'end', status: 'succeeded' });
    await expect(store.close()).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('step "x"') });
    expect(decodeFrames(await readFile(join(dir, JOURNAL_FILE))).records).toEqual([{ t: 'end', status: 'succeeded' }]);
  });

  it('holds the directory while open: a run into it fails with RUN_LOCKED and writes nothing', async () => {
    await run(false);
    const before = await readFile(join(dir, 'run.json'), 'utf8');
    const store = await openRunStore(dir, { resume: false });
    try {
      const { agents } = resumeAgents();
      await expect(runWorkflow(resumePlan(), { inputs: {}, agents, outDir: dir })).rejects.toMatchObject({ code: 'RUN_LOCKED' });
      expect(await readFile(join(dir, 'run.json'), 'utf8')).toBe(before);
    } finally {
      await store.close();
    }
    expect((await readdir(dir)).includes(LOCK_FILE)).toBe(false);
  });
});
