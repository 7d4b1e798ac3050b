import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstallation } from '../../src/core/installation/installation';
import { SECRET_NAMES } from '../../src/core/secrets/names';
import { createKeytarSecretStore } from '../../src/core/secrets/keytar-store';
import { migrations, type Migration } from '../../src/core/store/migrations';
import { tempDir } from '../store/helpers';
import { freshKeychainScope, requireKeyring } from './keyring';

requireKeyring();

const SERIAL = 'SN7Q4Z9X2K1M58';
const DRUG = 'Hydrocodone Bitartrate and Acetaminophen';

async function create(dataDir = tempDir()) {
  const secrets = freshKeychainScope();
  const installation = await openInstallation({ dataDir, secrets, createIfMissing: true });
  return { dataDir, secrets, installation };
}

describe('installation on the OS keychain', () => {
  it('first use creates keys in the OS keychain, installation.json without secrets, and an encrypted ledger', async () => {
    const dataDir = tempDir();
    const installation = await openInstallation({ dataDir, createIfMissing: true });
    const { installId } = installation;
    // Default path: keytar, service "Custodia", account `${installId}/${name}`.
    const keychain = createKeytarSecretStore(installId);
    const dbKey = await keychain.get(SECRET_NAMES.databaseKey);
    expect(dbKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await keychain.get(SECRET_NAMES.sealingKeys)).toContain('"current":1');
    expect(await keychain.get(SECRET_NAMES.blindIndexKey)).not.toBeNull();
    expect(installation.keys.currentSealingVersion).toBe(1);

    const file = fs.readFileSync(path.join(dataDir, 'installation.json'), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ installId, format: 'custodia-installation', version: 1 });
    const blindKey = Buffer.from(installation.keys.blindIndexKey).toString('base64');
    for (const secret of [
      dbKey!,
      blindKey,
      Buffer.from(installation.keys.sealingKey(1)!).toString('base64'),
    ]) {
      expect(file).not.toContain(secret);
    }

    installation.db.exec('CREATE TABLE t (serial TEXT NOT NULL, drug TEXT NOT NULL) STRICT');
    installation.transaction((db) => db.prepare('INSERT INTO t VALUES (?, ?)').run(SERIAL, DRUG));
    const raw = Buffer.concat(
      ['ledger.db', 'ledger.db-wal'].map((name) =>
        fs.existsSync(path.join(dataDir, name)) ? fs.readFileSync(path.join(dataDir, name)) : Buffer.alloc(0),
      ),
    );
    expect(raw.includes(Buffer.from(SERIAL))).toBe(false);
    expect(raw.includes(Buffer.from(DRUG))).toBe(false);
    installation.close();

    const again = await openInstallation({ dataDir, createIfMissing: false });
    expect(again.installId).toBe(installId);
    expect(again.db.prepare('SELECT serial FROM t').get()).toEqual({ serial: SERIAL });
    again.close();
    for (const name of Object.values(SECRET_NAMES)) await keychain.delete(name);
  });

  it('lets only one opener write: a second open is refused as locked until the first closes', async () => {
    const { dataDir, secrets, installation } = await create();
    await expect(openInstallation({ dataDir, secrets, createIfMissing: false })).rejects.toMatchObject({
      kind: 'locked',
    });
    installation.close();
    (await openInstallation({ dataDir, secrets, createIfMissing: false })).close();
  });

  it('reports a keychain key of another ledger as wrong-key', async () => {
    const { dataDir, secrets, installation } = await create();
    const scoped = createScoped(secrets, installation.installId);
    installation.close();
    await scoped.set(SECRET_NAMES.databaseKey, crypto.randomBytes(32).toString('hex'));
    await expect(openInstallation({ dataDir, secrets, createIfMissing: false })).rejects.toMatchObject({
      name: 'StoreError',
      kind: 'wrong-key',
    });
  });

  it('reports an empty keychain (a new computer) as keys-missing, pointing to the recovery kit', async () => {
    const { dataDir, installation } = await create();
    installation.close();
    await expect(
      openInstallation({ dataDir, secrets: freshKeychainScope(), createIfMissing: false }),
    ).rejects.toMatchObject({ kind: 'keys-missing', message: expect.stringMatching(/keys restore/) });
  });

  it('reports a garbage ledger.db as corrupted, even when it is whole pages of random bytes', async () => {
    for (const size of [10_000, 16_384]) {
      const { dataDir, secrets, installation } = await create();
      installation.close();
      fs.rmSync(path.join(dataDir, 'ledger.db-wal'), { force: true });
      fs.writeFileSync(path.join(dataDir, 'ledger.db'), crypto.randomBytes(size));
      await expect(openInstallation({ dataDir, secrets, createIfMissing: false })).rejects.toMatchObject({
        kind: 'corrupted',
      });
    }
  });

  it('never starts an empty ledger in place of a missing ledger.db', async () => {
    const { dataDir, secrets, installation } = await create();
    installation.close();
    fs.rmSync(path.join(dataDir, 'ledger.db'));
    await expect(openInstallation({ dataDir, secrets, createIfMissing: true })).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect(fs.existsSync(path.join(dataDir, 'ledger.db'))).toBe(false);
  });

  it('refuses a ledger migrated by a newer app', async () => {
    const future: Migration = {
      version: 9_000,
      name: 'future',
      up: (db) => db.exec('CREATE TABLE f (a TEXT) STRICT'),
    };
    const dataDir = tempDir();
    const secrets = freshKeychainScope();
    (
      await openInstallation({ dataDir, secrets, createIfMissing: true, migrations: [...migrations, future] })
    ).close();
    await expect(openInstallation({ dataDir, secrets, createIfMissing: false })).rejects.toMatchObject({
      kind: 'newer-than-app',
    });
  });

  it('does not create anything when asked to open a folder without a ledger', async () => {
    const dataDir = tempDir();
    await expect(
      openInstallation({ dataDir, secrets: freshKeychainScope(), createIfMissing: false }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('records secret names other modules store, so the recovery kit carries them', async () => {
    const { dataDir, installation } = await create();
    await installation.secrets.set('checkpoint-signing-key', 'k');
    expect(installation.recoverableSecretNames()).toContain('checkpoint-signing-key');
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'installation.json'), 'utf8')).secretNames).toEqual([
      'checkpoint-signing-key',
    ]);
    await expect(installation.secrets.set('Bad Name', 'x')).rejects.toThrow(/secret names/);
    installation.close();
  });
});

function createScoped(root: ReturnType<typeof freshKeychainScope>, installId: string) {
  return {
    set: (name: string, value: string) => root.set(`${installId}/${name}`, value),
  };
}
