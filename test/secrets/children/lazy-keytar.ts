// Child for keychain tests: reports whether keytar's native module is loaded before and after
// the first keychain call, to show that code paths without keys never load it.
import { createRequire } from 'node:module';
import '../../../src/core/installation/installation';
import '../../../src/core/sealing/field-sealer';
import { createKeytarSecretStore } from '../../../src/core/secrets/keytar-store';

const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache).some((file) => file.includes(`${'/'}keytar${'/'}`));
const before = loaded();
const store = createKeytarSecretStore('lazy-check');
const afterCreate = loaded();
await store.get('anything');
process.stdout.write(JSON.stringify({ before, afterCreate, afterCall: loaded() }) + '\n');
