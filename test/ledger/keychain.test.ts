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
    second.close();
    fs.writeFileSync(path.join(dataDir, 'ledger.db'), older);

    const third = await openLedger({ dataDir, secrets, createIfMissing: false });
    try {
      expect(third.installation.installId).toBe(installId);
      expect(third.ledger.alarms().map((a) => a.kind)).toEqual(['rollback']);
      expect(third.ledger.alarms()[0]!.message).toContain('records 5..10 are gone');
      // The rollback is itself recorded and signed; the surviving history still verifies.
      expect((await verifyLedger(third.ledger)).status).toBe('consistent');
    } finally {
      third.close();
    }
  });
});
