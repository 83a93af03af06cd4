import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import type { ArtifactWriter } from '../agents/artifact-writer.ts';
import { abortReason } from './clock.ts';
import type { ArtifactRecord } from './step-executor.ts';

/**
 * The artifact writer one attempt gets: it writes through the run's writer, refuses writes once the
 * attempt was aborted (an abandoned agent cannot overwrite a file later), and remembers what it wrote with
 * a hash of the content, so that resume can tell whether the files are still intact.
 */
export class RecordingArtifactWriter implements ArtifactWriter {
  readonly #base: ArtifactWriter;
  readonly #signal: AbortSignal;
  /** Undefined until the first write. */
  written: ArtifactRecord[] | undefined;

  constructor(base: ArtifactWriter, signal: AbortSignal) {
    this.#base = base;
    this.#signal = signal;
  }

  get root(): string {
    return this.#base.root;
  }

  resolve(relativePath: string): string {
    return this.#base.resolve(relativePath);
  }

  async write(relativePath: string, content: string | Uint8Array, signal?: AbortSignal): Promise<string> {
    if (this.#signal.aborted) throw abortReason(this.#signal);
    const path = await this.#base.write(relativePath, content, signal ?? this.#signal);
    if (this.#signal.aborted) throw abortReason(this.#signal);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const rel = relative(this.#base.root, path).split(sep).join('/');
    this.written ??= [];
    const existing = this.written.findIndex((a) => a.path === rel);
    if (existing >= 0) this.written[existing] = { path: rel, sha256 };
    else this.written.push({ path: rel, sha256 });
    return path;
  }
}
