import crypto from 'node:crypto';
import type { KeyRing } from '../secrets/key-ring';
import { blindIndex, type BlindIndexOptions } from './blind-index';
import {
  associatedData,
  header,
  HEADER_LENGTH,
  MIN_SEALED_LENGTH,
  NONCE_LENGTH,
  SEALED_FORMAT_VERSION,
  TAG_LENGTH,
  type SealContext,
} from './sealed-format';
import { SealingError } from './sealing-error';

export type { SealContext } from './sealed-format';
export { SealingError, type SealingErrorKind } from './sealing-error';

/**
 * Field sealing for identifiers the ledger must hold but a copied database must not show even to
 * someone with the database key: AES-256-GCM per value, bound to (table, column, row), with the
 * key version inside each sealed value so rotation keeps old rows readable. Format: sealed-format.ts.
 *
 * Ledger leaves hash plaintext, never these bytes (architecture.md): re-sealing under a new key
 * must not change history.
 */
export interface FieldSealer {
  /** Seals text (UTF-8) or bytes under the current key version. */
  seal(value: string | Uint8Array, at: SealContext): Buffer;
  openText(sealed: Uint8Array, at: SealContext): string;
  openBytes(sealed: Uint8Array, at: SealContext): Buffer;
  /** The key version a sealed value was made with, read from its header (not authenticated yet). */
  keyVersionOf(sealed: Uint8Array): number;
  /** True when the value was sealed under an older key version than the current one. */
  needsResealing(sealed: Uint8Array): boolean;
  /** Equality lookup without decrypting: see blind-index.ts for the normalization. */
  blindIndex(domain: string, value: string, options?: BlindIndexOptions): Buffer;
}

export function createFieldSealer(keys: KeyRing): FieldSealer {
  const open = (sealed: Uint8Array, at: SealContext): Buffer => {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes.length < MIN_SEALED_LENGTH || bytes[0] !== SEALED_FORMAT_VERSION) {
      throw tampered(at);
    }
    const version = bytes.readUInt32BE(1);
    const key = keys.sealingKey(version);
    if (key === undefined) {
      throw new SealingError(
        'key-unavailable',
        `A sealed value in ${at.table}.${at.column} names key version ${version}, which this installation ` +
          `does not hold (it has ${keys.sealingVersions.join(', ')}). Either the value was altered, or the ` +
          'keys came from a recovery kit made before that version: restore the newest recovery kit.',
      );
    }
    const nonce = bytes.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
    const tag = bytes.subarray(bytes.length - TAG_LENGTH);
    const body = bytes.subarray(HEADER_LENGTH + NONCE_LENGTH, bytes.length - TAG_LENGTH);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(associatedData(at, bytes.subarray(0, HEADER_LENGTH)));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch (error) {
      throw tampered(at, error);
    }
  };
  return {
    seal(value, at) {
      const version = keys.currentSealingVersion;
      const key = keys.sealingKey(version);
      if (key === undefined) throw new Error('the current sealing key is missing from the key ring');
      const head = header(version);
      const nonce = freshNonce();
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      cipher.setAAD(associatedData(at, head));
      const plaintext = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([head, nonce, body, cipher.getAuthTag()]);
    },
    openBytes: open,
    openText(sealed, at) {
      const bytes = open(sealed, at);
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (error) {
        // Authentic bytes that are not UTF-8 were sealed as bytes: a caller mix-up, not tampering.
        throw new Error(`the value in ${at.table}.${at.column} was sealed as bytes; use openBytes`, {
          cause: error,
        });
      }
    },
    keyVersionOf(sealed) {
      if (sealed.length < MIN_SEALED_LENGTH || sealed[0] !== SEALED_FORMAT_VERSION) {
        throw new SealingError('tampered', 'This is not a sealed value (unknown format).');
      }
      return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).readUInt32BE(1);
    },
    needsResealing(sealed) {
      return this.keyVersionOf(sealed) < keys.currentSealingVersion;
    },
    blindIndex: (domain, value, options) => blindIndex(keys.blindIndexKey, domain, value, options),
  };
}

/**
 * 96-bit GCM nonces cut from a pooled block of CSPRNG output: the same randomness as one
 * randomBytes call per value (NIST SP 800-38D §8.2.2 random construction), without a call into
 * the generator for every identifier an import seals.
 */
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
function freshNonce(): Buffer {
  if (nonceAt + NONCE_LENGTH > noncePool.length) {
    noncePool = crypto.randomBytes(NONCE_LENGTH * 512);
    nonceAt = 0;
  }
  const nonce = noncePool.subarray(nonceAt, nonceAt + NONCE_LENGTH);
  nonceAt += NONCE_LENGTH;
  return nonce;
}

function tampered(at: SealContext, cause?: unknown): SealingError {
  return new SealingError(
    'tampered',
    `A sealed value in ${at.table}.${at.column} failed its integrity check: it was altered, truncated, or ` +
      'moved from another row or column. Treat this as tampering: run "custodia ledger verify" and ' +
      'restore the record from a verified backup.',
    { cause },
  );
}
