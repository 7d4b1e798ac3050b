import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/core/api/router';
import { createCore } from '../../src/core/app';
import { backupLedger, listBackups, restoreBackup } from '../../src/core/ledger/backup';
import { openCheckpoint } from '../../src/core/ledger/checkpoint';
import { verifyLedger } from '../../src/core/ledger/verify';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { openTestLedger, removedAfterEach, sampleEntries, tempDir } from './helpers';

/** Issue 17 scope 1a: backups encrypted as the ledger, each with its signed checkpoint, and restore. */

const made = removedAfterEach();

describe('ledger backups', () => {
  it('a backup is encrypted, carries its signed checkpoint, and restores over a damaged ledger', async () => {
    const x = await openTestLedger();
    const folder = tempDir('custodia-backups-');
    made.push(x.dataDir, folder);
    for (let i = 0; i < 10; i++) await x.ledger.transactEntries(sampleEntries(50, i * 50));
    const size = x.ledger.size;
    const verifiers = x.ledger.keychainVerifiers();
    const backup = await backupLedger(x.ledger, folder);
    x.close();

    expect(listBackups(folder)).toEqual([backup.file]);
    expect(backup.size).toBe(size);
    const bytes = fs.readFileSync(backup.file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toContain('SQLite format');
    expect(bytes.includes('entry 12')).toBe(false);
    expect((fs.statSync(backup.file).mode & 0o777).toString(8)).toBe('600');
    const cp = openCheckpoint(fs.readFileSync(backup.checkpointFile, 'utf8'), verifiers);
    expect(cp).toMatchObject({ ok: true, checkpoint: { size } });

    // Damage the ledger, then restore: the backup is as new as the last checkpoint signed.
    const dbFile = path.join(x.dataDir, 'ledger.db');
    const damaged = fs.readFileSync(dbFile);
    for (let i = 0; i < 64; i++) damaged[Math.floor(damaged.length / 2) + i] = 0;
    fs.writeFileSync(dbFile, damaged);
    const restored = await restoreBackup({ dataDir: x.dataDir, file: backup.file, secrets: x.secrets });
    expect(restored.size).toBe(size);
    expect(restored.replaced).not.toBeNull();
    expect(fs.readFileSync(restored.replaced!)).toEqual(damaged);
    expect(fs.readdirSync(x.dataDir).filter((n) => n.startsWith('restoring-'))).toEqual([]);

    const y = await openTestLedger(x.dataDir, x.secrets);
    try {
      expect(y.ledger.blocked).toBeNull();
      expect((await verifyLedger(y.ledger)).status).toBe('consistent');
      await y.ledger.transactEntries(sampleEntries(1));
      expect(y.ledger.size).toBe(size + 1);
    } finally {
      y.close();
    }
  });

  it('an older backup is refused with what it would lose; the ledger is left as it was', async () => {
    const x = await openTestLedger();
    const folder = tempDir('custodia-backups-');
    made.push(x.dataDir, folder);
    await x.ledger.transactEntries(sampleEntries(5));
    const backup = await backupLedger(x.ledger, folder);
    await x.ledger.transactEntries(sampleEntries(5, 5));
    x.close();
    const before = fs.readFileSync(path.join(x.dataDir, 'ledger.db'));
    await expect(
      restoreBackup({ dataDir: x.dataDir, file: backup.file, secrets: x.secrets }),
    ).rejects.toThrow(/cannot be restored: .*records 6\.\.10 are gone/);
    expect(fs.readFileSync(path.join(x.dataDir, 'ledger.db'))).toEqual(before);
    const y = await openTestLedger(x.dataDir, x.secrets);
    try {
      expect(y.ledger.blocked).toBeNull();
      expect(y.ledger.size).toBe(11);
    } finally {
      y.close();
    }
  });

  it('refuses to restore while the ledger is open (the writer lock)', async () => {
    const x = await openTestLedger();
    const folder = tempDir('custodia-backups-');
    made.push(x.dataDir, folder);
    const backup = await backupLedger(x.ledger, folder);
    try {
      await expect(
        restoreBackup({ dataDir: x.dataDir, file: backup.file, secrets: x.secrets }),
      ).rejects.toThrow(/in use|another/);
    } finally {
      x.close();
    }
  });

  it('the Settings procedures: a folder chosen once, a backup now, the newest listed; administrators only', async () => {
    const dataDir = tempDir();
    const folder = tempDir('custodia-backups-');
    made.push(dataDir, folder);
    const core = createCore({ version: 'test', dataDir, log: silentLog, secrets: createMemorySecretStore() });
    const admin: CallContext = {
      transport: 'cli',
      principal: { userId: 'u-a', username: 'ada', displayName: 'Ada', roles: ['administrator'] },
      emit: () => undefined,
    };
    try {
      expect(await core.router.call(admin, 'ledger.backups', {})).toMatchObject({
        ok: true,
        value: { folder: null, backups: [] },
      });
      expect(await core.router.call(admin, 'ledger.backup', {})).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
      const made1 = await core.router.call(admin, 'ledger.backup', { folder });
      expect(made1).toMatchObject({ ok: true, value: { folder } });
      const listed = await core.router.call(admin, 'ledger.backups', {});
      expect((listed as { value: { backups: { records: number }[] } }).value.backups).toHaveLength(1);
      expect(
        (listed as { value: { backups: { records: number }[] } }).value.backups[0]!.records,
      ).toBeGreaterThan(0);
      const technician = { ...admin, principal: { ...admin.principal!, roles: ['technician' as const] } };
      expect(await core.router.call(technician, 'ledger.backup', { folder })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    } finally {
      await core.close();
    }
  });
});
