import { z } from 'zod';
import { SECRET_NAMES } from '../secrets/names';
import type { SecretStore } from '../secrets/secret-store';
import { parseSignerKey, type NoteSigner } from './note';

/**
 * The checkpoint signing keys in the keychain, one entry so a rotation is one atomic write:
 * the current key, and during a rotation's overlap the previous one (ledger-anchors §8 C.9).
 */
const recordSchema = z.object({
  current: z.string(),
  previous: z.string().optional(),
  overlapUntilMs: z.number().int().optional(),
});

export interface SigningKeys {
  readonly current: NoteSigner;
  readonly previous?: NoteSigner;
  readonly overlapUntilMs?: number;
}

export class SigningKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeysError';
  }
}

export async function loadSigningKeys(secrets: SecretStore): Promise<SigningKeys | null> {
  const text = await secrets.get(SECRET_NAMES.ledgerSigningKeys);
  if (text === null) return null;
  try {
    const record = recordSchema.parse(JSON.parse(text));
    return {
      current: parseSignerKey(record.current),
      ...(record.previous ? { previous: parseSignerKey(record.previous) } : {}),
      ...(record.overlapUntilMs !== undefined ? { overlapUntilMs: record.overlapUntilMs } : {}),
    };
  } catch {
    throw new SigningKeysError(
      'The checkpoint signing key in the keychain is damaged. Restore the recovery kit ("custodia keys restore KIT --data DIR").',
    );
  }
}

export async function storeSigningKeys(secrets: SecretStore, keys: SigningKeys): Promise<void> {
  const record = {
    current: keys.current.secretKeyString,
    ...(keys.previous ? { previous: keys.previous.secretKeyString } : {}),
    ...(keys.overlapUntilMs !== undefined ? { overlapUntilMs: keys.overlapUntilMs } : {}),
  };
  const text = JSON.stringify(record);
  await secrets.set(SECRET_NAMES.ledgerSigningKeys, text);
  // Some keychains accept a write and drop it; a signing key we cannot read back is no key.
  if ((await secrets.get(SECRET_NAMES.ledgerSigningKeys)) !== text) {
    throw new SigningKeysError('The keychain did not keep the checkpoint signing key.');
  }
}

/** The keys that sign now: both during an overlap, the current one first. */
export function activeSigners(keys: SigningKeys, now: number): NoteSigner[] {
  return keys.previous && (keys.overlapUntilMs ?? 0) > now ? [keys.current, keys.previous] : [keys.current];
}
