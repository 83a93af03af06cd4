/** Writes files under the run's output directory; no path can escape it (ARTIFACT_PATH_ESCAPE). */
export interface ArtifactWriter {
  /** The output directory, absolute. */
  readonly root: string;
  /** Writes atomically (temp file + rename) and returns the absolute path. */
  write(relativePath: string, content: string | Uint8Array, signal?: AbortSignal): Promise<string>;
  /** Resolves a relative path inside the root, or throws ARTIFACT_PATH_ESCAPE. */
  resolve(relativePath: string): string;
}
