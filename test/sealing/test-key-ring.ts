import crypto from 'node:crypto';
import type { KeyRing } from '../../src/core/secrets/key-ring';

/**
 * A KeyRing held in memory, for the pure crypto tests of sealing. Rotation through the real
 * keychain is tested in test/keys.
 */
export function testKeyRing(): KeyRing {
  const keys = new Map<number, Uint8Array>([[1, crypto.randomBytes(32)]]);
  const blindIndexKey = crypto.randomBytes(32);
  return {
    get currentSealingVersion() {
      return Math.max(...keys.keys());
    },
    get sealingVersions() {
      return [...keys.keys()];
    },
    sealingKey: (version) => keys.get(version),
    blindIndexKey,
    async rotateSealingKey() {
      const version = Math.max(...keys.keys()) + 1;
      keys.set(version, crypto.randomBytes(32));
      return { version };
    },
  };
}
