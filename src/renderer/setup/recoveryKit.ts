import { ClientError, type ApiClient } from '../api/client';

export type KitResult =
  | {
      readonly kind: 'file';
      readonly fileName: string;
      readonly text: string;
      readonly notYetCreated: string[];
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Asks the core for a recovery kit sealed under the person's passphrase (keys.recoveryKit). The
 * kit is made in the process that holds the ledger open, so it works while Custodia runs; the
 * command-line `custodia keys recovery-kit` needs Custodia closed (one writer).
 */
export async function requestRecoveryKit(client: ApiClient, passphrase: string): Promise<KitResult> {
  try {
    const value = await client.call('keys.recoveryKit', { passphrase });
    return { kind: 'file', fileName: value.fileName, text: value.text, notYetCreated: value.notYetCreated };
  } catch (error) {
    if (error instanceof ClientError && error.code === 'keychain-unavailable') {
      return { kind: 'unavailable', reason: error.message };
    }
    throw error;
  }
}

/** Saves bytes the way a browser saves a download (the headless host) or Electron's save dialog. */
export function saveAsDownload(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
