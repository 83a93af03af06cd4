import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory holding the given files (paths relative to it), and a way to remove it. */
export interface TempFiles {
  dir: string;
  path(relative: string): string;
  remove(): Promise<void>;
}

export async function tempFiles(files: Record<string, string> = {}): Promise<TempFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'ucop-agents-'));
  for (const [relative, content] of Object.entries(files)) {
    const full = join(dir, relative);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return { dir, path: (relative) => join(dir, relative), remove: () => rm(dir, { recursive: true, force: true }) };
}
