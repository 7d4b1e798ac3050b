/**
 * Where Custodia keeps its keys: the operating system's keychain (macOS Keychain, Windows
 * Credential Manager, a Secret Service such as GNOME Keyring on Linux). Secrets are short strings
 * (hex or base64 keys, small JSON records); Windows caps one credential at 2,560 bytes, so keep
 * each value well under that.
 */
export interface SecretStore {
  /** The secret, or null when none is stored under that name. */
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** True when a secret was deleted, false when there was none. */
  delete(name: string): Promise<boolean>;
}

export type SecretStoreErrorKind = 'unavailable' | 'locked' | 'denied';

/**
 * The keychain could not be used. Custodia then refuses to open the ledger: a compliance ledger
 * never falls back to plaintext keys (see design/style.md, "Things we do not copy").
 */
export class SecretStoreError extends Error {
  constructor(
    readonly kind: SecretStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}

/** What to do, per platform, when the keychain is missing, locked or refused access. */
export function keychainAdvice(
  kind: SecretStoreErrorKind,
  platform: NodeJS.Platform = process.platform,
): string {
  if (kind === 'denied') {
    return 'Custodia was refused access to its keychain entries: allow access when the system asks, then try again.';
  }
  switch (platform) {
    case 'darwin':
      return kind === 'locked'
        ? 'Unlock the login keychain (Keychain Access, or sign in again), then try again.'
        : 'The macOS Keychain did not answer: sign in to a desktop session, then try again.';
    case 'win32':
      return 'Windows Credential Manager did not answer: sign in to a normal desktop session (not a service account), then try again.';
    default:
      return kind === 'locked'
        ? 'Unlock your keyring (for example GNOME Keyring or KWallet, usually by signing in to the desktop), then try again.'
        : 'Install and unlock a Secret Service such as GNOME Keyring (package gnome-keyring) in your desktop session, then try again.';
  }
}
