/*
 * A zip (XLSX) whose entries carry one fixed time: the writer stamps each entry with the clock, so
 * the DOS time and date of every local header and central directory entry are overwritten in place
 * with 1980-01-01 00:00 (the earliest DOS date). CRCs and sizes do not cover them, so nothing else
 * changes. Entries are found through the central directory, not by scanning for signatures.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const FIXED_TIME = 0;
const FIXED_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

export function fixZipTimes(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 0xffff); i--) {
    if (out.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = out.readUInt16LE(eocd + 10);
  let at = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (out.readUInt32LE(at) !== CENTRAL) throw new Error('zip central directory is malformed');
    out.writeUInt16LE(FIXED_TIME, at + 12);
    out.writeUInt16LE(FIXED_DATE, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== LOCAL) throw new Error('zip local header is malformed');
    out.writeUInt16LE(FIXED_TIME, local + 10);
    out.writeUInt16LE(FIXED_DATE, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
