import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/core/ledger/audit-verify';
import { exportBundle } from '../../src/core/ledger/bundle';
import { openCheckpoint } from '../../src/core/ledger/checkpoint';
import { decodeLeaf } from '../../src/core/ledger/leaf';
import { verifyInclusion, leafHash } from '../../src/core/ledger/merkle';
import { parseVerifierKey } from '../../src/core/ledger/note';
import { rotateSigningKey } from '../../src/core/ledger/rotation';
import { verifyLedger } from '../../src/core/ledger/verify';
import { openTestLedger, sampleEntries } from './helpers';

describe('ledger', () => {
  it('creates genesis and a first checkpoint, appends in batches, and verifies', async () => {
    const o = await openTestLedger();
    try {
      expect(o.ledger.size).toBe(1);
      const genesis = decodeLeaf(o.ledger.leaf(0)!);
      expect(genesis).toMatchObject({ seq: 0, type: 'ledger.genesis', actor: 'system', version: 1 });
      for (let i = 0; i < 10; i++) await o.ledger.transactEntries(sampleEntries(37, i * 37));
      expect(o.ledger.size).toBe(371);
      const cp = o.ledger.latestCheckpoint();
      const opened = openCheckpoint(cp.note, [parseVerifierKey(o.ledger.signingKeys().current.vkey)]);
      expect(opened).toMatchObject({ ok: true, checkpoint: { size: 371 } });
      const progress: number[] = [];
      const verdict = await verifyLedger(o.ledger, { onProgress: (done) => progress.push(done) });
      expect(verdict).toMatchObject({ status: 'consistent', records: 371, checkpoints: 11 });
      expect(progress.at(-1)).toBe(371);
      // An inclusion proof for every record verifies against the latest root.
      for (const seq of [0, 1, 255, 256, 300, 370]) {
        const proof = o.ledger.inclusionProof(seq, 371);
        expect(verifyInclusion(seq, 371, leafHash(o.ledger.leaf(seq)!), proof, cp.root)).toBe(true);
      }
    } finally {
      o.close();
    }
  });

  it('refuses UPDATE and DELETE on ledger tables (trigger), and rolls back a failed batch whole', async () => {
    const o = await openTestLedger();
    try {
      const db = o.installation.db;
      for (const sql of [
        "UPDATE ledger_leaves SET type = 'x.y' WHERE seq = 0",
        'DELETE FROM ledger_leaves WHERE seq = 0',
        'DELETE FROM ledger_checkpoints',
        'DELETE FROM ledger_nodes',
        'UPDATE ledger_keys SET valid_from_size = 3',
      ]) {
        if (sql.includes('ledger_nodes')) continue; // no node yet below 256 records
        expect(() => db.prepare(sql).run(), sql).toThrow(/append-only/);
      }
      db.exec('CREATE TABLE projection (n INTEGER) STRICT');
      await expect(
        o.ledger.transact((w) => {
          w.append(sampleEntries(3));
          w.db.prepare('INSERT INTO projection VALUES (1)').run();
          throw new Error('business rule refused it');
        }),
      ).rejects.toThrow('business rule');
      expect(o.ledger.size).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM projection').get()).toEqual({ n: 0 });
      await o.ledger.transact((w) => {
        w.append(sampleEntries(2));
        w.db.prepare('INSERT INTO projection VALUES (2)').run();
      });
      expect(o.ledger.size).toBe(3);
      expect(db.prepare('SELECT count(*) AS n FROM projection').get()).toEqual({ n: 1 });
      expect(() =>
        o.ledger.transactSync((w) => w.append([{ type: 'bad type', actor: 'a', payload: {} }])),
      ).toThrow();
      expect(() =>
        o.ledger.transactSync((w) => w.append([{ type: 'a.b', actor: 'a', payload: { x: NaN } }])),
      ).toThrow();
      expect(() =>
        o.ledger.transactSync((w) => w.append([{ type: 'a.b', actor: 'a', payload: {}, time: 1.5 }])),
      ).toThrow();
      expect(o.ledger.size).toBe(3);
    } finally {
      o.close();
    }
  });

  it('exports a bundle that the standalone verifier finds consistent, also a time slice', async () => {
    let t = 1_700_000_000_000;
    const o = await openTestLedger(undefined, undefined, { now: () => t });
    try {
      for (let i = 0; i < 6; i++) {
        t += 1000;
        await o.ledger.transactEntries(sampleEntries(50, i * 50));
      }
      t += 1000;
      const earlier = o.ledger.latestCheckpoint().note;
      await o.ledger.transactEntries(sampleEntries(10, 300));
      const file = path.join(o.dataDir, 'exports', 'all.bundle');
      const result = await exportBundle(
        { ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) },
        file,
        { actor: 'auditor-1' },
      );
      expect(result).toMatchObject({ first: 0, end: o.ledger.size });
      const key = parseVerifierKey(o.ledger.signingKeys().current.vkey);
      const report = await verifyBundle(fs.readFileSync(file), {
        trustedKeys: [key],
        externalCheckpoints: [{ name: 'earlier.txt', text: earlier }],
      });
      expect(report.verdict, report.verdict.message).toMatchObject({
        status: 'consistent',
        records: o.ledger.size,
      });
      const slice = path.join(o.dataDir, 'exports', 'slice.bundle');
      const sliced = await exportBundle(
        { ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) },
        slice,
        {
          actor: 'auditor-1',
          fromMs: t - 3500,
          toMs: t - 2500,
        },
      );
      expect(sliced.first).toBeGreaterThan(0);
      expect(sliced.end).toBeLessThan(o.ledger.size);
      const sliceReport = await verifyBundle(fs.readFileSync(slice), { trustedKeys: [key] });
      expect(sliceReport.verdict, sliceReport.verdict.message).toMatchObject({ status: 'consistent' });
      expect(sliceReport.verdict.message).toContain(`records ${sliced.first}..`);
    } finally {
      o.close();
    }
  });

  it('rotates the signing key: dual signatures in the overlap, old-key anchors still verify, then new only', async () => {
    let now = 1_800_000_000_000;
    const o = await openTestLedger(undefined, undefined, { now: () => now });
    try {
      const oldKey = parseVerifierKey(o.ledger.signingKeys().current.vkey);
      await o.ledger.transactEntries(sampleEntries(5));
      const rotation = await rotateSigningKey(o.ledger, { actor: 'admin', overlapMs: 1000, now });
      const newKey = parseVerifierKey(rotation.newKey);
      await o.ledger.transactEntries(sampleEntries(5));
      const during = o.ledger.latestCheckpoint().note;
      expect(openCheckpoint(during, [oldKey]).ok).toBe(true);
      expect(openCheckpoint(during, [newKey]).ok).toBe(true);
      now += 2000;
      await o.ledger.transactEntries(sampleEntries(5));
      const after = o.ledger.latestCheckpoint().note;
      expect(openCheckpoint(after, [oldKey])).toMatchObject({ ok: false, reason: 'no-known-signature' });
      expect(openCheckpoint(after, [newKey]).ok).toBe(true);
      expect(await verifyLedger(o.ledger)).toMatchObject({ status: 'consistent' });
      const file = path.join(o.dataDir, 'rot.bundle');
      await exportBundle({ ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) }, file, {
        actor: 'a',
      });
      for (const anchor of [oldKey, newKey]) {
        const report = await verifyBundle(fs.readFileSync(file), { trustedKeys: [anchor] });
        expect(report.verdict, report.verdict.message).toMatchObject({ status: 'consistent' });
      }
    } finally {
      o.close();
    }
  });

  it('signs a heartbeat when opened more than a day after the last checkpoint', async () => {
    let now = 1_800_000_000_000;
    const o = await openTestLedger(undefined, undefined, { now: () => now });
    o.close();
    now += 25 * 60 * 60 * 1000;
    const again = await openTestLedger(o.dataDir, o.secrets, { now: () => now });
    try {
      expect(again.ledger.size).toBe(2);
      expect(decodeLeaf(again.ledger.leaf(1)!).type).toBe('ledger.heartbeat');
      expect(again.ledger.latestCheckpoint().signedMs).toBe(now);
    } finally {
      again.close();
    }
  });
});
