/** Names of the keychain secrets this installation holds (each scoped to the install id). */
export const SECRET_NAMES = {
  /** Hex of the raw 256-bit SQLCipher key of ledger.db. */
  databaseKey: 'db-key',
  /** JSON {current, keys: {version: base64}}: every field-sealing key version (see keys/key-ring.ts). */
  sealingKeys: 'sealing-keys',
  /** Base64 of the 256-bit HMAC key of the blind indexes; never rotated (see sealing/blind-index.ts). */
  blindIndexKey: 'blind-index-key',
  /** JSON {current, previous?, overlapUntilMs?}: checkpoint signing keys (see ledger/signing-keys.ts). */
  ledgerSigningKeys: 'ledger-signing-keys',
  /** The latest signed checkpoint, kept outside ledger.db so a rolled-back database is noticed. */
  ledgerCheckpoint: 'ledger-checkpoint',
} as const;

/**
 * Every secret the recovery kit carries, so a new computer gets back all the keys the ledger
 * needs. Other areas add their names here, one line each. As a safety net, any other name set
 * through `installation.secrets` is also recorded in installation.json and carried too.
 */
export const RECOVERABLE_SECRET_NAMES: readonly string[] = [
  SECRET_NAMES.databaseKey,
  SECRET_NAMES.sealingKeys,
  SECRET_NAMES.blindIndexKey,
  SECRET_NAMES.ledgerSigningKeys,
  SECRET_NAMES.ledgerCheckpoint,
];

/** Keychain account names stay plain: lowercase letters, digits, dots and dashes. */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new Error(`secret names are lowercase letters, digits, "." and "-" (got an invalid name)`);
  }
}
