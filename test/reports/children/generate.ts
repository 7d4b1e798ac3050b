import crypto from 'node:crypto';
import { openLedger } from '../../../src/core/ledger/open';
import { readSnapshot } from '../../../src/core/ledger/snapshot';
import { workspaceFor } from '../../../src/core/ledger/open';
import { projections } from '../../../src/core/projections';
import { buildReport, renderReport, type ReportRequest } from '../../../src/core/reports/engine';
import { createFileSecretStore } from '../../ledger/file-secret-store';

/*
 * A child process of determinism.test.ts: opens the data folder, generates each request at the
 * given checkpoint and prints the SHA-256 of every file with the time zone, locale and clock it
 * ran under. Nothing is written to the ledger.
 */
const [dataDir, secretsFile, requestsJson] = process.argv.slice(2) as [string, string, string];
const requests = JSON.parse(requestsJson) as (ReportRequest & { name: string })[];
const opened = await openLedger({
  dataDir,
  secrets: createFileSecretStore(secretsFile),
  createIfMissing: false,
});
const ws = workspaceFor(opened, projections);
const hashes: Record<string, string> = {};
try {
  for (const request of requests) {
    const built = readSnapshot(opened.installation.reader(), { sealer: ws.sealer, dataDir }, (s) =>
      buildReport(s, request),
    );
    const bytes = await renderReport(built, request.format);
    hashes[request.name] = crypto.createHash('sha256').update(bytes).digest('hex');
  }
} finally {
  opened.close();
}
process.stdout.write(
  JSON.stringify({
    hashes,
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
    now: new Date().toString(),
  }),
);
