import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The temporary files ucop itself writes before renaming them into place: `.<name>.<pid>.<12 hex>.tmp`
 * (see files/write-file-atomic.ts and step-view-worker.ts). Nothing else in a run directory matches.
 */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporary files a killed run left anywhere under `dir` (at the start of a run, and again at
 * its end for any an abandoned writer left). Only files of ucop's own pattern are touched.
 * @returns how many were removed
 */
export async function removeTempFiles(dir: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return 0; // No directory yet.
  }
  let removed = 0;
  for (const entry of entries) {
    const name = entry.slice(entry.lastIndexOf('/') + 1);
    if (!TEMP_FILE.test(name)) continue;
    try {
      await unlink(join(dir, entry));
      removed += 1;
    } catch {
      // Gone already.
    }
  }
  return removed;
}
