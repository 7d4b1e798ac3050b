/**
 * Child process for the crash test: imports one file into an existing installation and reports its
 * phase on stdout, so the parent can SIGKILL it mid-import. Its "keychain" is a JSON file written
 * on every change (see ../file-keychain.ts).
 */
import { workspaceFor } from '../../../src/core/ledger/open';
import { projections } from '../../../src/core/projections';
import { importFile } from '../../../src/core/ingest/pipeline';
import { openLedger } from '../../../src/core/ledger/open';
import { fileKeychain } from '../file-keychain';

const [dataDir, keychainFile, file] = process.argv.slice(2) as [string, string, string];

const opened = await openLedger({ dataDir, secrets: fileKeychain(keychainFile), createIfMissing: false });
const ctx = workspaceFor(opened, projections);
process.stdout.write('opened\n');
const result = await importFile(
  ctx,
  { source: { path: file }, name: 'big.xml', origin: 'crash-test' },
  {
    actor: 'crash-test',
    onProgress: (phase, done) => process.stdout.write(`${phase} ${done}\n`),
  },
);
process.stdout.write(`done ${result.status} ${result.imported}\n`);
opened.close();
