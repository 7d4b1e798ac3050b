import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/core/ledger/bundle';
import { openLedgerReadOnly } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { openTestLedger, removedAfterEach, sampleEntries } from './helpers';

/** Issue 17 scope 7: verify, checkpoint and export on a second, read-only connection while the app writes. */

const made = removedAfterEach();

describe('a read-only second connection while the app holds the ledger', () => {
  it('verifies while the writer keeps appending, writes nothing, and exports up to the last signed head', async () => {
    const app = await openTestLedger();
    made.push(app.dataDir);
    await app.ledger.transactEntries(sampleEntries(40));
    const reader = await openLedgerReadOnly({ dataDir: app.dataDir, secrets: app.secrets });
    try {
      expect(reader.ledger.readOnly).toBe(true);
      expect(reader.ledger.blocked).toBeNull();
      // The app appends while the second connection verifies.
      const [verdict] = await Promise.all([
        verifyLedger(reader.ledger),
        (async () => {
          for (let i = 0; i < 5; i++) await app.ledger.transactEntries(sampleEntries(3, 100 + i * 3));
        })(),
      ]);
      expect(verdict.status).toBe('consistent');
      await expect(reader.ledger.transactEntries(sampleEntries(1))).rejects.toThrow('read-only');
      const size = app.ledger.size;
      const file = path.join(app.dataDir, 'exports', 'ro.bundle');
      const result = await exportBundle(
        { ledger: reader.ledger, checkpoint: () => Promise.reject(new Error('must not append')) },
        file,
        { actor: 'auditor-1' },
      );
      expect(result.alarm).toBeNull();
      expect(result.end).toBeLessThanOrEqual(size);
      expect(app.ledger.size).toBe(size);
      // The writer's verified mark was not moved by the reader.
      const mark = app.installation.db
        .prepare("SELECT count(*) FROM ledger_state WHERE name = 'verified-frontier'")
        .pluck()
        .get();
      expect(mark).toBe(0);
    } finally {
      reader.close();
      app.close();
    }
  });

  it('still finds a rollback, read-only, without touching the keychain copy', async () => {
    const x = await openTestLedger();
    made.push(x.dataDir);
    await x.ledger.transactEntries(sampleEntries(3));
    x.close();
    const older = fs.readFileSync(path.join(x.dataDir, 'ledger.db'));
    const y = await openTestLedger(x.dataDir, x.secrets);
    await y.ledger.transactEntries(sampleEntries(3));
    y.close();
    fs.writeFileSync(path.join(x.dataDir, 'ledger.db'), older);
    const reader = await openLedgerReadOnly({ dataDir: x.dataDir, secrets: x.secrets });
    try {
      expect(reader.ledger.blocked).toContain('are gone');
      expect((await verifyLedger(reader.ledger)).status).toBe('inconsistent');
    } finally {
      reader.close();
    }
  });
});
