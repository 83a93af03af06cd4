// zlib is loaded when the first record is framed or read (process.getBuiltinModule), not when core is
// imported: commands that write no journal (validate, plan) should not pay for it at start-up.
// The function is kept once looked up: looking it up for every frame cost more than the checksum.
let zlibCrc32: ((data: Uint8Array | string) => number) | undefined;
const crc32 = (data: Uint8Array | string): number => (zlibCrc32 ??= process.getBuiltinModule('node:zlib').crc32)(data);
import type { JournalRecord } from './journal-record.ts';

/**
 * The on-disk frame of one journal record: a 4-byte length and a 4-byte CRC-32 of the payload (both
 * unsigned, little-endian), then the payload, the record as UTF-8 JSON. A frame cut short by a crash (a torn
 * last record), or whose checksum does not match, ends the readable journal: everything from it on is ignored.
 */
export const FRAME_HEADER_BYTES = 8;

/** The largest payload a frame may declare; anything beyond is taken for damage, not for a record. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** The frame of one record. */
export function encodeFrame(record: JournalRecord): Buffer {
  const json = JSON.stringify(record);
  const frame = Buffer.allocUnsafe(maxFrameBytes(json));
  return frame.subarray(0, writeFrame(json, frame, 0));
}

/** The most bytes the frame of this record JSON can take (UTF-8 takes at most 3 bytes per UTF-16 unit). */
export function maxFrameBytes(json: string): number {
  return FRAME_HEADER_BYTES + json.length * 3;
}

/**
 * Writes the frame of a record's JSON into `target` at `offset` (room for {@link maxFrameBytes} needed).
 * @returns the frame's length
 */
export function writeFrame(json: string, target: Buffer, offset: number): number {
  // The JSON is encoded straight into the target (a group commit's batch: no buffer per record), and its
  // checksum taken from the same text (zlib's crc32 of a string is that of its UTF-8 bytes).
  const length = target.write(json, offset + FRAME_HEADER_BYTES, 'utf8');
  target.writeUInt32LE(length, offset);
  target.writeUInt32LE(crc32(json), offset + 4);
  return FRAME_HEADER_BYTES + length;
}

/** The records of a sequence of frames, up to the first incomplete or damaged one. */
export interface DecodedFrames {
  records: JournalRecord[];
  /** Bytes of whole, intact frames from the start: the journal is cut back to this length before appending. */
  validBytes: number;
  /** Whether bytes followed the last intact frame (a torn or damaged record was ignored). */
  torn: boolean;
}

/** Decodes frames from the start of `bytes`, stopping at the first one that is cut short or fails its checksum. */
export function decodeFrames(bytes: Uint8Array): DecodedFrames {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= buffer.length) {
    const length = buffer.readUInt32LE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length > MAX_FRAME_BYTES || end > buffer.length) break;
    const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) break;
    let record: unknown;
    try {
      record = JSON.parse(payload.toString('utf8'));
    } catch {
      break;
    }
    if (typeof record !== 'object' || record === null || typeof (record as { t?: unknown }).t !== 'string') break;
    records.push(record as JournalRecord);
    offset = end;
  }
  return { records, validBytes: offset, torn: offset < buffer.length };
}
