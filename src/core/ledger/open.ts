import { openInstallation, type Installation } from '../installation/installation';
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
