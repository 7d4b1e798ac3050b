import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openInstallation, type Installation } from '../../src/core/installation/installation';
import { Ledger, type LedgerOptions } from '../../src/core/ledger/ledger';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';

export function tempDir(prefix = 'custodia-ledger-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Opened {
  installation: Installation;
  ledger: Ledger;
  secrets: SecretStore;
  dataDir: string;
  close(): void;
}

/**
 * A ledger on a fresh installation with an in-memory keychain. These tests are about the ledger,
 * not the keychain (keychain behaviour is tested under scripts/with-keyring.sh).
 */
export async function openTestLedger(
  dataDir = tempDir(),
  secrets: SecretStore = createMemorySecretStore(),
  options: LedgerOptions = {},
): Promise<Opened> {
  const installation = await openInstallation({ dataDir, secrets, createIfMissing: true });
  try {
    const ledger = await Ledger.open(installation, { appVersion: 'test', ...options });
    return { installation, ledger, secrets, dataDir, close: () => installation.close() };
  } catch (error) {
    installation.close();
    throw error;
  }
}

export function sampleEntries(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'test.event',
    actor: 'user-1',
    payload: { n: offset + i, note: `entry ${offset + i}`, nested: { seq: 999, text: ',"seq":5,' } },
  }));
}
