import type { Diagnostic } from '../errors/diagnostic.ts';
import { badDurationMessage, tryParseDuration } from './duration.ts';
import { formatPath } from './json-pointer.ts';
import type { DocPath, SourceMap } from './workflow-document.ts';

/**
 * The BAD_DURATION diagnostic for a value written where a duration belongs (workflows, config/main.yaml,
 * providers files): a string that does not parse, or a bare number, which needs a unit. Absent values and
 * values of other types give `undefined`: the schema check reports those.
 */
export function durationDiagnostic(value: unknown, path: DocPath, sourceMap: SourceMap): Diagnostic | undefined {
  if (typeof value !== 'number' && (typeof value !== 'string' || tryParseDuration(value) !== undefined)) return undefined;
  const pos = sourceMap.locate(path);
  return { file: sourceMap.file, line: pos.line, col: pos.col, code: 'BAD_DURATION', message: `\`${formatPath(path)}\`: ${badDurationMessage(value)}` };
}
