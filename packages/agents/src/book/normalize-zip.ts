/**
 * Makes a zip archive canonical, so that the same content gives the same bytes: every entry's modification
 * time set to one DOS date and time, and the entries in one order (`first` names, then by name). The EPUB
 * library stamps entries with the time they were written, and adds a directory's files in the order its
 * directory walk happens to yield them. Only those fixed-size time fields, the entries' positions and the
 * offsets that point at them change; the data and its CRCs do not. Archives this does not understand
 * (zip64, a comment after the end record, entries that are not back to back) are returned as they are.
 */
export function normalizeZip(zip: Uint8Array, date: Date, first: readonly string[] = []): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.byteLength - 22;
  if (eocd < 0 || view.getUint32(eocd, true) !== 0x06054b50) return zip;
  const count = view.getUint16(eocd + 10, true);
  const cdStart = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  type Entry = { name: string; central: Uint8Array; local: number };
  const entries: Entry[] = [];
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== 0x02014b50) return zip;
    const nameLength = view.getUint16(at + 28, true);
    const size = 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    entries.push({ name: decoder.decode(zip.subarray(at + 46, at + 46 + nameLength)), central: zip.slice(at, at + size), local: view.getUint32(at + 42, true) });
    at += size;
  }
  if (at !== eocd) return zip;
  // Each entry's local part (header, data, data descriptor) runs up to the next one's, the last up to the directory.
  const byOffset = [...entries].sort((a, b) => a.local - b.local);
  if (byOffset[0] !== undefined && byOffset[0].local !== 0) return zip;
  const parts = new Map(byOffset.map((e, i) => [e, zip.slice(e.local, byOffset[i + 1]?.local ?? cdStart)]));
  const rank = (name: string): number => (first.includes(name) ? first.indexOf(name) : first.length);
  const ordered = [...entries].sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const out = new Uint8Array(zip.byteLength);
  const outView = new DataView(out.buffer);
  let offset = 0;
  const newOffsets = new Map<Entry, number>();
  for (const e of ordered) {
    const part = parts.get(e)!;
    if (part.byteLength < 30 || new DataView(part.buffer).getUint32(0, true) !== 0x04034b50) return zip;
    out.set(part, offset);
    outView.setUint16(offset + 10, time, true);
    outView.setUint16(offset + 12, day, true);
    newOffsets.set(e, offset);
    offset += part.byteLength;
  }
  const newCdStart = offset;
  for (const e of ordered) {
    out.set(e.central, offset);
    outView.setUint16(offset + 12, time, true);
    outView.setUint16(offset + 14, day, true);
    outView.setUint32(offset + 42, newOffsets.get(e)!, true);
    offset += e.central.byteLength;
  }
  out.set(zip.subarray(eocd), offset);
  outView.setUint32(offset + 16, newCdStart, true);
  return out;
}
