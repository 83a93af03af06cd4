import { isUtf8 } from 'node:buffer';

/** Where a byte is, as a person counts: 1-based line, 1-based column in characters, and the byte offset. */
export interface TextPosition {
  line: number;
  col: number;
  offset: number;
}

/**
 * The position of the first byte that is not valid UTF-8 in `bytes` (or, with `atEnd`, of the end of
 * `bytes`). Node says whether bytes are UTF-8 (`isUtf8`) and decodes them, but never where they stop being
 * UTF-8; so the line is found with `isUtf8` line by line (a newline byte never occurs inside a multi-byte
 * sequence), and the column by feeding that line byte by byte to a fatal streaming TextDecoder, which throws
 * at the first byte that cannot continue a character.
 */
export function utf8ErrorPosition(bytes: Uint8Array, atEnd = false): TextPosition {
  let line = 1;
  let start = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const text = bytes.subarray(start, end);
    if (newline < 0 || (!atEnd && !isUtf8(text))) {
      return atEnd ? { line, col: countChars(text) + 1, offset: bytes.length } : locateInLine(text, line, start);
    }
    line += 1;
    start = newline + 1;
  }
}

function countChars(bytes: Uint8Array): number {
  return [...new TextDecoder('utf-8').decode(bytes)].length;
}

function locateInLine(bytes: Uint8Array, line: number, lineStart: number): TextPosition {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let chars = 0;
  // Where the character being decoded started: the column points at its first byte.
  let charStart = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    let out: string;
    try {
      out = decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return { line, col: chars + 1, offset: lineStart + charStart };
    }
    if (out.length > 0) {
      chars += [...out].length;
      charStart = i + 1;
    }
  }
  // A sequence cut short by the end of the line (or of the file).
  return { line, col: chars + 1, offset: lineStart + charStart };
}
