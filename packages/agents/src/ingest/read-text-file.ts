import { MAX_ARTICLE_BYTES, readTextFile as readUserTextFile } from '@ucop/core';

/** Largest file an ingestion agent reads. @default 5 MiB */
export const MAX_SOURCE_BYTES = MAX_ARTICLE_BYTES;

/**
 * Reads a UTF-8 text file for ingestion through core's careful reader: a missing file is FILE_NOT_FOUND, a
 * directory, FIFO or device FILE_NOT_REGULAR, an oversized one FILE_TOO_LARGE, bytes that are not UTF-8
 * FILE_ENCODING_INVALID at their line and column, all non-retryable (reading again will not help); the read
 * is abandoned when `signal` aborts.
 */
export async function readTextFile(path: string, signal: AbortSignal, what: string, maxBytes = MAX_SOURCE_BYTES): Promise<string> {
  return readUserTextFile(path, { maxBytes, what: what.replace(/^the /, ''), signal });
}
