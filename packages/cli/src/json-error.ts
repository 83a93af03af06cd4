/**
 * With `--json`, a command prints exactly one JSON document on stdout, also when it fails before producing
 * its own (a bad option, an invalid workflow, a missing input): scripts that pipe the output into a JSON
 * parser then read why instead of choking on an empty stream. The human-readable error still goes to stderr.
 */
import { CommanderError } from 'commander';
import { isUcopError } from '@ucop/core/errors';
import { diagnosticsOf } from './exit-status.ts';

/** One error of a failed command: its stable code and message, and where in a file when it is about one. */
export interface JsonError {
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  hint?: string;
}

/** The document a `--json` command prints when it fails before writing its own. */
export interface JsonErrorDocument {
  ok: false;
  /** The process exit code (see `ucop --help`). */
  exitCode: number;
  errors: JsonError[];
}

/** Whether the command line asks for JSON output (`--json` before any `--`). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

function errorsOf(error: unknown): JsonError[] {
  if (error instanceof CommanderError) return [{ code: 'USAGE', message: error.message.replace(/^error: /, '') }];
  if (isUcopError(error)) {
    const diagnostics = diagnosticsOf(error.fields['diagnostics']);
    if (diagnostics.length > 0) return diagnostics.map((d) => ({ code: d.code, message: d.message, file: d.file, line: d.line, col: d.col, ...(d.hint ? { hint: d.hint } : {}) }));
    return [{ code: error.code, message: error.message, ...(error.location ? { ...error.location } : {}) }];
  }
  if (error instanceof AggregateError) return error.errors.flatMap(errorsOf);
  return [{ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }];
}

/** The JSON document for an error that ended a command with `exitCode`. */
export function jsonErrorDocument(error: unknown, exitCode: number): JsonErrorDocument {
  return { ok: false, exitCode, errors: errorsOf(error) };
}
