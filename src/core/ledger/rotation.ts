import { formatRotation } from './audit-verify/trust';
import { LEDGER_ENTRY, type Ledger } from './ledger';
import { generateSigner, signNote } from './note';
import { storeSigningKeys } from './signing-keys';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface RotationResult {
  readonly oldKey: string;
  readonly newKey: string;
  readonly fromSize: number;
  readonly overlapUntilMs: number;
}

/**
 * Rotates the checkpoint signing key (ledger-anchors §8 C.9, Tessera's rolling rotation): a
 * `ledger.key-rotation` entry carries a statement signed by the old key AND the new one, the
 * following checkpoints carry both signatures until the overlap ends, then the old private key is
 * destroyed at the next open. Old public keys stay in ledger_keys and in every bundle.
 */
export async function rotateSigningKey(
  ledger: Ledger,
  options: { actor: string; overlapMs?: number; now?: number },
): Promise<RotationResult> {
  const now = options.now ?? Date.now();
  const old = ledger.signingKeys().current;
  const next = generateSigner(ledger.origin);
  const fromSize = ledger.size + 1;
  const statement = signNote(
    formatRotation({ origin: ledger.origin, oldKey: old.vkey, newKey: next.vkey, fromSize }),
    [old, next],
  );
  const overlapUntilMs = now + (options.overlapMs ?? WEEK_MS);
  const before = ledger.signingKeys();
  const keys = { current: next, previous: old, overlapUntilMs };
  ledger.replaceSigningKeys(keys);
  try {
    await ledger.transact((writer) => {
      writer.db
        .prepare(
          'INSERT INTO ledger_keys (vkey, valid_from_size, rotation_note, added_ms) VALUES (?, ?, ?, ?)',
        )
        .run(next.vkey, fromSize, statement, now);
      return writer.append([
        {
          type: LEDGER_ENTRY.keyRotation,
          actor: options.actor,
          payload: { oldKey: old.vkey, newKey: next.vkey, fromSize, statement, overlapUntil: overlapUntilMs },
        },
      ]);
    });
  } catch (error) {
    ledger.replaceSigningKeys(before);
    throw error;
  }
  // After the commit: if the keychain write fails, the old key keeps signing (it stays valid for
  // every size) and the unused new public key in the ledger does no harm.
  try {
    await storeSigningKeys(ledger.host.secrets, keys);
  } catch (error) {
    ledger.replaceSigningKeys(before);
    throw error;
  }
  return { oldKey: old.vkey, newKey: next.vkey, fromSize, overlapUntilMs };
}
