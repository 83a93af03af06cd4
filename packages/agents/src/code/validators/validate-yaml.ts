import { parseAllDocuments } from 'yaml';
import type { CodeError } from './code-error.ts';

/** Validates a YAML block (every document of it) with `yaml`, which reports line and column itself. */
export function validateYaml(code: string): CodeError[] {
  // An empty stream is an empty list: nothing to report.
  const errors: CodeError[] = [];
  for (const doc of parseAllDocuments(code, { prettyErrors: true, uniqueKeys: true })) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0];
      errors.push({ line: pos?.line ?? 1, col: pos?.col ?? 1, message: error.message.split('\n')[0] ?? error.code });
    }
  }
  return errors;
}
