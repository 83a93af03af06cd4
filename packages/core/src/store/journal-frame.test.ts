import { describe, it, expect } from 'vitest';
import { decodeFrames, encodeFrame, FRAME_HEADER_BYTES } from './journal-frame.ts';
import type { JournalRecord } from './journal-record.ts';

const records: JournalRecord[] = [
  { t: 'run', runId: 'r', workflow: 'w', startedAt: '2026-01-01T00:00:00.000Z', resume: false },
  { t: 'start', step: 'a' },
  { t: 'unit', step: 'a', status: 'succeeded', attempts: 1, fingerprint: 'f', output: { text: 'héllo ✓ 😀' }, writes: [{ key: 'k', value: 1 }] },
  { t: 'end', status: 'succeeded' },
];

function joined(list: readonly JournalRecord[]): Buffer {
  return Buffer.concat(list.map(encodeFrame));
}

describe('journal frames', () => {
  it('decode what was encoded, in order', () => {
    const bytes = joined(records);
    expect(decodeFrames(bytes)).toEqual({ records, validBytes: bytes.length, torn: false });
  });

  it('ignore a torn last record, whatever byte it was cut at', () => {
    const whole = joined(records.slice(0, 3));
    const last = encodeFrame(records[3]!);
    for (let cut = 1; cut < last.length; cut += 1) {
      const decoded = decodeFrames(Buffer.concat([whole, last.subarray(0, cut)]));
      expect(decoded.records).toEqual(records.slice(0, 3));
      expect(decoded.validBytes).toBe(whole.length);
      expect(decoded.torn).toBe(true);
    }
  });

  it('stop at a record whose checksum does not match (damage), keeping those before it', () => {
    const bytes = joined(records);
    const second = encodeFrame(records[0]!).length;
    // Flip one payload byte of the second record.
    const at = second + FRAME_HEADER_BYTES + 3;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    const decoded = decodeFrames(bytes);
    expect(decoded.records).toEqual(records.slice(0, 1));
    expect(decoded.validBytes).toBe(second);
    expect(decoded.torn).toBe(true);
  });

  it('refuse a header that declares an absurd length instead of waiting for it', () => {
    const bytes = Buffer.concat([joined(records.slice(0, 1)), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]);
    expect(decodeFrames(bytes)).toMatchObject({ records: records.slice(0, 1), torn: true });
  });
});
