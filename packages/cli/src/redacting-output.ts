/**
 * The console side of secret masking: everything a command prints goes through `redactString`, so that a
 * provider key (registered when the project is loaded), a bearer token or an `sk-` key in an error message,
 * a summary or a progress line is shown as `[redacted]`. The run's own data is masked where it enters the
 * engine (core's attempt-result-boundary.ts); this catches what the CLI prints from anywhere else.
 */
import { redactString } from '@ucop/core';
import type { OutputStream } from './cli-io.ts';

/** `stream` with every chunk masked before it is written. */
export function redactingOutput(stream: OutputStream): OutputStream {
  return {
    write: (chunk: string) => stream.write(redactString(chunk)),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
    ...(stream.columns !== undefined ? { columns: stream.columns } : {}),
  };
}
