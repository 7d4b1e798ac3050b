import type * as KeytarModule from 'keytar';
import {
  keychainAdvice,
  SecretStoreError,
  type SecretStore,
  type SecretStoreErrorKind,
} from './secret-store';

type Keytar = typeof KeytarModule;

/** Every Custodia keychain entry is filed under this service name. */
export const KEYCHAIN_SERVICE = 'Custodia';

let keytarModule: Promise<Keytar> | undefined;

/**
 * keytar is a native module that talks to D-Bus, the Keychain or DPAPI; loading it lazily keeps
 * code paths that never touch keys (help, the standalone audit verifier) free of it.
 */
function loadKeytar(): Promise<Keytar> {
  keytarModule ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
  return keytarModule;
}

/**
 * The OS keychain through keytar: service "Custodia", account `${scope}/${name}`. The scope is an
 * installation id, so two ledgers on one machine never share a key.
 */
export function createKeytarSecretStore(scope: string): SecretStore {
  const account = (name: string) => (scope === '' ? name : `${scope}/${name}`);
  const call = async <T>(run: (keytar: Keytar) => Promise<T>): Promise<T> => {
    let keytar: Keytar;
    try {
      keytar = await loadKeytar();
    } catch (error) {
      throw new SecretStoreError(
        'unavailable',
        `The keychain module could not be loaded. ${keychainAdvice('unavailable')}`,
        { cause: error },
      );
    }
    try {
      return await run(keytar);
    } catch (error) {
      throw toSecretStoreError(error);
    }
  };
  return {
    get: (name) => call((k) => k.getPassword(KEYCHAIN_SERVICE, account(name))),
    set: (name, value) => call((k) => k.setPassword(KEYCHAIN_SERVICE, account(name), value)),
    delete: (name) => call((k) => k.deletePassword(KEYCHAIN_SERVICE, account(name))),
  };
}

/**
 * keytar reports failures as plain Errors carrying the platform's message (libsecret, Security
 * framework, Win32). Sort them into what a person can do about it; the original stays as cause.
 */
export function toSecretStoreError(error: unknown): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const kind = classifyKeychainMessage(text);
  return new SecretStoreError(kind, `The keychain ${describeKind(kind)}. ${keychainAdvice(kind)}`, {
    cause: error,
  });
}

export function classifyKeychainMessage(text: string): SecretStoreErrorKind {
  // libsecret: "Cannot create an item in a locked collection"; macOS: "User interaction is not allowed".
  if (/locked|interaction is not allowed/i.test(text)) return 'locked';
  // libsecret: prompt "dismissed"; macOS: errSecAuthFailed / user canceled; Windows: access denied.
  if (/dismiss|denied|cancel|not permitted|authoriz|passphrase you entered/i.test(text)) return 'denied';
  // D-Bus unreachable ("Could not connect", "Cannot autolaunch D-Bus"), no Secret Service, and the rest.
  return 'unavailable';
}

function describeKind(kind: SecretStoreErrorKind): string {
  switch (kind) {
    case 'locked':
      return 'is locked';
    case 'denied':
      return 'refused access';
    default:
      return 'is not available';
  }
}
