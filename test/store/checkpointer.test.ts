import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type OpenLedger } from '../../src/core/ledger/open';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';

const dirs: string[] = [];
const opened: OpenLedger[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function fresh(): Promise<{
  dataDir: string;
  secrets: ReturnType<typeof createMemorySecretStore>;
  o: OpenLedger;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-ckpt-'));
  dirs.push(dataDir);
  const secrets = createMemorySecretStore();
  const o = await openLedger({ dataDir, secrets, createIfMissing: true });
  opened.push(o);
  return { dataDir, secrets, o };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('WAL checkpoints off the committing thread', () => {
  it('the committing connection does not checkpoint; the worker does, and a closed ledger.db is whole', async () => {
    const { dataDir, secrets, o } = await fresh();
    const db = o.installation.db;
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 0);
    const payload = 'x'.repeat(2000);
    for (let i = 0; i < 5; i++) {
      await o.ledger.transactEntries(
        Array.from({ length: 500 }, (_, n) => ({
          type: 'test.bulk',
          actor: 'test',
          payload: { i, n, payload },
        })),
      );
    }
    // The worker's PASSIVE checkpoints copied the frames into ledger.db: it grew past the WAL's start.
    const ledgerFile = path.join(dataDir, 'ledger.db');
    await until(() => fs.statSync(ledgerFile).size > 2500 * 2000);
    const size = o.ledger.size;
    o.close();
    opened.splice(0);
    // After close, ledger.db alone holds everything: copy it without its WAL and open the copy.
    expect(fs.existsSync(`${ledgerFile}-wal`) ? fs.statSync(`${ledgerFile}-wal`).size : 0).toBe(0);
    const again = await openLedger({ dataDir, secrets, createIfMissing: false });
    opened.push(again);
    expect(again.ledger.size).toBe(size);
  });
});

describe('closing while the checkpoint worker is still opening', () => {
  // CI once aborted a whole test worker with "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal":
  // close() terminated the checkpoint thread while it was inside a SQLite call. close() now asks the
  // thread to close its connection and waits for it; this opens and closes at once, many times.
  it('closes cleanly every time, and the process lives on', async () => {
    const { dataDir, secrets, o } = await fresh();
    o.close();
    opened.splice(0);
    for (let round = 0; round < 20; round++) {
      const again = await openLedger({ dataDir, secrets, createIfMissing: false });
      again.close();
    }
    const last = await openLedger({ dataDir, secrets, createIfMissing: false });
    opened.push(last);
    expect(last.ledger.size).toBeGreaterThan(0);
  });
});
