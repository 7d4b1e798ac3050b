import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerService } from '../../src/core/ledger/service';
import { projections } from '../../src/core/projections';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';

const services: LedgerService[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function service(): LedgerService {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-snapshot-'));
  dirs.push(dataDir);
  const s = new LedgerService({
    dataDir,
    appVersion: 'test',
    log: { info: () => {}, warn: () => {}, error: () => {} },
    emit: () => {},
    projections,
    secrets: createMemorySecretStore(),
  });
  services.push(s);
  return s;
}

const entryCount = (s: LedgerService) =>
  s.read((snap) => ({
    leaves: snap.db.prepare('SELECT count(*) FROM ledger_leaves').pluck().get() as number,
    checkpoint: snap.checkpoint?.size ?? null,
  }));

describe('snapshot reads (ledger/snapshot.ts)', () => {
  it('see the last commit, with its checkpoint, while a long write is open, and do not wait for it', async () => {
    const s = service();
    await s.use((ws) => ws.write((tx) => tx.record('test.before', 'system', { n: 1 })));
    const before = await entryCount(s);
    expect(before.leaves).toBeGreaterThan(0);
    expect(before.checkpoint).toBe(before.leaves);

    let release!: () => void;
    let appended!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const appendedOnce = new Promise<void>((resolve) => (appended = resolve));
    const opened = await s.use((ws) => ws);
    const long = opened.writeAcrossAwaits(async (tx) => {
      for (let i = 0; i < 50; i++) tx.record('test.during', 'system', { i });
      appended();
      await gate;
    });
    await appendedOnce;
    // The write holds its transaction open: a snapshot read answers at once, with the state before it.
    const started = Date.now();
    const during = await entryCount(s);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(during).toEqual(before);

    release();
    await long;
    const after = await entryCount(s);
    expect(after.leaves).toBe(before.leaves + 50);
    expect(after.checkpoint).toBe(after.leaves);
  });

  it('is read-only: a write on the snapshot connection is refused and changes nothing', async () => {
    const s = service();
    await s.use((ws) => ws.write((tx) => tx.record('test.one', 'system', {})));
    await expect(
      s.read((snap) => snap.db.prepare("DELETE FROM ledger_leaves WHERE type = 'test.one'").run()),
    ).rejects.toThrow(/readonly|read-only/i);
    expect((await entryCount(s)).leaves).toBeGreaterThan(0);
  });
});
