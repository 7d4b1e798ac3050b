import path from 'node:path';
import { keychain, openInstallation, type Installation } from '../installation/installation';
import { dbKeyCheck, LEDGER_FILE, readInstallationFile } from '../installation/installation-file';
import { createKeytarSecretStore } from '../secrets/keytar-store';
import { SECRET_NAMES } from '../secrets/names';
import { scopeSecretStore } from '../secrets/scoped-store';
import { openEncryptedDatabase } from '../store/database';
import { StoreError } from '../store/errors';
import { createFieldSealer } from '../sealing/field-sealer';
import type { SecretStore } from '../secrets/secret-store';
import { Ledger, type LedgerOptions } from './ledger';
import { createWorkspace, type ProjectionSet, type Workspace } from './workspace';

export interface OpenLedgerOptions extends LedgerOptions {
  readonly dataDir: string;
  /** Default: the OS keychain. */
  readonly secrets?: SecretStore;
  /** Create the installation and the ledger on first use (keys, genesis entry, first checkpoint). */
  readonly createIfMissing: boolean;
}

export interface OpenLedger {
  readonly installation: Installation;
  readonly ledger: Ledger;
  close(): void;
}

/** Opens the installation in dataDir and its ledger; the caller closes both with close(). */
export async function openLedger(options: OpenLedgerOptions): Promise<OpenLedger> {
  const installation = await openInstallation({
    dataDir: options.dataDir,
    createIfMissing: options.createIfMissing,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  try {
    const ledger = await Ledger.open(installation, options);
    return { installation, ledger, close: () => installation.close() };
  } catch (error) {
    installation.close();
    throw error;
  }
}

/**
 * The workspace over an opened ledger: the one write path, with the installation's sealing keys
 * and data folder. The app passes its composed projector; so do the CLI, the bench and tests.
 */
export function workspaceFor(
  opened: OpenLedger,
  projections: Pick<ProjectionSet, 'project' | 'prefixes'>,
  now?: () => number,
): Workspace {
  return createWorkspace({
    ledger: opened.ledger,
    sealer: createFieldSealer(opened.installation.keys),
    dataDir: opened.installation.dataDir,
    projections,
    ...(now ? { now } : {}),
  });
}

/**
 * The ledger on a second, read-only connection, for `ledger verify` and `ledger checkpoint` while
 * the app or serve holds the writer lock (issue 17 scope 7): no lock, no migration, no write; the
 * rollback check against the keychain copy still runs.
 */
export async function openLedgerReadOnly(options: {
  readonly dataDir: string;
  readonly secrets?: SecretStore;
}): Promise<{ readonly ledger: Ledger; close(): void }> {
  const dataDir = path.resolve(options.dataDir);
  const file = readInstallationFile(dataDir);
  if (file === undefined) throw new StoreError('not-found', `There is no Custodia ledger in ${dataDir}.`);
  const secrets = options.secrets
    ? scopeSecretStore(options.secrets, file.installId)
    : createKeytarSecretStore(file.installId);
  const hex = await keychain(() => secrets.get(SECRET_NAMES.databaseKey));
  const key = hex === null ? null : Buffer.from(hex, 'hex');
  if (key === null || key.length !== 32 || dbKeyCheck(key) !== file.dbKeyCheck) {
    throw new StoreError('keys-missing', `This computer's keychain has no key for the ledger in ${dataDir}.`);
  }
  const db = openEncryptedDatabase(path.join(dataDir, LEDGER_FILE), {
    key,
    readonly: true,
    keyVerified: true,
  });
  try {
    const ledger = await Ledger.open({ db, secrets, installId: file.installId, dataDir }, { readOnly: true });
    return { ledger, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}
