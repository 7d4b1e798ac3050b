/**
 * The bytes of one sealed field (stored as a BLOB), format 1:
 *
 *   offset  size  content
 *   0       1     format version, 0x01
 *   1       4     key version, unsigned 32-bit big-endian (1, 2, … as `keys rotate` adds them)
 *   5       12    AES-GCM nonce, random per seal (NIST SP 800-38D §8.2.2: random 96-bit IVs are
 *                 safe up to 2^32 seals per key; rotate long before that)
 *   17      n     AES-256-GCM ciphertext, same length as the plaintext
 *   17+n    16    GCM authentication tag
 *
 * The associated data (authenticated, not stored) binds the value to where it lives, so a sealed
 * serial number copied into another row or column no longer opens:
 *
 *   "custodia-seal-v1" ‖ 0x00 ‖ u32be(len) ‖ table ‖ u32be(len) ‖ column ‖ u32be(len) ‖ row id
 *   ‖ bytes 0..4 of the header (format and key version, so a version cannot be swapped)
 *
 * with strings in UTF-8 and the row id as its decimal text when it is a number. Length prefixes
 * make the encoding unambiguous ("ab","c" ≠ "a","bc").
 */
export const SEALED_FORMAT_VERSION = 0x01;
export const HEADER_LENGTH = 5;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const MIN_SEALED_LENGTH = HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH;

const AAD_DOMAIN = Buffer.from('custodia-seal-v1\0', 'utf8');

/** Where a sealed value lives: it only opens at the same table, column and row. */
export interface SealContext {
  readonly table: string;
  readonly column: string;
  /** The row's stable id, known before the insert (a UUID or natural key, not a rowid to come). */
  readonly rowId: string | number | bigint;
}

export function header(keyVersion: number): Buffer {
  const bytes = Buffer.alloc(HEADER_LENGTH);
  bytes[0] = SEALED_FORMAT_VERSION;
  bytes.writeUInt32BE(keyVersion, 1);
  return bytes;
}

export function associatedData(at: SealContext, headerBytes: Uint8Array): Buffer {
  return Buffer.concat([
    AAD_DOMAIN,
    lengthPrefixed(at.table),
    lengthPrefixed(at.column),
    lengthPrefixed(rowIdText(at.rowId)),
    headerBytes,
  ]);
}

function rowIdText(rowId: string | number | bigint): string {
  if (typeof rowId === 'number' && !Number.isSafeInteger(rowId)) {
    throw new Error('a numeric row id must be a safe integer');
  }
  return String(rowId);
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
