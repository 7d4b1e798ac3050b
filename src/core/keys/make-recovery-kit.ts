import type { Installation } from '../installation/installation';
import { keychain } from '../installation/installation';
import { readInstallationFile } from '../installation/installation-file';
import { sealRecoveryKit, type KitContents, type SealKitOptions } from './recovery-kit';

/**
 * Seals every keychain secret of an open installation (database key, all sealing key versions,
 * blind-index key, and every name other modules registered or stored) into a recovery kit.
 * Make a new kit after `keys rotate`: an older kit lacks the newer key versions.
 */
export async function makeRecoveryKit(
  installation: Installation,
  passphrase: string,
  options: SealKitOptions = {},
): Promise<{ text: string; secretNames: string[]; notYetCreated: string[] }> {
  const file = readInstallationFile(installation.dataDir);
  if (file === undefined || file.installId !== installation.installId) {
    throw new Error('installation.json changed while the installation was open');
  }
  const secrets: Record<string, string> = {};
  const notYetCreated: string[] = [];
  for (const name of installation.recoverableSecretNames()) {
    const value = await keychain(() => installation.secrets.get(name));
    if (value !== null) secrets[name] = value;
    else notYetCreated.push(name);
  }
  const contents: KitContents = {
    installation: {
      installId: file.installId,
      createdAt: file.createdAt,
      dbKeyCheck: file.dbKeyCheck,
      secretNames: file.secretNames,
    },
    secrets,
  };
  return {
    text: sealRecoveryKit(contents, passphrase, options),
    secretNames: Object.keys(secrets).sort(),
    // Keys another module creates on its first use (e.g. the checkpoint signing key): a kit made
    // before then lacks them, and the person must be told to make a new one afterwards.
    notYetCreated: notYetCreated.sort(),
  };
}
