import fs from 'node:fs';
import type { SecretStore } from '../../src/core/secrets/secret-store';

/**
 * A keychain stand-in for the crash test only, kept in a JSON file written on every change so it
 * survives the SIGKILLed child (the real keychain is tested under scripts/with-keyring.sh elsewhere).
 */
export function fileKeychain(path: string): SecretStore {
  const entries = new Map<string, string>(
    Object.entries(JSON.parse(fs.readFileSync(path, 'utf8')) as Record<string, string>),
  );
  const save = () => fs.writeFileSync(path, JSON.stringify(Object.fromEntries(entries)));
  return {
    get: async (name) => entries.get(name) ?? null,
    set: async (name, value) => {
      entries.set(name, value);
      save();
    },
    delete: async (name) => {
      const had = entries.delete(name);
      save();
      return had;
    },
  };
}
