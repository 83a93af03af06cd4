import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

// A view is written in place, without a temporary file and a rename: the journal is what is durable, and a
// view cut short by a kill is a prefix of what its record renders to, which resume recognises and writes
// again (see resume-index.ts). Creating and renaming a temporary file per view cost more than the write.

/** Writes a view file, synchronously (in the view worker, where blocking is the point). */
export function writeViewFileSync(path: string, content: string, madeDirs: Set<string>): void {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  writeFileSync(path, content, { mode: 0o644 });
}

/** Writes a view file without blocking (on the main thread, for runs too small to start the worker). */
export async function writeViewFile(path: string, content: string, madeDirs: Set<string>): Promise<void> {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  await writeFile(path, content, { mode: 0o644 });
}
