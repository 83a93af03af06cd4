import { readFile, stat } from 'node:fs/promises';
import { UcopError } from '@ucop/core';

/** Largest file an ingestion agent reads. @default 5 MiB */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/**
 * Reads a UTF-8 text file for ingestion. A missing file is FILE_NOT_FOUND and an oversized one AGENT_ERROR,
 * both non-retryable (reading again will not help); the read is abandoned when `signal` aborts.
 */
export async function readTextFile(path: string, signal: AbortSignal, what: string, maxBytes = MAX_SOURCE_BYTES): Promise<string> {
  signal.throwIfAborted();
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UcopError('FILE_NOT_FOUND', `${what} ${path} is not a file; pass the path of a file`, { fields: { path } });
    size = info.size;
  } catch (error) {
    if (error instanceof UcopError) throw error;
    throw new UcopError('FILE_NOT_FOUND', `${what} ${path} does not exist; check the path`, { fields: { path }, cause: error });
  }
  if (size > maxBytes) {
    throw new UcopError('AGENT_ERROR', `${what} ${path} is ${size} bytes, more than the ${maxBytes} bytes ingestion reads; split it`, {
      fields: { path, size, maxBytes },
    });
  }
  return readFile(path, { encoding: 'utf8', signal });
}
