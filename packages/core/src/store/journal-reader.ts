import { readFile } from 'node:fs/promises';
import { UcopError } from '../errors/ucop-error.ts';
import { decodeFrames, type DecodedFrames } from './journal-frame.ts';

/**
 * Reads a journal file whole: its intact records, up to the first torn or damaged frame. A missing file is
 * an empty journal.
 * @throws UcopError INTERNAL when the file exists but cannot be read
 */
export async function readJournal(path: string): Promise<DecodedFrames> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, torn: false };
    throw new UcopError('INTERNAL', `could not read the run journal ${path}: ${(error as Error).message}`, { fields: { path }, cause: error });
  }
  return decodeFrames(bytes);
}
