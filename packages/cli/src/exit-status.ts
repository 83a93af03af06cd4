import { EXIT_CODES, UcopError, exitCodeFor, formatDiagnostic, isUcopError, sortDiagnostics } from '@ucop/core/errors';
import type { Diagnostic, RunStatus } from '@ucop/core';
import type { CliIO } from './cli-io.ts';

/** The exit codes, as printed at the end of `ucop --help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT_CODES.success}  success
  ${EXIT_CODES.general}  general error
  ${EXIT_CODES.usage}  bad usage (unknown command or option, bad -i value)
  ${EXIT_CODES.invalid}  invalid workflow or configuration
  ${EXIT_CODES.execution}  execution failed
  ${EXIT_CODES.timeout}  timed out
`;

/** Exit code for a finished run: failed and cancelled runs are execution failures, deadlines are timeouts. */
export function exitCodeForRunStatus(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
      return EXIT_CODES.success;
    case 'timed_out':
      return EXIT_CODES.timeout;
    case 'failed':
    case 'cancelled':
      return EXIT_CODES.execution;
  }
}

/**
 * Exit code for a set of diagnostics: the most severe category wins, so that a file that both is missing
 * and invalid reports "invalid" rather than whichever came first.
 */
export function exitCodeForDiagnostics(diagnostics: readonly Diagnostic[]): number {
  let worst: number = EXIT_CODES.success;
  for (const d of diagnostics) {
    const code = exitCodeFor(d.code);
    if (code === EXIT_CODES.invalid || worst === EXIT_CODES.success) worst = code;
    if (worst === EXIT_CODES.invalid) break;
  }
  return worst;
}

/** Prints every diagnostic as `file:line:col: CODE message`, sorted, on stderr. */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) io.stderr.write(`${formatDiagnostic(d)}\n`);
}

/**
 * Prints an error that escaped a command and returns its exit code. Errors with a source location print in
 * the diagnostic format; other ucop errors as `ucop: CODE message`; anything else is a general error whose
 * stack is shown only with UCOP_DEBUG=1 (it is a bug, not a user mistake).
 */
export function reportError(io: CliIO, error: unknown): number {
  if (isUcopError(error)) {
    const diagnostics = diagnosticsOf(error.fields['diagnostics']);
    if (diagnostics.length > 0) {
      printDiagnostics(io, diagnostics);
      return exitCodeForDiagnostics(diagnostics);
    }
    if (error.location) {
      io.stderr.write(`${formatDiagnostic({ ...error.location, code: error.code, message: error.message })}\n`);
    } else {
      io.stderr.write(`ucop: ${error.code} ${error.message}\n`);
    }
    return exitCodeFor(error.code);
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) reportError(io, inner);
    const codes = error.errors.filter(isUcopError).map((e) => exitCodeFor(e.code));
    return codes[0] ?? EXIT_CODES.general;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`ucop: ${message}\n`);
  if (io.env['UCOP_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_CODES.general;
}

/**
 * The error for a file with problems (a workflow that does not validate): it carries every diagnostic, so
 * that {@link reportError} prints all of them and exits by the worst, as for a configuration file.
 */
export function diagnosticsError(diagnostics: readonly Diagnostic[]): UcopError {
  const first = diagnostics[0];
  return new UcopError(first?.code ?? 'INTERNAL', `${first?.file ?? 'the file'}: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`, {
    fields: { diagnostics: [...diagnostics] },
  });
}

/** Errors about a whole file (a configuration file, a workflow) carry every problem in `fields.diagnostics`. */
export function diagnosticsOf(value: unknown): Diagnostic[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is Diagnostic =>
      typeof d === 'object' && d !== null && typeof (d as Diagnostic).file === 'string' && typeof (d as Diagnostic).line === 'number' && typeof (d as Diagnostic).code === 'string',
  );
}
