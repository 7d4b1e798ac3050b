import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { openLedger } from '../../src/core/ledger/open';
import { requireKeyring } from '../secrets/keyring';
import { sampleEntries, tempDir } from './helpers';

/**
 * Issue 17 through the command line and the OS keychain (scripts/with-keyring.sh): `ledger verify`
 * while another process holds the ledger (a second, read-only connection), a rollback that makes
 * it exit non-zero with the cause, and `backup` / `backup restore`.
 */
requireKeyring();

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readStdin: async () => '',
    env: {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('custodia ledger verify, ledger checkpoint and backup (CLI, OS keychain)', () => {
  it('verifies while the ledger is held, fails on a rollback, and refuses a backup older than the last checkpoint', async () => {
    const dataDir = tempDir();
    const backups = tempDir('custodia-backups-');
    try {
      const held = await openLedger({ dataDir, createIfMissing: true });
      await held.ledger.transactEntries(sampleEntries(4));
      try {
        // The app (here: this handle) holds the writer lock; verify and checkpoint read beside it.
        const verified = await cli(['ledger', 'verify', '--data', dataDir]);
        expect(verified.out).toContain('consistent: all 5 records');
        expect(verified.code).toBe(0);
        const checkpoint = await cli(['ledger', 'checkpoint', '--data', dataDir]);
        expect(checkpoint.code).toBe(0);
        expect(checkpoint.out).toContain(`\n5\n`);
      } finally {
        held.close();
      }
      const backup = await cli(['backup', '--to', backups, '--data', dataDir]);
      expect(backup.code).toBe(0);
      expect(backup.out).toContain('Backed up 5 records');
      const backupFile = fs.readdirSync(backups).find((n) => n.endsWith('.db'))!;
      const older = fs.readFileSync(path.join(dataDir, 'ledger.db'));

      const again = await openLedger({ dataDir, createIfMissing: false });
      await again.ledger.transactEntries(sampleEntries(3));
      again.close();
      fs.writeFileSync(path.join(dataDir, 'ledger.db'), older);
      const rolledBack = await cli(['ledger', 'verify', '--data', dataDir]);
      expect(rolledBack.code).toBe(1);
      expect(rolledBack.out).toContain('records 5..7 are gone');
      // The backup is as old as the copy that was rolled back to: older than the last signed
      // checkpoint, so it cannot be restored either; the message says what would be lost.
      const refused = await cli(['backup', 'restore', path.join(backups, backupFile), '--data', dataDir]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('cannot be restored');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(backups, { recursive: true, force: true });
    }
  });
});
