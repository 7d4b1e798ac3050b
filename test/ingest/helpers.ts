import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { workspaceFor } from '../../src/core/ledger/open';
import { projections } from '../../src/core/projections';
import type { Workspace } from '../../src/core/ledger/workspace';
import { importFile, type ImportRequest, type ImportResult } from '../../src/core/ingest/pipeline';
import { openLedger, type OpenLedger } from '../../src/core/ledger/open';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { savePartner } from '../../src/core/partners/store';

const made: string[] = [];
const opened: OpenLedger[] = [];

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'ingest');

export function tempDir(prefix = 'custodia-ingest-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh installation and ledger (memory keychain: this area does not test the keychain itself). */
/** The test pharmacy's own GLN (see freshContext). */
export const OWN_GLN = '0614141999996';

export async function freshContext(
  dataDir = tempDir(),
  options: { ownGln?: boolean } = {},
): Promise<
  Workspace & { dataDir: string; close(): void; secrets: ReturnType<typeof createMemorySecretStore> }
> {
  const secrets = createMemorySecretStore();
  const o = await openLedger({ dataDir, secrets, createIfMissing: true });
  opened.push(o);
  const ws = workspaceFor(o, projections);
  // A pharmacy knows its own GLN: without one, every drug shipment is held for review (issue 18,
  // FD&C Act §582(d)(3)). This one appears in no test file, so no shipment is addressed to it.
  if (options.ownGln !== false)
    await savePartner(ws, { name: 'This pharmacy', role: 'self', authorized: true, glns: [OWN_GLN] }, 'test');
  return { ...ws, secrets, close: () => o.close() };
}

export async function importText(
  ctx: Workspace,
  name: string,
  text: string | Uint8Array,
  extra: Partial<ImportRequest> = {},
): Promise<ImportResult> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return importFile(ctx, { source: { bytes }, name, origin: 'test', ...extra }, { actor: 'test-user' });
}
