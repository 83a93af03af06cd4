import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

// A view is written to a temporary file then renamed over its path, so that it is either the old file or
// the whole new one even if the process is killed mid-write. No fsync: the journal is what is durable, and
// resume writes a view again when it finds it missing.
// A counter, not random bytes, makes the temporary name unique: one process writes a run directory (its
// lock), the pid and thread id tell writers apart; drawing random bytes for every view cost more than the write.
let counter = 0;
function tempFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${path.slice(path.lastIndexOf('/') + 1)}.${process.pid}.${(threadId % 256).toString(16).padStart(2, '0')}${counter.toString(16).padStart(10, '0')}.tmp`);
}

/** Writes a view file, synchronously (in the view worker, where blocking is the point). */
export function writeViewFileSync(path: string, content: string, madeDirs: Set<string>): void {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const temp = tempFor(path);
  try {
    writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created.
    }
    throw error;
  }
}

/** Writes a view file without blocking (on the main thread, for runs too small to start the worker). */
export async function writeViewFile(path: string, content: string, madeDirs: Set<string>): Promise<void> {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const temp = tempFor(path);
  try {
    await writeFile(temp, content, { flag: 'wx', mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
