// zlib is loaded when the first record is framed or read (process.getBuiltinModule), not when core is
// imported: commands that write no journal (validate, plan) should not pay for it at start-up.
// The function is kept once looked up: looking it up for every frame cost more than the checksum.
let zlibCrc32: ((data: Uint8Array) => number) | undefined;
const crc32 = (data: Uint8Array): number => (zlibCrc32 ??= process.getBuiltinModule('node:zlib').crc32)(data);
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
  // The JSON is encoded straight into the frame (no payload buffer copied into it): two records per unit
  // made the copy a third of the framing cost.
  const json = JSON.stringify(record);
  const length = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.write(json, FRAME_HEADER_BYTES, length, 'utf8');
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
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
