/**
 * The one way ucop reads a file a user names: a workflow, config/main.yaml, a providers file, an article, a
 * source an agent ingests. Such a path may point anywhere: at a FIFO that never ends, at /dev/zero (directly
 * or through a symlink), at a directory, at a 20 GiB log. Node's `readFile` would block on the FIFO, read
 * /dev/zero until memory runs out and ignore SIGTERM meanwhile; this reader refuses anything but a regular
 * file before reading a byte, stops at the size limit, checks the abort signal between chunks, and insists
 * on UTF-8, pointing at the first bad byte instead of silently turning it into U+FFFD.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import type { ErrorCode } from '../errors/error-codes.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { utf8ErrorPosition } from './utf8-error-position.ts';

/** How {@link readTextFile} reads one file. */
export interface ReadTextFileOptions {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** What the file is, in the messages: `workflow`, `configuration file`, `article`. @default 'file' */
  what?: string;
  /**
   * How a user raises the limit, in the message of a file that is too large, e.g. "--max-workflow-bytes,
   * UCOP_MAX_WORKFLOW_BYTES or limits.max_workflow_bytes in config/main.yaml". @default no advice but to split it
   */
  limitSetting?: string;
  /** The code of a file over the limit. @default 'FILE_TOO_LARGE' */
  tooLargeCode?: ErrorCode;
  /** Ends the read at once (its reason is thrown). */
  signal?: AbortSignal;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Reads a UTF-8 text file a user named, with care (see the file's comment).
 * @throws UcopError FILE_NOT_FOUND (no such file), FILE_NOT_REGULAR (a directory, FIFO, device or socket),
 *   FILE_TOO_LARGE (or `tooLargeCode`) over `maxBytes`, FILE_ENCODING_INVALID (invalid UTF-8, UTF-16, NUL
 *   bytes; with the file, line and column), FILE_UNREADABLE (permissions and other I/O errors); the signal's
 *   reason when it aborts.
 */
export async function readTextFile(path: string, options: ReadTextFileOptions): Promise<string> {
  const bytes = await readFileBytes(path, options);
  return decodeUtf8(bytes, path, options.what ?? 'file');
}

/** Like {@link readTextFile} without decoding: the bytes of a regular file under the limit. */
export async function readFileBytes(path: string, options: ReadTextFileOptions): Promise<Buffer> {
  const what = options.what ?? 'file';
  options.signal?.throwIfAborted();
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once (it would otherwise block a libuv thread for
    // good); regular files ignore the flag. O_NOCTTY: a terminal device never becomes our controlling one.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw openError(error, path, what);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(path, what, info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO (named pipe)' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : 'not a regular file');
    if (info.size > options.maxBytes) throw tooLarge(path, what, info.size, options);
    // The file may grow while we read it (it is being written): read until the end, up to one byte past the limit.
    let buffer = Buffer.allocUnsafe(Math.min(info.size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, options.maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, Math.min(CHUNK_BYTES, buffer.length - length), null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > options.maxBytes) throw tooLarge(path, what, length, options);
    }
    options.signal?.throwIfAborted();
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof UcopError || options.signal?.aborted) throw error;
    throw new UcopError('FILE_UNREADABLE', `cannot read the ${what} ${path}: ${(error as Error).message}`, { fields: { path }, cause: error });
  } finally {
    await handle.close();
  }
}

/**
 * UTF-8 bytes as text. A UTF-8 byte order mark is dropped; UTF-16 (by its byte order mark), NUL bytes and
 * invalid UTF-8 are FILE_ENCODING_INVALID at the line and column of the first bad byte. Messages never quote
 * the bytes themselves (a raw NUL would garble a terminal).
 */
export function decodeUtf8(bytes: Uint8Array, path: string, what = 'file'): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw encodingError(path, what, 1, 1, 'is UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (!isUtf8(bytes)) {
    const at = utf8ErrorPosition(bytes);
    if (nul < 0 || nul > at.offset) throw encodingError(path, what, at.line, at.col, 'is not valid UTF-8 text: save it as UTF-8');
  }
  if (nul >= 0) {
    const at = utf8ErrorPosition(bytes.subarray(0, nul), true);
    throw encodingError(path, what, at.line, at.col, 'contains a NUL byte: it is binary, or UTF-16 text without a byte order mark; save it as UTF-8 text');
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function encodingError(path: string, what: string, line: number, col: number, problem: string): UcopError {
  return new UcopError('FILE_ENCODING_INVALID', `the ${what} ${problem} (first bad byte at line ${line}, column ${col})`, {
    fields: { path, line, col },
    location: { file: path, line, col },
  });
}

function openError(error: unknown, path: string, what: string): UcopError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UcopError('FILE_NOT_FOUND', `the ${what} ${path} does not exist: check the path`, { fields: { path }, cause: error });
  if (code === 'ENXIO') return notRegular(path, what, 'a socket or a device');
  return new UcopError('FILE_UNREADABLE', `cannot open the ${what} ${path}: ${(error as Error).message}`, { fields: { path }, cause: error });
}

function notRegular(path: string, what: string, kind: string): UcopError {
  return new UcopError('FILE_NOT_REGULAR', `the ${what} ${path} is ${kind}, not a regular file: give the path of a file`, { fields: { path, kind } });
}

function tooLarge(path: string, what: string, size: number, options: ReadTextFileOptions): UcopError {
  const raise = options.limitSetting ? `split it or raise the limit with ${options.limitSetting}` : 'split it';
  return new UcopError(options.tooLargeCode ?? 'FILE_TOO_LARGE', `the ${what} ${path} is ${size === options.maxBytes + 1 ? `over ${options.maxBytes}` : size} bytes, more than the limit of ${options.maxBytes}: ${raise}`, {
    fields: { path, size, maxBytes: options.maxBytes, ...(options.limitSetting ? { setting: options.limitSetting } : {}) },
  });
}
