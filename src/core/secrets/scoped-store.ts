import type { SecretStore } from './secret-store';

/** A view of `root` in which every name is prefixed with `${scope}/`. */
export function scopeSecretStore(root: SecretStore, scope: string): SecretStore {
  const full = (name: string) => `${scope}/${name}`;
  return {
    get: (name) => root.get(full(name)),
    set: (name, value) => root.set(full(name), value),
    delete: (name) => root.delete(full(name)),
  };
}
