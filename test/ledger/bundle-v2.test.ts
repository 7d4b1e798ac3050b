import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type BundleVerifyReport } from '../../src/core/ledger/audit-verify';
import { parseBundle } from '../../src/core/ledger/audit-verify/bundle-format';
import { exportBundle } from '../../src/core/ledger/bundle';
import { parseVerifierKey, type NoteVerifier } from '../../src/core/ledger/note';
import { asVersion1, openTestLedger, v1Manifest, sampleEntries, type Opened } from './helpers';

/**
 * Issue 17 scope 3: format version 2 signs the whole header, so every byte of a bundle is covered
 * (every byte flipped is in second-verifier.test.ts, for both verifiers); version 1 still
 * verifies with a note; a version 2 bundle relabelled as version 1 is refused.
 */

let o: Opened;
let bundle: Buffer;
let key: NoteVerifier;

const check = (bytes: Buffer): Promise<BundleVerifyReport> => verifyBundle(bytes, { trustedKeys: [key] });

beforeAll(async () => {
  o = await openTestLedger();
  await o.ledger.transactEntries(sampleEntries(3));
  await o.ledger.transactEntries(sampleEntries(2, 3));
  const file = path.join(o.dataDir, 'exports', 'small.bundle');
  await exportBundle({ ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) }, file, {
    actor: 'auditor-1',
  });
  bundle = fs.readFileSync(file);
  key = parseVerifierKey(o.ledger.signingKeys().current.vkey);
});

afterAll(() => {
  o.close();
  fs.rmSync(o.dataDir, { recursive: true, force: true });
});

describe('audit bundle format version 2', () => {
  it('a genuine bundle is version 2 and consistent, with no note about an unsigned header', async () => {
    expect(bundle.subarray(0, 25).toString()).toBe('custodia-audit-bundle/v2\n');
    const report = await check(bundle);
    expect(report.verdict.status).toBe('consistent');
    expect(report.notes.join(' ')).not.toContain('not covered');
  });

  it('version 1 still verifies, with a note that its header is unsigned', async () => {
    const report = await check(asVersion1(bundle, v1Manifest(bundle, o)));
    expect(report.verdict.status).toBe('consistent');
    expect(report.notes.join(' ')).toContain('format version 1: the header');
  });

  it('a version 2 bundle relabelled as version 1 is refused: the signature covers the version', async () => {
    const parsed = parseBundle(bundle);
    const report = await check(asVersion1(bundle, parsed.header.manifest));
    expect(report.verdict.status).toBe('inconsistent');
    expect(report.verdict.message).toContain('relabelled');
  });
});
