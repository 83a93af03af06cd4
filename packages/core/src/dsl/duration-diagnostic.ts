import type { Diagnostic } from '../errors/diagnostic.ts';
import { badDurationMessage, tryParseDuration } from './duration.ts';
import { zeroGuardMessage } from './guard-durations.ts';
import { formatPath } from './json-pointer.ts';
import type { DocPath, SourceMap } from './workflow-document.ts';

/**
 * The BAD_DURATION diagnostic for a value written where a duration belongs (workflows, config/main.yaml,
 * providers files): a string that does not parse, or a bare number, which needs a unit; with `guard` (the
 * name of what the duration arms, from GUARD_DURATIONS), also a duration of 0, which would switch the
 * guard off. Absent values and values of other types give `undefined`: the schema check reports those.
 */
export function durationDiagnostic(value: unknown, path: DocPath, sourceMap: SourceMap, guard?: string): Diagnostic | undefined {
  const ms = typeof value === 'string' ? tryParseDuration(value) : undefined;
  let message: string;
  if (typeof value === 'number' || (typeof value === 'string' && ms === undefined)) message = `\`${formatPath(path)}\`: ${badDurationMessage(value)}`;
  else if (guard !== undefined && ms === 0) message = zeroGuardMessage(formatPath(path), value as string, guard);
  else return undefined;
  const pos = sourceMap.locate(path);
  return { file: sourceMap.file, line: pos.line, col: pos.col, code: 'BAD_DURATION', message };
}
