import fs from 'node:fs';
import path from 'node:path';
import { keychain, openInstallation } from '../installation/installation';
import {
  dbKeyCheck,
  LEDGER_FILE,
  LOCK_FILE,
  readInstallationFile,
  writeInstallationFile,
} from '../installation/installation-file';
import { SECRET_NAMES } from '../secrets/names';
import { createKeytarSecretStore } from '../secrets/keytar-store';
import { scopeSecretStore } from '../secrets/scoped-store';
import type { SecretStore } from '../secrets/secret-store';
import { openEncryptedDatabase } from '../store/database';
import { StoreError } from '../store/errors';
import { acquireWriterLock } from '../store/lock';
import type { Migration } from '../store/migrations';
import { mergeSealingKeys } from '../secrets/key-ring';
import { openRecoveryKit, RecoveryKitError } from './recovery-kit';

export interface RestoreOptions {
  readonly kitText: string;
  readonly passphrase: string;
  /** The folder holding (or about to hold) the copied ledger.db. */
  readonly dataDir: string;
  /** The keychain root (default: the OS keychain), as for openInstallation. */
  readonly secrets?: SecretStore;
  /** Overwrite keychain entries that hold different values (otherwise nothing is changed). */
  readonly replace?: boolean;
  readonly migrations?: readonly Migration[];
}

export interface RestoreResult {
  readonly installId: string;
  /** Secret names written to the keychain (missing or replaced). */
  readonly written: string[];
  /** Secret names the keychain already held with the same value. */
  readonly unchanged: string[];
  readonly wroteInstallationFile: boolean;
  /** 'opened' when ledger.db is in the folder and now opens; 'absent' when it is still to be copied in. */
  readonly ledger: 'opened' | 'absent';
}

/**
 * Puts a recovery kit's keys into this computer's keychain (scoped to the kit's install id) and
 * writes installation.json if the folder has none, so a ledger.db copied from the old computer
 * opens here. Checks before writing anything that the ledger in the folder opens with the kit's
 * key, and never silently overwrites a different key already in the keychain.
 */
export async function restoreRecoveryKit(options: RestoreOptions): Promise<RestoreResult> {
  const { file: kit, contents } = openRecoveryKit(options.kitText, options.passphrase);
  const installId = kit.installId;
  const dbKeyHex = contents.secrets[SECRET_NAMES.databaseKey];
  if (
    dbKeyHex === undefined ||
    dbKeyCheck(Buffer.from(dbKeyHex, 'hex')) !== contents.installation.dbKeyCheck
  ) {
    throw new RecoveryKitError('malformed', 'This recovery kit does not contain the ledger key it should.');
  }
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireWriterLock(path.join(dataDir, LOCK_FILE));
  let written: string[];
  let unchanged: string[];
  let wroteInstallationFile = false;
  const ledgerFile = path.join(dataDir, LEDGER_FILE);
  try {
    const existing = readInstallationFile(dataDir);
    if (existing !== undefined && existing.installId !== installId) {
      throw new RecoveryKitError(
        'other-installation',
        `This recovery kit belongs to installation ${installId}, but ${dataDir} holds installation ` +
          `${existing.installId}. Restore into an empty folder (or the one holding the copied ledger.db).`,
      );
    }
    if (fs.existsSync(ledgerFile)) checkLedgerOpens(ledgerFile, Buffer.from(dbKeyHex, 'hex'), installId);

    const secrets = options.secrets
      ? scopeSecretStore(options.secrets, installId)
      : createKeytarSecretStore(installId);
    const toWrite: [string, string][] = [];
    const conflicts: string[] = [];
    unchanged = [];
    for (const [name, kitValue] of Object.entries(contents.secrets)) {
      const current = await keychain(() => secrets.get(name));
      let value = kitValue;
      let merged = false;
      if (name === SECRET_NAMES.sealingKeys && current !== null && current !== kitValue) {
        // Keep key versions added after the kit was made; the same version with two keys stays a conflict.
        const union = mergeSealingKeys(current, kitValue);
        if (union !== undefined) [value, merged] = [union, true];
      }
      if (current === value) unchanged.push(name);
      else {
        if (current !== null && !merged) conflicts.push(name);
        toWrite.push([name, value]);
      }
    }
    if (conflicts.length > 0 && !options.replace) {
      throw new RecoveryKitError(
        'conflict',
        `This computer's keychain already holds different values for installation ${installId}: ` +
          `${conflicts.sort().join(', ')}. Nothing was changed. If the ledger does not open with the ` +
          'keychain as it is, run the restore again with --replace.',
      );
    }
    for (const [name, value] of toWrite) await keychain(() => secrets.set(name, value));
    written = toWrite.map(([name]) => name).sort();
    if (existing === undefined) {
      writeInstallationFile(dataDir, {
        format: 'custodia-installation',
        version: 1,
        ...contents.installation,
      });
      wroteInstallationFile = true;
    }
  } finally {
    lock.release();
  }
  let ledger: RestoreResult['ledger'] = 'absent';
  if (fs.existsSync(ledgerFile)) {
    const installation = await openInstallation({
      dataDir,
      createIfMissing: false,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.migrations ? { migrations: options.migrations } : {}),
    });
    installation.close();
    ledger = 'opened';
  }
  return { installId, written, unchanged: unchanged.sort(), wroteInstallationFile, ledger };
}

function checkLedgerOpens(ledgerFile: string, key: Buffer, installId: string): void {
  try {
    openEncryptedDatabase(ledgerFile, { key }).close();
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'wrong-key') {
      throw new RecoveryKitError(
        'other-installation',
        `The ledger ${ledgerFile} does not open with the key in this recovery kit (installation ${installId}): ` +
          'it belongs to another kit. Nothing was changed.',
        { cause: error },
      );
    }
    throw error;
  }
}
