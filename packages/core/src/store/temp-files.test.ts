import { describe, it, expect } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTempFiles } from './temp-files.ts';

describe('temporary files', () => {
  it('removes the ones ucop writes, anywhere under the directory, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-tmp-'));
    try {
      await mkdir(join(dir, 'steps'));
      await mkdir(join(dir, 'out/deep'), { recursive: true });
      const ours = ['.run.json.123.0123456789ab.tmp', 'steps/.a.json.9.abcdefabcdef.tmp', 'out/deep/.post.md.77.000000000000.tmp'];
      const theirs = ['notes.tmp', '.hidden.tmp', 'steps/a.json', 'out/deep/.post.md.x.tmp'];
      for (const f of [...ours, ...theirs]) await writeFile(join(dir, f), 'x');
      expect(await removeTempFiles(dir)).toBe(ours.length);
      const left = ((await readdir(dir, { recursive: true })) as string[]).filter((p) => !['steps', 'out', 'out/deep'].includes(p));
      expect(left.sort()).toEqual([...theirs].sort());
      expect(await removeTempFiles(join(dir, 'missing'))).toBe(0);
      await writeFile(join(dir, ours[1]!), 'x');
      expect(await removeTempFiles(dir, { skip: ['steps'] })).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
