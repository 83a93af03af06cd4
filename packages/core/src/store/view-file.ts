import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a view file in place, without a temporary file and a rename: the journal is what is durable, and a
 * view cut short by a kill is a prefix of what its record renders to, which resume recognises and writes
 * again (see resume-index.ts). Creating and renaming a temporary file per view cost more than the write.
 * The view worker (step-views.ts) writes the same way, synchronously.
 */
export async function writeViewFile(path: string, content: string, madeDirs: Set<string>): Promise<void> {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  await writeFile(path, content, { mode: 0o644 });
}
