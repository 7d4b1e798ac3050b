import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * Password hashes: scrypt (RFC 7914) with a random 16-byte salt per user, the parameters stored
 * beside the hash so they can be raised later without locking anyone out (the next successful
 * sign-in rehashes). N = 2^15, r = 8, p = 1 is the OWASP password-storage minimum for scrypt.
 * The record lives only in the credentials table, never in a ledger entry or a log line.
 */
export const passwordHashSchema = z.object({
  alg: z.literal('scrypt'),
  n: z.number().int().min(2),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: z.string().regex(/^[A-Za-z0-9_-]+$/),
  hash: z.string().regex(/^[A-Za-z0-9_-]+$/),
});
export type PasswordHash = z.infer<typeof passwordHashSchema>;

export interface ScryptCost {
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { n: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is exactly the minimum, so allow twice.
  const maxmem = 256 * cost.n * cost.r;
  return new Promise((resolve, reject) =>
    crypto.scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: cost.n, r: cost.r, p: cost.p, maxmem },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
}

export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<PasswordHash> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return { alg: 'scrypt', ...cost, salt: salt.toString('base64url'), hash: key.toString('base64url') };
}

/** Constant-time comparison; a damaged record verifies as false rather than throwing. */
export async function verifyPassword(password: string, record: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await scrypt(password, Buffer.from(record.salt, 'base64url'), record);
  return crypto.timingSafeEqual(key, expected);
}

/** True when the record was made with weaker parameters than today's, so it should be rehashed. */
export function needsRehash(record: PasswordHash, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  return record.n < cost.n || record.r < cost.r || record.p < cost.p;
}
