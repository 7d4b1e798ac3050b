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
 * The contract has no procedure yet that hands the recovery kit's bytes to a window (the kit is
 * made by `custodia keys recovery-kit`, src/core/keys/make-recovery-kit.ts). This asks for the
 * one the window needs, by name, so the download works the day it is added:
 *   keys.recoveryKit  input {passphrase}  output {fileName, text, notYetCreated}
 * Until then the person is told how to make the kit from a terminal.
 */
export const RECOVERY_KIT_METHOD = 'keys.recoveryKit';

export async function requestRecoveryKit(client: ApiClient, passphrase: string): Promise<KitResult> {
  const call = client.call as unknown as (method: string, input: unknown) => Promise<unknown>;
  try {
    const value = (await call(RECOVERY_KIT_METHOD, { passphrase })) as {
      fileName?: string;
      text: string;
      notYetCreated?: string[];
    };
    return {
      kind: 'file',
      fileName: value.fileName ?? `custodia-recovery-kit-${new Date().toISOString().slice(0, 10)}.txt`,
      text: value.text,
      notYetCreated: value.notYetCreated ?? [],
    };
  } catch (error) {
    if (error instanceof ClientError && error.code === 'unknown-method') {
      return {
        kind: 'unavailable',
        reason: 'This version of Custodia cannot hand the recovery kit to a window yet.',
      };
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
