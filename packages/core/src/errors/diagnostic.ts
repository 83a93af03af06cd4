import type { ErrorCode } from './error-codes.ts';

/** One problem found in a file, reported with all the others of that file. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  code: ErrorCode;
  message: string;
  /** Extra help such as a "did you mean" suggestion; part of the printed message. */
  hint?: string;
}

/** `file:line:col: CODE message` — the one format every ucop command prints errors in. */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.code} ${d.message}${hint}`;
}

/** Sorts by file, line, column so that output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));
}
