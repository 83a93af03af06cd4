import type { Diagnostic } from '../errors/diagnostic.ts';
import { isUcopError } from '../errors/ucop-error.ts';

/**
 * The diagnostic for a file that {@link readTextFile} refused: at the bad byte for an encoding error, else
 * at 1:1 of the file. Anything that is not a UcopError (an abort reason that is not one, a bug) is rethrown.
 */
export function fileErrorDiagnostic(error: unknown, path: string): Diagnostic {
  if (!isUcopError(error) || error.code === 'RUN_CANCELLED') throw error;
  const at = error.location ?? { file: path, line: 1, col: 1 };
  return { file: path, line: at.line, col: at.col, code: error.code, message: error.message };
}
