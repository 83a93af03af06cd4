/**
 * Everything a command touches outside its arguments: the output streams, the environment, the working
 * directory and the interrupt signal. Commands never reach for `process` directly, so unit tests drive them
 * with captured streams.
 */

/** The part of a writable stream the CLI uses. `isTTY`/`columns` decide between live and plain progress. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Absolute directory relative paths are resolved against. */
  cwd: string;
  /** Aborts when the user interrupts (SIGINT/SIGTERM); runs stop and record `cancelled`. */
  signal: AbortSignal;
  /** Aborts on a second interrupt: a run abandons the steps still running and writes its record at once. */
  urgentSignal?: AbortSignal;
}

/** An OutputStream that keeps what was written, for tests and for buffering. */
export class CapturedStream implements OutputStream {
  readonly #chunks: string[] = [];
  readonly isTTY: boolean;
  readonly columns: number | undefined;

  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns;
  }

  write(chunk: string): boolean {
    this.#chunks.push(chunk);
    return true;
  }

  text(): string {
    return this.#chunks.join('');
  }
}

/** A CliIO for tests: captured streams, an empty environment unless given, never-aborting signal. */
export function capturedIO(options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean }): CliIO & {
  stdout: CapturedStream;
  stderr: CapturedStream;
} {
  return {
    stdout: new CapturedStream({ isTTY: options.tty ?? false }),
    stderr: new CapturedStream(),
    env: options.env ?? {},
    cwd: options.cwd,
    signal: new AbortController().signal,
  };
}
