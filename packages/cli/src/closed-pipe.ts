/**
 * `ucop --help | head -1`: once `head` has what it wants it closes the pipe, and the next write to stdout
 * fails with EPIPE. Node reports that as an 'error' event on the stream, which without a listener is an
 * uncaught exception: a stack trace and exit 1 for what is no error at all. A closed pipe means the reader
 * is gone: the writes to that stream are dropped from then on, quietly, and the command carries on to its
 * end (a run still writes its record), exiting with its own code.
 */
import type { OutputStream } from './cli-io.ts';

/** The part of a process stream the guard needs. */
export interface ProcessStream {
  write(chunk: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Wraps a process stream (stdout, stderr) so that a closed pipe ends its output quietly; any other stream
 * error is written once to `report` (stderr, unless stderr is the failing stream) and the output stops too.
 */
export function quietOnClosedPipe(stream: ProcessStream, report?: (message: string) => void): OutputStream {
  let closed = false;
  stream.on('error', (error) => {
    if (closed) return;
    closed = true;
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') report?.(`ucop: output stream failed (${error.code ?? error.message}); further output is dropped\n`);
  });
  return {
    write(chunk: string) {
      if (closed) return false;
      try {
        return stream.write(chunk);
      } catch (error) {
        // A synchronous EPIPE (a pipe written synchronously): same as the event.
        closed = true;
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') report?.(`ucop: output stream failed (${(error as Error).message}); further output is dropped\n`);
        return false;
      }
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
