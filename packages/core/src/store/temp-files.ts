import type { Dirent } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The temporary files ucop itself writes before renaming them into place: `.<name>.<pid>.<12 hex>.tmp`
 * (see files/write-file-atomic.ts and run-lock.ts). Nothing else in a run directory matches.
 */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/** Options of {@link removeTempFiles}. */
export interface RemoveTempFilesOptions {
  /** Top-level entries not to look into (the `steps/` views, which are written in place, at the end of a run). */
  skip?: readonly string[];
}

/**
 * Removes the temporary files a killed run left anywhere under `dir` (at the start of a run, and again at
 * its end for any an abandoned writer left). Only files of ucop's own pattern are touched.
 * @returns how many were removed
 */
export async function removeTempFiles(dir: string, options: RemoveTempFilesOptions = {}): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // No directory yet.
  }
  let removed = 0;
  for (const entry of entries) {
    if (options.skip?.includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removed += await removeTempFiles(path);
    else if (TEMP_FILE.test(entry.name)) {
      try {
        await unlink(path);
        removed += 1;
      } catch {
        // Gone already.
      }
    }
  }
  return removed;
}
