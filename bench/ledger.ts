import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyBundle } from '../src/core/ledger/audit-verify';
import { exportBundle } from '../src/core/ledger/bundle';
import { openLedger } from '../src/core/ledger/open';
import { parseVerifierKey } from '../src/core/ledger/note';
import { verifyLedger } from '../src/core/ledger/verify';
import { createMemorySecretStore } from '../src/core/secrets/memory-store';
import { openEncryptedDatabase } from '../src/core/store/database';
import type { Report } from './report';

/**
 * The three ledger figures of issue 3, each against a baseline measured in the same run:
 * - append: entries/s through Ledger.write (canonical JSON, insert, tree, a signed checkpoint per
 *   batch) vs plain SQLCipher inserts of the same leaf bytes in the same batches; goal >= 0.5.
 * - verify: entries/s of a full `ledger verify` vs Node SHA-256 (createHash) over the same leaf
 *   bytes in memory; goal >= 0.7 and 1M in under 3 s.
 * - bundle-verify: the standalone verifier on an exported bundle, same baseline and goal.
 * The keychain is an in-memory store here: this measures the ledger, not D-Bus (one keychain
 * write per batch is coalesced and costs about a millisecond with gnome-keyring).
 */
export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_ENTRIES ?? 1_000_000);
  const batch = Number(process.env.CUSTODIA_BENCH_BATCH ?? 1000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-ledger-'));
  const secrets = createMemorySecretStore();
  const opened = await openLedger({ dataDir: path.join(root, 'data'), secrets, createIfMissing: true });
  try {
    const { ledger } = opened;
    const entries = (from: number) =>
      Array.from({ length: Math.min(batch, count - from) }, (_, i) => ({
        type: 'inventory.received',
        actor: 'user-17',
        payload: {
          gtin: '00312345678906',
          lot: `L${(from + i) % 9973}`,
          expiry: '2027-06-30',
          quantity: ((from + i) % 50) + 1,
          serialHash: crypto
            .createHash('sha256')
            .update(String(from + i))
            .digest('base64'),
        },
      }));
    const inputs = [];
    for (let from = 0; from < count; from += batch) inputs.push(entries(from));

    let start = performance.now();
    for (const input of inputs) await ledger.write((w) => w.append(input));
    const appendMs = performance.now() - start;
    const appendRate = count / (appendMs / 1000);

    const leaves = ledger.db
      .prepare('SELECT leaf FROM ledger_leaves WHERE seq >= 1 ORDER BY seq')
      .pluck()
      .all() as Buffer[];
    const plain = openEncryptedDatabase(path.join(root, 'plain.db'), {
      key: crypto.randomBytes(32),
      create: true,
    });
    plain.exec('CREATE TABLE leaves (seq INTEGER PRIMARY KEY NOT NULL, leaf BLOB NOT NULL) STRICT');
    const insert = plain.prepare('INSERT INTO leaves (seq, leaf) VALUES (?, ?)');
    const insertBatch = plain.transaction((from: number) => {
      const end = Math.min(from + batch, leaves.length);
      for (let i = from; i < end; i++) insert.run(i, leaves[i]!);
    });
    start = performance.now();
    for (let from = 0; from < leaves.length; from += batch) insertBatch.immediate(from);
    const plainMs = performance.now() - start;
    plain.close();
    const plainRate = leaves.length / (plainMs / 1000);
    report({
      figure: 'append',
      value: Math.round(appendRate),
      unit: 'entries/s',
      baseline: Math.round(plainRate),
      ratio: +(appendRate / plainRate).toFixed(3),
      goal: '>= 0.5',
      entries: count,
      batch,
      note: 'baseline: plain SQLCipher inserts of the same leaf bytes, same batches, WAL, synchronous=FULL',
    });

    start = performance.now();
    for (const leaf of leaves) crypto.createHash('sha256').update(leaf).digest();
    const hashMs = performance.now() - start;
    const hashRate = leaves.length / (hashMs / 1000);
    const oneShot = (crypto as unknown as { hash?: (a: string, d: Buffer, e: 'buffer') => Buffer }).hash;
    let oneShotMs = Number.NaN;
    if (oneShot) {
      start = performance.now();
      for (const leaf of leaves) oneShot('sha256', leaf, 'buffer');
      oneShotMs = performance.now() - start;
    }

    start = performance.now();
    const verdict = await verifyLedger(ledger);
    const verifyMs = performance.now() - start;
    const verifyRate = ledger.size / (verifyMs / 1000);
    report({
      figure: 'verify',
      value: Math.round(verifyRate),
      unit: 'entries/s',
      baseline: Math.round(hashRate),
      ratio: +(verifyRate / hashRate).toFixed(3),
      goal: '>= 0.7 and 1M in < 3 s',
      seconds: +(verifyMs / 1000).toFixed(2),
      entries: ledger.size,
      status: verdict.status,
      ratioVsOneShotHash: +(verifyRate / (leaves.length / (oneShotMs / 1000))).toFixed(3),
      note: 'baseline: createHash(sha256) over the same leaf bytes, already in memory',
    });

    const bundleFile = path.join(root, 'audit.bundle');
    start = performance.now();
    await exportBundle(ledger, bundleFile, { actor: 'bench' });
    const exportMs = performance.now() - start;
    const bytes = fs.readFileSync(bundleFile);
    start = performance.now();
    const bundleReport = await verifyBundle(bytes, {
      trustedKeys: [parseVerifierKey(ledger.signingKeys().current.vkey)],
    });
    const bundleMs = performance.now() - start;
    const bundleRate = ledger.size / (bundleMs / 1000);
    report({
      figure: 'bundle-verify',
      value: Math.round(bundleRate),
      unit: 'entries/s',
      baseline: Math.round(hashRate),
      ratio: +(bundleRate / hashRate).toFixed(3),
      goal: '>= 0.7',
      seconds: +(bundleMs / 1000).toFixed(2),
      status: bundleReport.verdict.status,
      bundleMB: +(bytes.length / 1e6).toFixed(1),
      exportSeconds: +(exportMs / 1000).toFixed(2),
      note: 'standalone verifier on the file already read into memory; baseline as for verify',
    });
  } finally {
    opened.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
