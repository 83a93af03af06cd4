import { readFile } from 'node:fs/promises';
import { UcopError } from '../errors/ucop-error.ts';

/**
 * Reads and parses a JSON file.
 * @throws UcopError FILE_NOT_FOUND when it does not exist, JSON_INVALID when it is not valid JSON
 */
export async function readJsonFile<T = unknown>(path: string, options: { signal?: AbortSignal } = {}): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UcopError('FILE_NOT_FOUND', `file not found: ${path}`, { fields: { path }, cause: error });
    }
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UcopError('JSON_INVALID', `${path} is not valid JSON (${(error as Error).message}); fix or delete the file`, { fields: { path }, cause: error });
  }
}
