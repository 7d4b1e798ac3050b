import crypto from 'node:crypto';
import { z } from 'zod';
import { SECRET_NAMES } from './names';
import type { SecretStore } from './secret-store';
import { StoreError } from '../store/errors';

/**
 * The field-sealing keys of one installation. Sealing key versions live together in ONE keychain
 * entry ({current, keys}), so a rotation is one atomic keychain write: a crash can never leave a
 * "current" version whose key was not stored. About 30 versions fit Windows' 2,560-byte limit.
 */
export interface KeyRing {
  /** The version new seals use (the highest). */
  readonly currentSealingVersion: number;
  readonly sealingVersions: readonly number[];
  /** The AES-256 key of a version, or undefined if this installation never had it. */
  sealingKey(version: number): Uint8Array | undefined;
  /** The HMAC-SHA-256 key of the blind indexes. */
  readonly blindIndexKey: Uint8Array;
  /** Adds a new sealing key version, stores it in the keychain, and makes it current. */
  rotateSealingKey(): Promise<{ version: number }>;
}

const sealingKeysSchema = z.object({
  current: z.number().int().positive(),
  keys: z.record(z.string().regex(/^[1-9][0-9]*$/), z.base64()),
});

type SealingKeysRecord = z.infer<typeof sealingKeysSchema>;

export function newSealingKeysRecord(): string {
  const record: SealingKeysRecord = { current: 1, keys: { '1': crypto.randomBytes(32).toString('base64') } };
  return JSON.stringify(record);
}

export function newBlindIndexKey(): string {
  return crypto.randomBytes(32).toString('base64');
}

/** Reads the keys from the (installation-scoped) keychain; a missing entry is 'keys-missing'. */
export async function loadKeyRing(secrets: SecretStore): Promise<KeyRing> {
  const [sealingText, blindText] = await Promise.all([
    secrets.get(SECRET_NAMES.sealingKeys),
    secrets.get(SECRET_NAMES.blindIndexKey),
  ]);
  if (sealingText === null || blindText === null) {
    throw new StoreError(
      'keys-missing',
      'The keychain holds the ledger key but not the field-sealing keys of this installation. ' +
        'Restore the recovery kit ("custodia keys restore KIT --data DIR").',
    );
  }
  const sealing = parseSealingKeys(sealingText);
  const blindIndexKey = Buffer.from(blindText, 'base64');
  if (blindIndexKey.length !== 32) throw damagedEntry(SECRET_NAMES.blindIndexKey);
  return new StoredKeyRing(secrets, sealing, blindIndexKey);
}

function parseSealingKeys(text: string): Map<number, Uint8Array> {
  let record: SealingKeysRecord;
  try {
    record = sealingKeysSchema.parse(JSON.parse(text));
  } catch (error) {
    throw damagedEntry(SECRET_NAMES.sealingKeys, error);
  }
  const keys = new Map<number, Uint8Array>();
  for (const [version, b64] of Object.entries(record.keys)) {
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw damagedEntry(SECRET_NAMES.sealingKeys);
    keys.set(Number(version), key);
  }
  if (!keys.has(record.current) || record.current !== Math.max(...keys.keys())) {
    throw damagedEntry(SECRET_NAMES.sealingKeys);
  }
  return keys;
}

function damagedEntry(name: string, cause?: unknown): StoreError {
  return new StoreError(
    'keys-missing',
    `The keychain entry "${name}" of this installation is damaged. Restore the recovery kit ` +
      '("custodia keys restore KIT --data DIR").',
    { cause },
  );
}

class StoredKeyRing implements KeyRing {
  constructor(
    private readonly secrets: SecretStore,
    private keys: Map<number, Uint8Array>,
    readonly blindIndexKey: Uint8Array,
  ) {}

  get currentSealingVersion(): number {
    return Math.max(...this.keys.keys());
  }

  get sealingVersions(): readonly number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  sealingKey(version: number): Uint8Array | undefined {
    return this.keys.get(version);
  }

  async rotateSealingKey(): Promise<{ version: number }> {
    // Re-read first: the keychain, not this process's copy, is the record of which versions exist.
    const stored = await this.secrets.get(SECRET_NAMES.sealingKeys);
    const keys = stored === null ? new Map(this.keys) : parseSealingKeys(stored);
    const version = Math.max(...keys.keys()) + 1;
    keys.set(version, crypto.randomBytes(32));
    const record: SealingKeysRecord = {
      current: version,
      keys: Object.fromEntries([...keys].map(([v, k]) => [String(v), Buffer.from(k).toString('base64')])),
    };
    await this.secrets.set(SECRET_NAMES.sealingKeys, JSON.stringify(record));
    this.keys = keys;
    return { version };
  }
}

/**
 * Combines two `sealing-keys` records (the keychain's and a recovery kit's): every version either
 * holds, current = the highest. Undefined when one version has two different keys, which means the
 * records belong to different histories and must not be mixed. Restoring an older kit this way
 * never drops a key version added after the kit was made.
 */
export function mergeSealingKeys(a: string, b: string): string | undefined {
  const left = parseSealingKeys(a);
  const right = parseSealingKeys(b);
  const merged = new Map(left);
  for (const [version, key] of right) {
    const existing = merged.get(version);
    if (existing !== undefined && !Buffer.from(existing).equals(Buffer.from(key))) return undefined;
    merged.set(version, key);
  }
  const record: SealingKeysRecord = {
    current: Math.max(...merged.keys()),
    keys: Object.fromEntries(
      [...merged].sort(([x], [y]) => x - y).map(([v, k]) => [String(v), Buffer.from(k).toString('base64')]),
    ),
  };
  return JSON.stringify(record);
}
