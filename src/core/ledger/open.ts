import { openInstallation, type Installation } from '../installation/installation';
import type { SecretStore } from '../secrets/secret-store';
import { Ledger, type LedgerOptions } from './ledger';

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
