import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_ENTRY, ACCESS_OUTBOX_STATE, AccessOutbox } from '../../src/core/ledger/access-log';
import { LedgerService } from '../../src/core/ledger/service';
import { projections } from '../../src/core/projections';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';

/*
 * Access entries of reads that ran while an import held the writer (ledger/access-log.ts
 * AccessOutbox): written durably before the answer, appended when the writer is free, never lost
 * (a crash leaves the file, the next open appends it) and never twice (the ledger remembers the
 * last file it appended, in the same transaction).
 */

const services: LedgerService[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function service(dataDir: string, secrets: SecretStore): LedgerService {
  const s = new LedgerService({
    dataDir,
    appVersion: 'test',
    log: { info: () => {}, warn: () => {}, error: () => {} },
    emit: () => {},
    projections,
    secrets,
  });
  services.push(s);
  return s;
}

const accessEntries = (s: LedgerService) =>
  s.read(
    (snap) =>
      snap.db
        .prepare('SELECT count(*) FROM ledger_leaves WHERE type = ?')
        .pluck()
        .get(ACCESS_ENTRY) as number,
  );

const entry = (n: number) => ({
  type: ACCESS_ENTRY,
  actor: 'user-1',
  payload: { procedure: 'trace.lookup', transport: 'ipc', records: { trace_ids: [n] }, identifiers: 1 },
});

describe('held access entries (the outbox)', () => {
  it('during a long write: held on disk at once, appended when the write ends', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-outbox-'));
    dirs.push(dataDir);
    const s = service(dataDir, createMemorySecretStore());
    const ws = await s.use((w) => w);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const long = ws.writeAcrossAwaits(async (tx) => {
      tx.record('test.long', 'system', {});
      await gate;
    });
    await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await s.recordAccess(entry(7));
    expect(performance.now() - started).toBeLessThan(1000);
    const outbox = new AccessOutbox(path.join(dataDir, 'access-pending'));
    expect(outbox.held().map((h) => h.entry.payload)).toEqual([entry(7).payload]);
    expect(await accessEntries(s)).toBe(0);

    release();
    await long;
    await s.drainAccess();
    expect(await accessEntries(s)).toBe(1);
    expect(outbox.held()).toEqual([]);
  });

  it('after a crash: a held file is appended on the next open, and one already appended is not appended again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-outbox-'));
    dirs.push(dataDir);
    const secrets = createMemorySecretStore();
    const first = service(dataDir, secrets);
    await first.use(() => undefined);
    const outbox = new AccessOutbox(path.join(dataDir, 'access-pending'));
    // One file whose append committed before the crash (the ledger names it), one that never was.
    const appended = outbox.hold({ ...entry(1), time: 1 });
    await first.use((ws) =>
      ws.write((tx) => {
        tx.append([{ ...entry(1), time: 1 }]);
        tx.db
          .prepare('INSERT INTO ledger_state (name, value) VALUES (?, ?)')
          .run(ACCESS_OUTBOX_STATE, Buffer.from(appended, 'utf8'));
      }),
    );
    outbox.hold({ ...entry(2), time: 2 });
    first.close();

    const second = service(dataDir, secrets);
    await second.use(() => undefined);
    await second.drainAccess();
    expect(await accessEntries(second)).toBe(2);
    expect(outbox.held()).toEqual([]);
  });
});
