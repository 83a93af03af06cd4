import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecordFile } from '../run/run-record.ts';
import { RecordView } from './record-view.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-record-view-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (status: string): RunRecordFile => ({ schemaVersion: 1, runId: 'r', status, steps: [{ id: 'a', agent: 'x', status: 'succeeded', attempts: 1 }] }) as unknown as RunRecordFile;

describe('run.json view', () => {
  it('writes the partial record as compact JSON while the run goes on, and the final one indented', async () => {
    const path = join(dir, 'run.json');
    const view = new RecordView(path, { minIntervalMs: 1 });
    const build = vi.fn(() => record('running'));
    view.update(build);
    view.update(build);
    await vi.waitFor(async () => expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(record('running')), { timeout: 2_000 });
    // Built once for the write (updates in between cost nothing), and compact: one line.
    expect(build).toHaveBeenCalledTimes(1);
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(record('running')) + '\n');
    await view.finish(record('succeeded'));
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(record('succeeded'), null, 2) + '\n');
  });
});
