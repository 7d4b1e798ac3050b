import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { loadKeyRing, newBlindIndexKey, newSealingKeysRecord, type KeyRing } from '../secrets/key-ring';
import { createKeytarSecretStore } from '../secrets/keytar-store';
import { scopeSecretStore } from '../secrets/scoped-store';
import { SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { startCheckpointer, type Checkpointer } from '../store/checkpointer';
import { openEncryptedDatabase, transaction as runTransaction } from '../store/database';
import { StoreError } from '../store/errors';
import { acquireWriterLock, type WriterLock } from '../store/lock';
import { migrations as allMigrations, runMigrations, type Migration } from '../store/migrations';
import {
  dbKeyCheck,
  INSTALLATION_FILE,
  LEDGER_FILE,
  LOCK_FILE,
  readInstallationFile,
  writeInstallationFile,
  type InstallationFile,
} from './installation-file';
import { assertSecretName, RECOVERABLE_SECRET_NAMES, SECRET_NAMES } from '../secrets/names';

export interface OpenInstallationOptions {
  readonly dataDir: string;
  /**
   * The keychain root; the installation scopes it to its install id. Default: the OS keychain
   * (keytar, account `${installId}/${name}`). Only tests of other areas pass a memory store.
   */
  readonly secrets?: SecretStore;
  /** Create keys, installation.json and an empty migrated ledger.db when the folder has none. */
  readonly createIfMissing: boolean;
  /** The schema migrations to run; tests only (default: every migration in store/migrations). */
  readonly migrations?: readonly Migration[];
}

/** One open installation: its folder, its keys, and the single writable connection to its ledger. */
export interface Installation {
  readonly dataDir: string;
  readonly installId: string;
  readonly createdAt: string;
  /** This installation's keychain entries. Names set here are carried by the recovery kit. */
  readonly secrets: SecretStore;
  /** The encrypted ledger database; this process holds its writer lock while open. */
  readonly db: Database;
  readonly keys: KeyRing;
  /**
   * A second, read-only connection to the same file (WAL): a read transaction on it sees the last
   * committed state and never waits for the writer, even while an import holds its transaction open.
   */
  reader(): Database;
  /** Runs fn in one BEGIN IMMEDIATE transaction on db (see store/database.ts). */
  transaction<T>(fn: (db: Database) => T): T;
  /** Call after a write transaction commits: its WAL is checkpointed off this thread (store/checkpointer.ts). */
  afterCommit(): void;
  /** Every secret name the recovery kit must carry for this installation. */
  recoverableSecretNames(): string[];
  close(): void;
}

/**
 * Opens (or on first use creates) the installation in dataDir. First use creates an install id,
 * a random 256-bit database key, field-sealing key v1 and the blind-index key, all in the OS
 * keychain and never on disk; then creates and migrates the encrypted ledger.db. If the keychain
 * is unavailable or locked this throws StoreError 'keychain-unavailable' and writes no database:
 * there is no plaintext fallback.
 */
export async function openInstallation(options: OpenInstallationOptions): Promise<Installation> {
  const dataDir = path.resolve(options.dataDir);
  if (readInstallationFile(dataDir) === undefined) {
    if (fs.existsSync(path.join(dataDir, LEDGER_FILE))) throw ledgerWithoutInstallation(dataDir);
    if (!options.createIfMissing) throw notFound(dataDir);
  }
  const folderExisted = fs.existsSync(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreError('io', `The data folder ${dataDir} could not be created: check its permissions.`, {
      cause: error,
    });
  }
  const lockFile = path.join(dataDir, LOCK_FILE);
  const lockExisted = fs.existsSync(lockFile);
  let lock: WriterLock;
  try {
    lock = acquireWriterLock(lockFile);
  } catch (error) {
    forgetFailedStart(dataDir, lockFile, lockExisted, folderExisted);
    throw error;
  }
  try {
    // Read again under the lock: another process may have just finished creating it.
    let file = readInstallationFile(dataDir);
    if (file === undefined) {
      if (!options.createIfMissing) throw notFound(dataDir);
      file = await createInstallation(dataDir, options);
    }
    return await openExisting(dataDir, file, lock, options);
  } catch (error) {
    lock.release();
    forgetFailedStart(dataDir, lockFile, lockExisted, folderExisted);
    throw error;
  }
}

/**
 * A command that failed before any ledger existed here (no keychain, say) leaves nothing behind:
 * not the lock file it made, nor the folder it made. Once installation.json exists the lock file
 * stays: another process may hold it by now.
 */
function forgetFailedStart(dataDir: string, lockFile: string, lockExisted: boolean, folderExisted: boolean) {
  if (fs.existsSync(path.join(dataDir, INSTALLATION_FILE))) return;
  try {
    if (!lockExisted) fs.rmSync(lockFile, { force: true });
    if (!folderExisted && fs.readdirSync(dataDir).length === 0) fs.rmdirSync(dataDir);
  } catch {
    // Best effort: what remains is an empty lock file, harmless to the next attempt.
  }
}

function secretsFor(options: OpenInstallationOptions, installId: string): SecretStore {
  return options.secrets ? scopeSecretStore(options.secrets, installId) : createKeytarSecretStore(installId);
}

async function createInstallation(
  dataDir: string,
  options: OpenInstallationOptions,
): Promise<InstallationFile> {
  const ledgerFile = path.join(dataDir, LEDGER_FILE);
  if (fs.existsSync(ledgerFile)) throw ledgerWithoutInstallation(dataDir);
  const installId = crypto.randomUUID();
  const secrets = secretsFor(options, installId);
  const dbKey = crypto.randomBytes(32);
  await keychain(async () => {
    await secrets.set(SECRET_NAMES.databaseKey, dbKey.toString('hex'));
    await secrets.set(SECRET_NAMES.sealingKeys, newSealingKeysRecord());
    await secrets.set(SECRET_NAMES.blindIndexKey, newBlindIndexKey());
    // Some keychains accept a write and drop it (a session-only collection); find out now.
    if ((await secrets.get(SECRET_NAMES.databaseKey)) !== dbKey.toString('hex')) {
      throw new SecretStoreError('unavailable', 'The keychain did not keep a stored key.');
    }
  });
  // Build the database under a temporary name and move it into place complete, so a crash during
  // setup never leaves a half-made ledger.db that looks like a real one.
  const building = `${ledgerFile}.creating`;
  for (const leftover of [building, `${building}-journal`, `${building}-wal`, `${building}-shm`]) {
    fs.rmSync(leftover, { force: true });
  }
  const db = openEncryptedDatabase(building, { key: dbKey, create: true, journalMode: 'delete' });
  try {
    // Encrypted anyway, but a ledger is nobody else's business on a shared computer.
    fs.chmodSync(building, 0o600);
    runMigrations(db, options.migrations ?? allMigrations);
    db.prepare('INSERT INTO installation_meta (name, value) VALUES (?, ?)').run('install_id', installId);
  } finally {
    db.close();
  }
  fs.renameSync(building, ledgerFile);
  const file: InstallationFile = {
    format: 'custodia-installation',
    version: 1,
    installId,
    createdAt: new Date().toISOString(),
    dbKeyCheck: dbKeyCheck(dbKey),
    secretNames: [],
  };
  writeInstallationFile(dataDir, file);
  return file;
}

async function openExisting(
  dataDir: string,
  file: InstallationFile,
  lock: WriterLock,
  options: OpenInstallationOptions,
): Promise<Installation> {
  const root = secretsFor(options, file.installId);
  const dbKeyHex = await keychain(() => root.get(SECRET_NAMES.databaseKey));
  if (dbKeyHex === null) {
    // libsecret answers "no such secret" from a locked collection; a write tells the two apart.
    await keychain(async () => {
      await root.set('probe', 'custodia');
      await root.delete('probe');
    });
    throw new StoreError(
      'keys-missing',
      `This computer's keychain has no keys for the ledger in ${dataDir} (installation ${file.installId}). ` +
        'If the ledger was copied from another computer, restore its recovery kit here ' +
        '("custodia keys restore KIT --data DIR").',
    );
  }
  const dbKey = Buffer.from(dbKeyHex, 'hex');
  if (dbKey.length !== 32 || dbKeyCheck(dbKey) !== file.dbKeyCheck) {
    throw new StoreError(
      'wrong-key',
      `The key in this computer's keychain does not belong to the ledger in ${dataDir}. Restore this ` +
        'ledger\'s recovery kit ("custodia keys restore KIT --data DIR").',
    );
  }
  const keys = await keychain(() => loadKeyRing(root));
  const ledgerFile = path.join(dataDir, LEDGER_FILE);
  if (!fs.existsSync(ledgerFile)) {
    throw new StoreError(
      'not-found',
      `The ledger file ${ledgerFile} is missing, though ${INSTALLATION_FILE} says a ledger was set up here. ` +
        'Copy ledger.db back from your backup; Custodia will not start an empty ledger in its place.',
    );
  }
  const db = openEncryptedDatabase(ledgerFile, { key: dbKey, keyVerified: true });
  try {
    runMigrations(db, options.migrations ?? allMigrations);
    checkInstallId(db, file.installId, ledgerFile);
  } catch (error) {
    db.close();
    throw error;
  }
  // The read connection opens on first use: it holds the key for as long as the installation is open.
  const openReader = () =>
    openEncryptedDatabase(ledgerFile, { key: dbKey, readonly: true, keyVerified: true });
  return assemble(dataDir, file, db, keys, root, lock, startCheckpointer(db, ledgerFile, dbKey), openReader);
}

function checkInstallId(db: Database, installId: string, ledgerFile: string): void {
  const row = db.prepare("SELECT value FROM installation_meta WHERE name = 'install_id'").get() as
    { value: string } | undefined;
  if (row === undefined) {
    db.prepare("INSERT INTO installation_meta (name, value) VALUES ('install_id', ?)").run(installId);
  } else if (row.value !== installId) {
    throw new StoreError(
      'corrupted',
      `${ledgerFile} belongs to another installation than ${INSTALLATION_FILE} describes. Put back the ` +
        'matching installation.json, or restore the recovery kit that belongs to this ledger.',
    );
  }
}

function assemble(
  dataDir: string,
  initial: InstallationFile,
  db: Database,
  keys: KeyRing,
  root: SecretStore,
  lock: WriterLock,
  checkpointer: Checkpointer,
  openReader: () => Database,
): Installation {
  let reader: Database | null = null;
  let file = initial;
  const builtIn = new Set(RECOVERABLE_SECRET_NAMES);
  const secrets: SecretStore = {
    get: (name) => {
      assertSecretName(name);
      return root.get(name);
    },
    set: async (name, value) => {
      assertSecretName(name);
      await root.set(name, value);
      if (!builtIn.has(name) && !file.secretNames.includes(name)) {
        file = { ...file, secretNames: [...file.secretNames, name].sort() };
        writeInstallationFile(dataDir, file);
      }
    },
    delete: (name) => {
      assertSecretName(name);
      return root.delete(name);
    },
  };
  let open = true;
  return {
    dataDir,
    installId: file.installId,
    createdAt: file.createdAt,
    secrets,
    db,
    keys,
    transaction: (fn) => runTransaction(db, fn),
    reader: () => (reader ??= openReader()),
    afterCommit: () => checkpointer.nudge(),
    recoverableSecretNames: () => [...new Set([...RECOVERABLE_SECRET_NAMES, ...file.secretNames])],
    close() {
      if (!open) return;
      open = false;
      try {
        checkpointer.close();
        reader?.close();
        db.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** Runs keychain calls, turning a SecretStoreError into the store's 'keychain-unavailable'. */
export async function keychain<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SecretStoreError) {
      throw new StoreError('keychain-unavailable', `Custodia cannot open the ledger: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function ledgerWithoutInstallation(dataDir: string): StoreError {
  return new StoreError(
    'keys-missing',
    `${path.join(dataDir, LEDGER_FILE)} exists but ${INSTALLATION_FILE} does not, so its keys cannot be found. ` +
      'Restore its recovery kit into this folder ("custodia keys restore KIT --data DIR"). If this folder was ' +
      'being set up for the first time and setup was interrupted, move ledger.db away and try again.',
  );
}

function notFound(dataDir: string): StoreError {
  return new StoreError(
    'not-found',
    `There is no Custodia ledger in ${dataDir}. Check the --data folder, or restore a recovery kit there.`,
  );
}
