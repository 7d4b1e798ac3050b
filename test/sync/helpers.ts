import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openLedger, workspaceFor, type OpenLedger } from '../../src/core/ledger/open';
import type { Workspace } from '../../src/core/ledger/workspace';
import { projections } from '../../src/core/projections';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { savePartner } from '../../src/core/partners';
import { DEFAULT_SYNC, type SyncDeps, type SyncSettings } from '../../src/core/sync';
import { withCheck } from '../support/synthetic';
import type { PartnerSim } from '../support/partner-sim/server';

export const OUR_GLN = withCheck('061414100000');
export const SELLER_GLN = withCheck('039999999999');
export const GTIN = withCheck('0030001012345');

const made: string[] = [];
const opened: OpenLedger[] = [];
const sims: PartnerSim[] = [];

export function tempDir(prefix = 'custodia-sync-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function track(sim: PartnerSim): PartnerSim {
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
  for (const o of opened.splice(0)) o.close();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Short waits for tests: a 300 ms capture job, quick retries. */
export const FAST: SyncSettings = {
  ...DEFAULT_SYNC,
  retry: { attempts: 8, baseMs: 5, capMs: 40, maxRetryAfterMs: 2_000 },
  timeoutMs: 1_000,
  captureGraceMs: 600,
  pollIntervalMs: 100,
  maxPolls: 20,
};

export async function freshLedger(
  secrets: SecretStore = createMemorySecretStore(),
): Promise<SyncDeps & { ws: Workspace; dataDir: string }> {
  const dataDir = tempDir();
  const o = await openLedger({ dataDir, secrets, createIfMissing: true });
  opened.push(o);
  const ws = workspaceFor(o, projections);
  await savePartner(
    ws,
    { name: 'Main Street Pharmacy', role: 'self', authorized: true, glns: [OUR_GLN] },
    'test-user',
  );
  return { ws, secrets: o.installation.secrets, settings: FAST, dataDir };
}
