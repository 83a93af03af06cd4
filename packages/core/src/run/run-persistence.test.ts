import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunPersistence } from './run-persistence.ts';
import type { RunRecordFile } from './run-record.ts';

function fakeRecord(n: number): RunRecordFile {
  return {
    schemaVersion: 1,
    runId: 'r',
    workflow: 'w',
    file: 'w.yaml',
    engine: 'parallel',
    status: 'running',
    startedAt: new Date(0).toISOString(),
    wallMs: n,
    maxParallel: 1,
    inputs: {},
    outputs: {},
    steps: [],
    errors: [],
    metrics: { sumStepMs: 0, speedup: 1, criticalPath: { steps: [], ms: 0 }, lowerBoundMs: 0, efficiency: 1 },
  };
}

describe('RunPersistence', () => {
  it('writes step outputs and coalesces record rewrites, ending with the final record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-persist-'));
    try {
      const p = new RunPersistence(dir);
      expect(p.writeStepOutput({ stepId: 'a', fingerprint: 'f', output: 1, writes: [] })).toBe('steps/a.json');
      expect(p.writeStepOutput({ stepId: 'a', itemIndex: 2, fingerprint: 'f', output: 2, writes: [] })).toBe('steps/a.2.json');
      let builds = 0;
      for (let i = 0; i < 100; i += 1) p.saveRecord(() => fakeRecord(++builds));
      await p.finish({ ...fakeRecord(999), status: 'succeeded' });
      // The first build started at once; the 99 later requests collapsed into at most one more.
      expect(builds).toBeLessThanOrEqual(2);
      const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecordFile;
      expect(record).toMatchObject({ status: 'succeeded', wallMs: 999 });
      expect((await readdir(join(dir, 'steps'))).sort()).toEqual(['a.2.json', 'a.json']);
      // No temporary files left behind.
      expect((await readdir(dir)).sort()).toEqual(['run.json', 'steps']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it could not write, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-persist-'));
    try {
      // A file where the output directory should be: nothing can be written under it.
      await writeFile(join(dir, 'blocker'), 'x');
      const p = new RunPersistence(join(dir, 'blocker'));
      p.writeStepOutput({ stepId: 'a', fingerprint: 'f', output: 1, writes: [] });
      await expect(p.finish({ ...fakeRecord(1), status: 'succeeded' })).rejects.toMatchObject({ code: 'INTERNAL', fields: { path: join(dir, 'blocker', 'steps', 'a.json') } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
