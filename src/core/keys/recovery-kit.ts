import crypto from 'node:crypto';
import { z } from 'zod';
import { normalizePassphrase, passphraseWeakness } from './passphrase';
import { RecoveryKitError } from './recovery-kit-error';

export { RecoveryKitError, type RecoveryKitErrorKind } from './recovery-kit-error';

/**
 * A recovery kit is one JSON file, format 1:
 *
 *   { "format": "custodia-recovery-kit", "version": 1,
 *     "installId": "<uuid>", "createdAt": "<ISO 8601>",
 *     "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": "<base64, 32 bytes>", "keyLength": 32 },
 *     "cipher": { "name": "aes-256-gcm", "nonce": "<base64, 12 bytes>" },
 *     "sealed": "<base64 of ciphertext ‖ 16-byte tag>" }
 *
 * key = scrypt(NFKC(passphrase), salt, N, r, p) (RFC 7914); the sealed plaintext is the UTF-8 JSON
 * of {installation, secrets}. The associated data is the UTF-8 JSON array
 * [format, version, installId, createdAt, kdf.name, N, r, p, salt, keyLength, cipher.name, nonce],
 * so no header field can be changed (for example the cost lowered) without the kit failing to open.
 *
 * scrypt, not Argon2id: Node's native scrypt runs a 128 MiB derivation in a fraction of a second,
 * where a pure-JS Argon2id at comparable memory takes several; N = 2^17, r = 8, p = 1 is the
 * OWASP-recommended scrypt minimum. The parameters are in the file, so later kits can raise them.
 */
export const KIT_FORMAT = 'custodia-recovery-kit' as const;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** Bounds on the parameters a kit file may ask for: a hostile file must not make us allocate gigabytes. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

const kitSchema = z.object({
  format: z.literal(KIT_FORMAT),
  version: z.literal(1),
  installId: z.uuid(),
  createdAt: z.iso.datetime(),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2 ** 14)
      .max(2 ** 22)
      .refine((n) => (n & (n - 1)) === 0, 'N must be a power of 2'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.base64(),
    keyLength: z.literal(32),
  }),
  cipher: z.object({ name: z.literal('aes-256-gcm'), nonce: z.base64() }),
  sealed: z.base64(),
});

export type RecoveryKitFile = z.infer<typeof kitSchema>;

/** What a kit carries: the installation record (nothing secret) and every keychain secret. */
export const kitContentsSchema = z.object({
  installation: z.object({
    installId: z.uuid(),
    createdAt: z.iso.datetime(),
    dbKeyCheck: z.string().regex(/^[0-9a-f]{32}$/),
    secretNames: z.array(z.string()),
  }),
  secrets: z.record(z.string(), z.string()),
});

export type KitContents = z.infer<typeof kitContentsSchema>;

export interface SealKitOptions {
  readonly scrypt?: ScryptParams;
  readonly now?: Date;
}

export function sealRecoveryKit(
  contents: KitContents,
  passphrase: string,
  options: SealKitOptions = {},
): string {
  const weakness = passphraseWeakness(passphrase);
  if (weakness !== undefined) throw new RecoveryKitError('weak-passphrase', weakness);
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const salt = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(12);
  const header = {
    format: KIT_FORMAT,
    version: 1 as const,
    installId: contents.installation.installId,
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf: { name: 'scrypt' as const, ...params, salt: salt.toString('base64'), keyLength: 32 as const },
    cipher: { name: 'aes-256-gcm' as const, nonce: nonce.toString('base64') },
  };
  const key = deriveKey(passphrase, salt, params);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData(header));
  const body = Buffer.concat([
    cipher.update(JSON.stringify(contents), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  key.fill(0);
  const kit: RecoveryKitFile = { ...header, sealed: body.toString('base64') };
  return JSON.stringify(kit, null, 2) + '\n';
}

/** Parses a kit file without the passphrase: which installation it belongs to, and when it was made. */
export function readRecoveryKitHeader(text: string): RecoveryKitFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed(error);
  }
  const result = kitSchema.safeParse(parsed);
  if (!result.success) throw malformed(result.error);
  return result.data;
}

export function openRecoveryKit(
  text: string,
  passphrase: string,
): { file: RecoveryKitFile; contents: KitContents } {
  const file = readRecoveryKitHeader(text);
  const salt = Buffer.from(file.kdf.salt, 'base64');
  const nonce = Buffer.from(file.cipher.nonce, 'base64');
  const sealed = Buffer.from(file.sealed, 'base64');
  if (salt.length < 16 || nonce.length !== 12 || sealed.length < 16) throw malformed();
  const key = deriveKey(passphrase, salt, file.kdf);
  let plaintext: Buffer;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(associatedData(file));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    plaintext = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  } catch (error) {
    throw new RecoveryKitError(
      'wrong-passphrase',
      'The passphrase does not open this recovery kit (or the kit file was altered). Check the ' +
        'passphrase, including capitals and spaces, and try again.',
      { cause: error },
    );
  } finally {
    key.fill(0);
  }
  const contents = kitContentsSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
  plaintext.fill(0);
  if (!contents.success || contents.data.installation.installId !== file.installId) throw malformed();
  return { file, contents: contents.data };
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Buffer {
  const memory = 128 * params.N * params.r * params.p;
  if (memory > MAX_SCRYPT_MEMORY) throw malformed();
  return crypto.scryptSync(normalizePassphrase(passphrase), salt, 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: memory + 32 * 1024 * 1024,
  });
}

function associatedData(header: Omit<RecoveryKitFile, 'sealed'>): Buffer {
  const { kdf, cipher } = header;
  return Buffer.from(
    JSON.stringify([
      header.format,
      header.version,
      header.installId,
      header.createdAt,
      kdf.name,
      kdf.N,
      kdf.r,
      kdf.p,
      kdf.salt,
      kdf.keyLength,
      cipher.name,
      cipher.nonce,
    ]),
    'utf8',
  );
}

function malformed(cause?: unknown): RecoveryKitError {
  return new RecoveryKitError(
    'malformed',
    'This file is not a Custodia recovery kit this version can read (damaged, truncated, or from a ' +
      'newer Custodia). Use the kit file exactly as it was saved.',
    { cause },
  );
}
