import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { caller } from '../inventory/helpers';
import { staffPharmacy, TEST_SCRYPT, value } from '../inventory/helpers';

export { caller, entriesOf, PASSWORDS, signIn, value } from '../inventory/helpers';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A core on a fresh data folder with keys in memory, staffed (admin, tess, phil, cora, ava, paula). */
export async function staffedCore(): Promise<{
  core: Core;
  ids: Awaited<ReturnType<typeof staffPharmacy>>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-quarantine-'));
  made.push(dataDir);
  const core = createCore({
    version: 'test',
    dataDir,
    log: silentLog,
    secrets: createMemorySecretStore(),
    scryptCost: TEST_SCRYPT,
  });
  const ids = await staffPharmacy(core);
  return { core, ids };
}

/** Imports partner files through the router as the signed-in person on `call`. */
export async function importThrough(
  call: ReturnType<typeof caller>,
  files: { name: string; text: string }[],
): Promise<{ results: { status: string; quarantineId?: number }[] }> {
  return value(
    call('ingest.import', {
      files: files.map((f) => ({ name: f.name, base64: Buffer.from(f.text).toString('base64') })),
    }),
  );
}
