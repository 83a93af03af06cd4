/**
 * Sets every entry's modification time in a zip archive to one DOS date and time, in the central
 * directory and in each local header, so that the same content gives the same bytes (the EPUB library
 * stamps entries with the time they were written). Only those fixed-size fields change; the data, its
 * CRCs and every offset stay as they are. Archives with a zip64 or a commented end record are returned as
 * they are.
 */
export function fixZipTimestamps(zip: Uint8Array, date: Date): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const eocd = out.byteLength - 22;
  if (eocd < 0 || view.getUint32(eocd, true) !== 0x06054b50) return out;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  for (let i = 0; i < entries; i++) {
    if (at + 46 > out.byteLength || view.getUint32(at, true) !== 0x02014b50) return new Uint8Array(zip);
    view.setUint16(at + 12, time, true);
    view.setUint16(at + 14, day, true);
    const local = view.getUint32(at + 42, true);
    if (local + 30 > out.byteLength || view.getUint32(local, true) !== 0x04034b50) return new Uint8Array(zip);
    view.setUint16(local + 10, time, true);
    view.setUint16(local + 12, day, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}
