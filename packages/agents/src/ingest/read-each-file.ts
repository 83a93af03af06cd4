import { join, relative, resolve } from 'node:path';
import type { AgentContext } from '@ucop/core';
import { listFiles } from './list-files.ts';
import type { SkippedFile } from './skipped-file.ts';

/** One file found by {@link readEachFile}. */
export interface FoundFile {
  /** Absolute path, to read. */
  path: string;
  /** The path as the user's `dir` spells it: for messages and a source's `source`. */
  shown: string;
  /** The path relative to `dir`: a stable id across machines. */
  relative: string;
}

/**
 * Hands each file of `dir` (see listFiles) with one of `extensions` to `read`, in path order. A file that
 * `read` throws on is skipped, logged as "<what> skipped" and returned with the first line of the reason,
 * rather than failing the step; an abort still ends the step. A missing directory has no files.
 */
export async function readEachFile(
  ctx: AgentContext,
  dir: string,
  extensions: readonly string[],
  what: string,
  read: (file: FoundFile) => Promise<void>,
): Promise<SkippedFile[]> {
  const root = resolve(dir);
  const skipped: SkippedFile[] = [];
  for (const path of await listFiles(root, extensions, ctx.signal)) {
    const rel = relative(root, path);
    const shown = join(dir, rel);
    try {
      await read({ path, shown, relative: rel });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      ctx.logger.warn(`${what} skipped`, { path: shown, reason });
      skipped.push({ path: shown, reason });
    }
  }
  return skipped;
}
