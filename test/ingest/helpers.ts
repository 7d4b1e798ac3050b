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
export async function freshContext(
  dataDir = tempDir(),
): Promise<
  Workspace & { dataDir: string; close(): void; secrets: ReturnType<typeof createMemorySecretStore> }
> {
  const secrets = createMemorySecretStore();
  const o = await openLedger({ dataDir, secrets, createIfMissing: true });
  opened.push(o);
  return { ...workspaceFor(o, projections), secrets, close: () => o.close() };
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
