import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** How deep `listFiles` descends below the directory it is given. @default 3 */
export const MAX_LIST_DEPTH = 3;

/**
 * Files under `dir` whose names end with one of `extensions`, sorted by path so that every run reads
 * them in the same order. A missing directory lists nothing (optional inputs); hidden entries and
 * node_modules are skipped.
 */
export async function listFiles(dir: string, extensions: readonly string[], signal: AbortSignal, depth = MAX_LIST_DEPTH): Promise<string[]> {
  signal.throwIfAborted();
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    return [];
  }
  if (!isDir) return [];
  const out: string[] = [];
  await walk(dir, depth, extensions, signal, out);
  return out.sort((a, b) => (relative(dir, a) < relative(dir, b) ? -1 : 1));
}

async function walk(dir: string, depth: number, extensions: readonly string[], signal: AbortSignal, out: string[]): Promise<void> {
  signal.throwIfAborted();
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0) await walk(full, depth - 1, extensions, signal, out);
    } else if (entry.isFile() && extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
      out.push(full);
    }
  }
}
