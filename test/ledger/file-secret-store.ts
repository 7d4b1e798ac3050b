import fs from 'node:fs';
import type { SecretStore } from '../../src/core/secrets/secret-store';

/**
 * A SecretStore in a JSON file, so a parent test and the child process it kills share "the
 * keychain". FOR THE CRASH TEST ONLY: it is not a keychain and protects nothing. Writes are
 * write-then-rename, like a keychain's own atomic update, so SIGKILL never leaves half a file.
 */
export function createFileSecretStore(file: string): SecretStore {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>) => {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(entries));
    fs.renameSync(temp, file);
  };
  return {
    get: async (name) => read()[name] ?? null,
    set: async (name, value) => write({ ...read(), [name]: value }),
    delete: async (name) => {
      const entries = read();
      if (!(name in entries)) return false;
      delete entries[name];
      write(entries);
      return true;
    },
  };
}
