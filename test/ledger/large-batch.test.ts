import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openLedger } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';

// A whole-file import appends tens of thousands of records in one batch; the tree is recomputed
// from stored bytes in bounded blocks before signing, and must come out the same as verification.
it('signs a batch larger than one recompute block, and the result verifies', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-large-batch-'));
  const opened = await openLedger({
    dataDir: dir,
    createIfMissing: true,
    secrets: createMemorySecretStore(),
  });
  try {
    const entries = Array.from({ length: 40_000 }, (_, i) => ({
      type: 'test.entry',
      actor: 'a',
      payload: { i },
    }));
    const { checkpoint } = await opened.ledger.transactEntries(entries);
    expect(checkpoint?.size).toBe(40_001); // genesis + the batch
    await opened.ledger.transactEntries(entries.slice(0, 5));
    expect(opened.ledger.size).toBe(40_006);
    expect((await verifyLedger(opened.ledger)).status).toBe('consistent');
  } finally {
    opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
