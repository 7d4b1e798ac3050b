import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstallation, type Installation } from '../../src/core/installation/installation';
import { SECRET_NAMES } from '../../src/core/secrets/names';
import { makeRecoveryKit } from '../../src/core/keys/make-recovery-kit';
import { passphraseWeakness } from '../../src/core/keys/passphrase';
import {
  openRecoveryKit,
  readRecoveryKitHeader,
  RecoveryKitError,
  sealRecoveryKit,
} from '../../src/core/keys/recovery-kit';
import { restoreRecoveryKit } from '../../src/core/keys/restore-recovery-kit';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { createFieldSealer } from '../../src/core/sealing/field-sealer';
import { freshKeychainScope, requireKeyring } from '../secrets/keyring';
import { tempDir } from '../store/helpers';

requireKeyring();

const PASSPHRASE = 'amber kettle orbit sprocket';
const SERIAL = 'SN7Q4Z9X2K1M58';
const AT = { table: 'packages', column: 'serial', rowId: 'row-1' };
/** A cheaper scrypt for the tests that are not about the KDF; the round trip uses the product default. */
const FAST = { scrypt: { N: 2 ** 14, r: 8, p: 1 } };

/** An installation on "the old computer" with one row holding a sealed serial number. */
async function oldComputer(): Promise<{
  dataDir: string;
  keychain: SecretStore;
  installation: Installation;
}> {
  const dataDir = tempDir();
  const keychain = freshKeychainScope();
  const installation = await openInstallation({ dataDir, secrets: keychain, createIfMissing: true });
  installation.db.exec(
    'CREATE TABLE packages (id TEXT PRIMARY KEY, serial BLOB NOT NULL, serial_bidx BLOB NOT NULL) STRICT',
  );
  const sealer = createFieldSealer(installation.keys);
  installation.transaction((db) =>
    db
      .prepare('INSERT INTO packages VALUES (?, ?, ?)')
      .run(AT.rowId, sealer.seal(SERIAL, AT), sealer.blindIndex('serial', SERIAL)),
  );
  return { dataDir, keychain, installation };
}

/** Copies ledger.db as a person would: the closed file, nothing else. */
function copyLedger(from: string): string {
  const to = tempDir();
  fs.copyFileSync(path.join(from, 'ledger.db'), path.join(to, 'ledger.db'));
  return to;
}

function kitError(run: () => unknown): RecoveryKitError {
  try {
    run();
  } catch (error) {
    if (error instanceof RecoveryKitError) return error;
    throw error;
  }
  throw new Error('expected a RecoveryKitError');
}

describe('recovery kit', () => {
  it('brings a copied ledger back on a new computer (a fresh keychain), sealed fields included', async () => {
    const old = await oldComputer();
    await old.installation.secrets.set('checkpoint-signing-key', 'ed25519-private-key-stand-in');
    const kit = await makeRecoveryKit(old.installation, PASSPHRASE);
    expect(kit.secretNames).toEqual(['blind-index-key', 'checkpoint-signing-key', 'db-key', 'sealing-keys']);
    expect(kit.text).not.toContain(SERIAL);
    const { installId } = old.installation;
    old.installation.close();

    const newDir = copyLedger(old.dataDir);
    const newKeychain = freshKeychainScope();
    await expect(
      openInstallation({ dataDir: newDir, secrets: newKeychain, createIfMissing: false }),
    ).rejects.toMatchObject({
      kind: 'keys-missing',
    });
    const result = await restoreRecoveryKit({
      kitText: kit.text,
      passphrase: PASSPHRASE,
      dataDir: newDir,
      secrets: newKeychain,
    });
    expect(result).toMatchObject({ installId, ledger: 'opened', wroteInstallationFile: true, unchanged: [] });
    expect(result.written).toEqual(kit.secretNames);

    const restored = await openInstallation({
      dataDir: newDir,
      secrets: newKeychain,
      createIfMissing: false,
    });
    expect(restored.installId).toBe(installId);
    const row = restored.db.prepare('SELECT serial, serial_bidx FROM packages').get() as {
      serial: Buffer;
      serial_bidx: Buffer;
    };
    const sealer = createFieldSealer(restored.keys);
    expect(sealer.openText(row.serial, AT)).toBe(SERIAL);
    expect(sealer.blindIndex('serial', SERIAL)).toEqual(row.serial_bidx);
    expect(await restored.secrets.get('checkpoint-signing-key')).toBe('ed25519-private-key-stand-in');
    expect(restored.recoverableSecretNames()).toContain('checkpoint-signing-key');
    restored.close();
  });

  it('fails cleanly on a wrong passphrase: clear error, nothing written', async () => {
    const old = await oldComputer();
    const kit = await makeRecoveryKit(old.installation, PASSPHRASE, FAST);
    old.installation.close();
    const newDir = copyLedger(old.dataDir);
    const newKeychain = freshKeychainScope();
    const attempt = restoreRecoveryKit({
      kitText: kit.text,
      passphrase: 'amber kettle orbit sprocket!',
      dataDir: newDir,
      secrets: newKeychain,
    });
    await expect(attempt).rejects.toMatchObject({ name: 'RecoveryKitError', kind: 'wrong-passphrase' });
    await expect(attempt).rejects.toThrow(/passphrase does not open this recovery kit/);
    expect(fs.existsSync(path.join(newDir, 'installation.json'))).toBe(false);
    const header = readRecoveryKitHeader(kit.text);
    expect(await newKeychain.get(`${header.installId}/${SECRET_NAMES.databaseKey}`)).toBeNull();
  });

  it('detects any change to the kit file: header fields are authenticated', async () => {
    const old = await oldComputer();
    const kit = await makeRecoveryKit(old.installation, PASSPHRASE, FAST);
    old.installation.close();
    const parsed = JSON.parse(kit.text);
    const variants = [
      { ...parsed, createdAt: '2020-01-01T00:00:00.000Z' },
      { ...parsed, kdf: { ...parsed.kdf, N: 2 ** 16 } },
      { ...parsed, installId: '00000000-0000-4000-8000-000000000000' },
      {
        ...parsed,
        sealed: Buffer.from(
          Buffer.from(parsed.sealed, 'base64').map((b, i) => (i === 3 ? b ^ 1 : b)),
        ).toString('base64'),
      },
    ];
    for (const variant of variants) {
      expect(kitError(() => openRecoveryKit(JSON.stringify(variant), PASSPHRASE)).kind).toBe(
        'wrong-passphrase',
      );
    }
    expect(kitError(() => openRecoveryKit('{"format":"something else"}', PASSPHRASE)).kind).toBe('malformed');
    expect(kitError(() => openRecoveryKit(kit.text.slice(0, 200), PASSPHRASE)).kind).toBe('malformed');
    // A hostile file cannot make the KDF allocate gigabytes.
    expect(
      kitError(() =>
        openRecoveryKit(JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, N: 2 ** 30 } }), PASSPHRASE),
      ).kind,
    ).toBe('malformed');
  });

  it('refuses to restore a kit into a folder holding another ledger', async () => {
    const a = await oldComputer();
    const b = await oldComputer();
    const kitA = await makeRecoveryKit(a.installation, PASSPHRASE, FAST);
    a.installation.close();
    b.installation.close();
    // Folder of another installation.
    await expect(
      restoreRecoveryKit({
        kitText: kitA.text,
        passphrase: PASSPHRASE,
        dataDir: b.dataDir,
        secrets: freshKeychainScope(),
      }),
    ).rejects.toMatchObject({ kind: 'other-installation' });
    // Only the other installation's ledger.db copied in: its key check fails before anything is written.
    const foreign = copyLedger(b.dataDir);
    await expect(
      restoreRecoveryKit({
        kitText: kitA.text,
        passphrase: PASSPHRASE,
        dataDir: foreign,
        secrets: freshKeychainScope(),
      }),
    ).rejects.toMatchObject({ kind: 'other-installation' });
    expect(fs.existsSync(path.join(foreign, 'installation.json'))).toBe(false);
  });

  it('restoring a kit made before a rotation keeps the newer key versions', async () => {
    const old = await oldComputer();
    const kit = await makeRecoveryKit(old.installation, PASSPHRASE, FAST);
    await old.installation.keys.rotateSealingKey();
    const sealedV2 = createFieldSealer(old.installation.keys).seal(SERIAL, AT);
    old.installation.close();
    const result = await restoreRecoveryKit({
      kitText: kit.text,
      passphrase: PASSPHRASE,
      dataDir: old.dataDir,
      secrets: old.keychain,
    });
    expect(result.written).toEqual([]);
    const reopened = await openInstallation({
      dataDir: old.dataDir,
      secrets: old.keychain,
      createIfMissing: false,
    });
    expect(reopened.keys.sealingVersions).toEqual([1, 2]);
    expect(createFieldSealer(reopened.keys).openText(sealedV2, AT)).toBe(SERIAL);
    // A keychain holding a different database key for this installation is a conflict, not overwritten.
    await reopened.secrets.set(SECRET_NAMES.databaseKey, 'ab'.repeat(32));
    reopened.close();
    await expect(
      restoreRecoveryKit({
        kitText: kit.text,
        passphrase: PASSPHRASE,
        dataDir: old.dataDir,
        secrets: old.keychain,
      }),
    ).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('db-key') });
    const replaced = await restoreRecoveryKit({
      kitText: kit.text,
      passphrase: PASSPHRASE,
      dataDir: old.dataDir,
      secrets: old.keychain,
      replace: true,
    });
    expect(replaced).toMatchObject({ written: ['db-key'], ledger: 'opened' });
  });

  it('opens with the same passphrase typed in composed or decomposed Unicode (NFKC)', () => {
    const contents = {
      installation: {
        installId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
        createdAt: '2026-01-01T00:00:00.000Z',
        dbKeyCheck: '00'.repeat(16),
        secretNames: [],
      },
      secrets: { 'db-key': 'ab'.repeat(32) },
    };
    const composed = 'Zürich Nebel Ahorn Fähre';
    const text = sealRecoveryKit(contents, composed, FAST);
    expect(openRecoveryKit(text, composed.normalize('NFD')).contents).toEqual(contents);
  });

  it('asks for a passphrase that resists offline guessing', async () => {
    for (const weak of [
      'short',
      'fourteen chars',
      'aaaaaaaaaaaaaaaaaaaa',
      'abababababababababab',
      '12345678901234567890',
      'abcdefghijklmnopqrs',
    ]) {
      expect(passphraseWeakness(weak), weak).toBeDefined();
    }
    for (const fine of [PASSPHRASE, 'Zürich-Nebel-Ahorn-42', 'correct horse battery staple']) {
      expect(passphraseWeakness(fine), fine).toBeUndefined();
    }
    const old = await oldComputer();
    await expect(makeRecoveryKit(old.installation, 'too short')).rejects.toMatchObject({
      kind: 'weak-passphrase',
    });
    old.installation.close();
  });
});
