/**
 * The console side of secret masking: once a project is loaded (its provider keys and `secrets:` registered),
 * everything a command prints goes through core's `redactString`, so that a key, a bearer token or an `sk-`
 * key in an error message, a summary or a progress line is shown as `[redacted]`. The run's own data is
 * masked where it enters the engine (core's attempt-result-boundary.ts); this catches what the CLI prints
 * from anywhere else. The masking function is handed in by project loading rather than imported here, so
 * that `ucop --help` does not load @ucop/core's entry (the CLI loads only what a command needs).
 */
import type { OutputStream } from './cli-io.ts';

let mask: ((text: string) => string) | undefined;

/** From now on, every chunk written through a {@link redactingOutput} stream goes through `fn` first. */
export function maskConsoleWith(fn: (text: string) => string): void {
  mask = fn;
}

/** `stream` with every chunk masked (once {@link maskConsoleWith} was called) before it is written. */
export function redactingOutput(stream: OutputStream): OutputStream {
  return {
    write: (chunk: string) => stream.write(mask ? mask(chunk) : chunk),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
    ...(stream.columns !== undefined ? { columns: stream.columns } : {}),
  };
}
