import type { SecretStore } from './secret-store';

/**
 * A SecretStore in process memory. FOR TESTS OF OTHER AREAS ONLY (ledger, import, reports) that
 * need an installation but are explicitly not keychain tests. Product code never uses it: keys
 * here vanish with the process and nothing protects them. Keychain behaviour itself is tested
 * against a real Secret Service (scripts/with-keyring.sh), never against this.
 */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore & {
  readonly entries: ReadonlyMap<string, string>;
} {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    get: async (name) => entries.get(name) ?? null,
    set: async (name, value) => {
      entries.set(name, value);
    },
    delete: async (name) => entries.delete(name),
  };
}
