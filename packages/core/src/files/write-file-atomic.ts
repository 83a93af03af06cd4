import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { abortReason } from '../engine/clock.ts';

export interface WriteFileAtomicOptions {
  /** Stops the write (and removes the temporary file) when it aborts. */
  signal?: AbortSignal;
  /**
   * Creates the parent directory when it is missing.
   * @default true
   */
  mkdir?: boolean;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Writes `content` to `path` so that readers see either the old file or the whole new one, never a part:
 * the content goes to a temporary file in the same directory (same file system, so the rename is atomic),
 * is flushed to disk with fsync, then renamed over `path`. On any failure or abort the temporary file is
 * removed and `path` is untouched.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const { signal } = options;
  throwIfAborted(signal);
  const dir = dirname(path);
  if (options.mkdir ?? true) await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      throwIfAborted(signal);
      await handle.sync();
    } finally {
      await handle.close();
    }
    throwIfAborted(signal);
    await rename(temp, path);
    renamed = true;
    await syncDirectory(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

// Makes the rename itself durable. Some platforms cannot fsync a directory; the write is still atomic there.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort, see above.
  }
}
