import { resolve } from 'node:path';
import type { ArtifactWriter } from './artifact-writer.ts';
import { resolveInside } from '../files/resolve-inside.ts';
import { writeFileAtomic } from '../files/write-file-atomic.ts';

/**
 * The file-system ArtifactWriter: every path is checked with `resolveInside` (no `..`, no absolute path, no
 * symlink out of the root) and written with `writeFileAtomic`, creating directories as needed.
 *
 * @param root the run's output directory; it need not exist yet
 */
export function createArtifactWriter(root: string): ArtifactWriter {
  const absoluteRoot = resolve(root);
  return {
    root: absoluteRoot,
    resolve: (relativePath) => resolveInside(absoluteRoot, relativePath),
    async write(relativePath, content, signal) {
      const path = resolveInside(absoluteRoot, relativePath);
      await writeFileAtomic(path, content, { signal });
      return path;
    },
  };
}
