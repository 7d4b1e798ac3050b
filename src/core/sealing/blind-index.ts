import crypto from 'node:crypto';

export interface BlindIndexOptions {
  /**
   * Fold case before hashing. Off by default: GS1 serial numbers (AI 21) and lot numbers (AI 10)
   * are case-sensitive (GS1 General Specifications §7.11, character set 82), so "ab1" and "AB1"
   * are different packages. Turn it on for names and free text searched without regard to case.
   */
  readonly caseInsensitive?: boolean;
}

/**
 * How a value is normalized before it is indexed, so that equal-meaning inputs find each other:
 * 1. Unicode NFKC: composed and decomposed accents match, and full-width digits and letters typed
 *    on some keyboards ("１２３") match their ASCII forms; identifiers in GS1 character set 82
 *    are unchanged by it.
 * 2. Leading and trailing whitespace removed (String.prototype.trim: Unicode White_Space and
 *    line terminators), as scanners and copy-paste add them; inner spaces are kept.
 * 3. Optionally, locale-independent lower case (after NFKC, so the result is stable).
 */
export function normalizeForIndex(value: string, options: BlindIndexOptions = {}): string {
  const normalized = value.normalize('NFKC').trim();
  return options.caseInsensitive ? normalized.toLowerCase().normalize('NFKC') : normalized;
}

const DOMAIN = Buffer.from('custodia-bidx-v1\0', 'utf8');

/**
 * A blind index: HMAC-SHA-256 under the installation's blind-index key over
 * "custodia-bidx-v1" ‖ 0x00 ‖ u32be(len) ‖ domain ‖ normalized value (UTF-8). Equal values in one
 * domain give equal 32-byte indexes, so `WHERE serial_bidx = ?` finds a sealed serial without
 * decrypting; without the key the index reveals nothing but equality. The domain (e.g. "serial",
 * "patient-name") keeps indexes of different kinds of value from being linked to each other.
 *
 * The blind-index key is never rotated: a new key would change every index, which would need
 * every plaintext. Rotating it means rebuilding all indexes from opened values, as one job.
 */
export function blindIndex(
  key: Uint8Array,
  domain: string,
  value: string,
  options: BlindIndexOptions = {},
): Buffer {
  const { inner, outer } = padsFor(key, domain);
  // HMAC (RFC 2104) spelled out over precomputed pads: the same bytes as createHmac, without a
  // keyed object per value (an import computes one index per identifier, a million per file).
  const innerHash = crypto.hash(
    'sha256',
    Buffer.concat([inner, Buffer.from(normalizeForIndex(value, options), 'utf8')]),
    'buffer',
  );
  return crypto.hash('sha256', Buffer.concat([outer, innerHash]), 'buffer');
}

const BLOCK = 64;
const padCache = new WeakMap<Uint8Array, Map<string, { inner: Buffer; outer: Buffer }>>();

/** (key XOR ipad) followed by the message prefix for a domain, and (key XOR opad): fixed per key and domain. */
function padsFor(key: Uint8Array, domain: string): { inner: Buffer; outer: Buffer } {
  let byDomain = padCache.get(key);
  if (byDomain === undefined) padCache.set(key, (byDomain = new Map()));
  const hit = byDomain.get(domain);
  if (hit !== undefined) return hit;
  const block = Buffer.alloc(BLOCK);
  if (key.length > BLOCK) crypto.createHash('sha256').update(key).digest().copy(block);
  else block.set(key);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36));
  const outer = Buffer.from(block.map((b) => b ^ 0x5c));
  const domainBytes = Buffer.from(domain, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(domainBytes.length);
  const pads = { inner: Buffer.concat([ipad, DOMAIN, length, domainBytes]), outer };
  byDomain.set(domain, pads);
  return pads;
}
