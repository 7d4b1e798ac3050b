import { openLedger } from '../../src/core/ledger/open';
import { createFileSecretStore } from './file-secret-store';

/**
 * Appends batches forever and prints each committed batch's last seq only AFTER its transaction
 * committed, so every number the parent reads is a promise the ledger must keep after SIGKILL.
 */
const [dataDir, secretsFile] = process.argv.slice(2) as [string, string];
const opened = await openLedger({
  dataDir,
  secrets: createFileSecretStore(secretsFile),
  createIfMissing: true,
});
process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  const count = 1 + (n % 7);
  const { value } = opened.ledger.transactSync((w) =>
    w.append(
      Array.from({ length: count }, (_, i) => ({ type: 'test.crash', actor: 'child', payload: { n, i } })),
    ),
  );
  process.stdout.write(`${value[value.length - 1]}\n`);
  await opened.ledger.syncCheckpointCopy();
}
