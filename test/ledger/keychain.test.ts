import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../src/core/secrets/names';
import { openLedger } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { freshKeychainScope, requireKeyring } from '../secrets/keyring';
import { sampleEntries, tempDir } from './helpers';

/** Against the real Secret Service (scripts/with-keyring.sh): where the signing key and the checkpoint copy live. */
describe('ledger and the OS keychain', () => {
  it('keeps the signing key and the latest checkpoint in the keychain, and catches an older database copy', async () => {
    requireKeyring();
    const secrets = freshKeychainScope();
    const dataDir = tempDir();
    const first = await openLedger({ dataDir, secrets, createIfMissing: true });
    const installId = first.installation.installId;
    await first.ledger.transactEntries(sampleEntries(4));
    const copy = await first.installation.secrets.get(SECRET_NAMES.ledgerCheckpoint);
    expect(copy).toBe(first.ledger.latestCheckpoint().note);
    expect(await first.installation.secrets.get(SECRET_NAMES.ledgerSigningKeys)).toContain('PRIVATE+KEY+');
    expect(first.installation.recoverableSecretNames()).toEqual(
      expect.arrayContaining([SECRET_NAMES.ledgerSigningKeys, SECRET_NAMES.ledgerCheckpoint]),
    );
    first.close();
    const older = fs.readFileSync(path.join(dataDir, 'ledger.db'));

    const second = await openLedger({ dataDir, secrets, createIfMissing: false });
    await second.ledger.transactEntries(sampleEntries(6));
    const latest = second.ledger.latestCheckpoint().note;
    second.close();
    fs.writeFileSync(path.join(dataDir, 'ledger.db'), older);

    const third = await openLedger({ dataDir, secrets, createIfMissing: false });
    try {
      expect(third.installation.installId).toBe(installId);
      expect(third.ledger.alarms().map((a) => a.kind)).toEqual(['rollback']);
      expect(third.ledger.alarms()[0]!.message).toContain('records 5..10 are gone');
      // Nothing is appended or signed over the smaller tree, the keychain keeps the larger one,
      // and verification fails while the alarm stands.
      const verdict = await verifyLedger(third.ledger);
      expect(verdict.status).toBe('inconsistent');
      expect(verdict.message).toContain('records 5..10 are gone');
      expect(third.ledger.size).toBe(5);
      await expect(third.ledger.transactEntries(sampleEntries(1))).rejects.toThrow('records 5..10 are gone');
      expect(await third.installation.secrets.get(SECRET_NAMES.ledgerCheckpoint)).toBe(latest);
    } finally {
      third.close();
    }
  });
});
