import { describe, it, expect } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffRunDirs, normalizeRunRecord } from './run-dir-diff.ts';
import { withTempDir } from './temp-dir.ts';

function record(engine: string, startMs: number): string {
  return JSON.stringify({ runId: engine, engine, wallMs: startMs * 3, startedAt: 'x', status: 'succeeded', outputs: { a: 1 }, metrics: { speedup: startMs }, steps: [{ id: 'b', startMs, endMs: startMs + 1, status: 'succeeded' }, { id: 'a', startMs: 0, status: 'succeeded' }] });
}

async function runDir(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  return dir;
}

describe('diffRunDirs', () => {
  it('ignores timing fields and the order of step records', async () => {
    expect(normalizeRunRecord(record('parallel', 5))).toBe(normalizeRunRecord(record('sequential', 9)));
    await withTempDir('diff-test', async (root) => {
      const a = await runDir(root, 'a', { 'run.json': record('parallel', 5), 'steps/a.json': '{"x":1}', 'trace.json': '1' });
      const b = await runDir(root, 'b', { 'run.json': record('sequential', 7), 'steps/a.json': '{"x":1}' });
      expect(await diffRunDirs(a, b)).toEqual([]);
    });
  });

  it('reports a differing byte, a missing file and a differing status', async () => {
    await withTempDir('diff-test', async (root) => {
      const a = await runDir(root, 'a', { 'run.json': record('parallel', 5), 'steps/a.json': '{"x":1}', 'post.md': 'hello' });
      const b = await runDir(root, 'b', { 'run.json': record('parallel', 5).replace('"status":"succeeded"', '"status":"failed"'), 'steps/a.json': '{"x":2}' });
      expect(await diffRunDirs(a, b, ['parallel', 'sequential'])).toEqual(['post.md only in the parallel run', 'run.json differs beyond its timing fields (status: "succeeded" vs "failed")', 'steps/a.json differs (7 vs 7 bytes)']);
    });
  });
});
