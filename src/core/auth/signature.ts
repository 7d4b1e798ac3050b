import crypto from 'node:crypto';
import type { Signature } from '../api/procedures/inventory';
import { canonicalBytes } from '../ledger/jcs';

export type SignatureMeaning = Signature['meaning'];

/** SHA-256 hex of the RFC 8785 canonical bytes of a subject: what a signature is bound to. */
export function subjectHash(subject: unknown): string {
  return crypto.createHash('sha256').update(canonicalBytes(subject)).digest('hex');
}

/**
 * An electronic signature after 21 CFR 11.50: the signer's printed name, the date and time, and
 * the meaning (initiated, approved, witnessed, rejected …), linked to exactly what was signed by
 * its hash (11.70). The password that authenticated it (11.200(a)(1)(i)) is never part of it.
 */
export function signature(
  signer: { userId: string; displayName: string },
  meaning: SignatureMeaning,
  hash: string,
  atMs: number,
): Signature {
  return {
    userId: signer.userId,
    printedName: signer.displayName,
    meaning,
    signedAt: new Date(atMs).toISOString(),
    subjectHash: hash,
  };
}
