import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type Verdict } from '../../src/core/ledger/audit-verify';
import {
  BUNDLE_MAGIC,
  bundlePrelude,
  encodeHeader,
  formatManifest,
  headerDigest,
  parseBundle,
  type BundleHeader,
} from '../../src/core/ledger/audit-verify/bundle-format';
import { exportBundle } from '../../src/core/ledger/bundle';
import { signCheckpoint } from '../../src/core/ledger/checkpoint';
import { encodeLeaf } from '../../src/core/ledger/leaf';
import { consistencyProof, Frontier, leafHash, perfectFromLeaves } from '../../src/core/ledger/merkle';
import {
  generateSigner,
  parseVerifierKey,
  signNote,
  type NoteSigner,
  type NoteVerifier,
} from '../../src/core/ledger/note';
import { verifyLedger } from '../../src/core/ledger/verify';
import { openTestLedger, sampleEntries, type Opened } from './helpers';

/** A bundle split into the parts an attacker would edit, and put back together. */
interface Parts {
  header: BundleHeader;
  leaves: Buffer[];
}

function split(bytes: Buffer): Parts {
  const parsed = parseBundle(bytes);
  const leaves = Array.from(parsed.starts, (s, i) => bytes.subarray(s, parsed.ends[i]!));
  return { header: JSON.parse(JSON.stringify(parsed.header)), leaves };
}

function join(parts: Parts): Buffer {
  return Buffer.concat([
    bundlePrelude(parts.header, parts.leaves.length),
    ...parts.leaves.flatMap((l) => [l, Buffer.from('\n')]),
    Buffer.from('end\n'),
  ]);
}

/** Everything a bundle needs, re-made and re-signed from arbitrary leaves: what a key holder can forge. */
function forge(
  leaves: Buffer[],
  signer: NoteSigner,
  origin: string,
  sizes: number[],
  keys: BundleHeader['keys'],
): Buffer {
  const hashes = leaves.map((l) => leafHash(l));
  const perfect = perfectFromLeaves(hashes);
  const checkpoints = sizes.map((size, i) => {
    const f = Frontier.empty();
    for (const h of hashes.slice(0, size)) f.push(h);
    return {
      note: signCheckpoint({ origin, size, root: f.root() }, [signer]),
      consistencyFromPrevious:
        i === 0 ? [] : consistencyProof(perfect, sizes[i - 1]!, size).map((h) => h.toString('base64')),
    };
  });
  const header: BundleHeader = {
    format: BUNDLE_MAGIC,
    manifest: '',
    alarm: null,
    keys,
    checkpoints,
    prefix: { size: 0, subtrees: [] },
  };
  const manifest = signNote(
    formatManifest({
      origin,
      first: 0,
      end: leaves.length,
      checkpoints: sizes.length,
      createdMs: 1,
      scopeFrom: '-',
      scopeTo: '-',
      headerDigest: headerDigest(encodeHeader(header)),
    }),
    [signer],
  );
  return join({ header: { ...header, manifest }, leaves });
}

/** The verdict names the bad record, or a range that holds it (records not yet proven by a checkpoint). */
function expectBadRange(verdict: Verdict, bad: number, label: string) {
  expect(verdict.status, label).toBe('inconsistent');
  if (verdict.status !== 'inconsistent') return;
  expect(verdict.firstBadSeq, `${label}: ${verdict.message}`).not.toBeNull();
  expect(verdict.firstBadSeq!, `${label}: ${verdict.message}`).toBeLessThanOrEqual(bad);
  expect(verdict.lastBadSeq ?? verdict.firstBadSeq!, `${label}: ${verdict.message}`).toBeGreaterThanOrEqual(
    bad,
  );
  expect((verdict.lastBadSeq ?? bad) - verdict.firstBadSeq!, label).toBeLessThan(8);
}

let o: Opened;
let bundle: Buffer;
let key: NoteVerifier;
let earlier: string;
const BATCHES = 8;

async function status(bytes: Buffer, extra: { name: string; text: string }[] = [], keys = [key]) {
  return (await verifyBundle(bytes, { trustedKeys: keys, externalCheckpoints: extra })).verdict;
}

beforeAll(async () => {
  o = await openTestLedger();
  for (let i = 0; i < BATCHES; i++) {
    await o.ledger.transactEntries(sampleEntries(7, i * 7));
    if (i === 3) earlier = o.ledger.latestCheckpoint().note;
  }
  const file = path.join(o.dataDir, 'exports', 'mut.bundle');
  await exportBundle({ ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) }, file, {
    actor: 'auditor-1',
  });
  bundle = fs.readFileSync(file);
  key = parseVerifierKey(o.ledger.signingKeys().current.vkey);
  expect((await status(bundle, [{ name: 'earlier', text: earlier }])).status).toBe('consistent');
});

afterAll(() => o.close());

describe('bundle mutations are detected by the standalone verifier', () => {
  it('every byte of a leaf flipped', async () => {
    const parts = split(bundle);
    const target = 20;
    const leaf = parts.leaves[target]!;
    let detected = 0;
    for (let i = 0; i < leaf.length; i++) {
      const mutated = Buffer.from(leaf);
      mutated[i]! ^= 0x01;
      const copy = { header: parts.header, leaves: parts.leaves.map((l, j) => (j === target ? mutated : l)) };
      const verdict = await status(join(copy));
      expect(verdict.status, `byte ${i}`).toBe('inconsistent');
      if (verdict.status === 'inconsistent') {
        expect(verdict.firstBadSeq).toBeLessThanOrEqual(target);
        expect(verdict.lastBadSeq ?? verdict.firstBadSeq).toBeGreaterThanOrEqual(target);
      }
      detected++;
    }
    console.log(`leaf byte flips detected: ${detected}/${leaf.length}`);
  });

  it('every byte of a checkpoint and of its signature flipped', async () => {
    const parts = split(bundle);
    const index = 4;
    const note = Buffer.from(parts.header.checkpoints[index]!.note, 'utf8');
    let detected = 0;
    for (let i = 0; i < note.length; i++) {
      const mutated = Buffer.from(note);
      mutated[i]! ^= 0x01;
      const header = JSON.parse(JSON.stringify(parts.header)) as BundleHeader & {
        checkpoints: { note: string }[];
      };
      header.checkpoints[index]!.note = mutated.toString('utf8');
      const verdict = await status(join({ header, leaves: parts.leaves }));
      expect(verdict.status, `checkpoint byte ${i}`).not.toBe('consistent');
      detected++;
    }
    const sigLine = parts.header.checkpoints[index]!.note.split('\n').at(-2)!;
    const [, name, b64] = sigLine.split(' ') as [string, string, string];
    const blob = Buffer.from(b64, 'base64');
    let sigDetected = 0;
    for (let i = 0; i < blob.length; i++) {
      const mutated = Buffer.from(blob);
      mutated[i]! ^= 0x01;
      const header = JSON.parse(JSON.stringify(parts.header)) as BundleHeader & {
        checkpoints: { note: string }[];
      };
      header.checkpoints[index]!.note = header.checkpoints[index]!.note.replace(
        b64,
        mutated.toString('base64'),
      );
      const verdict = await status(join({ header, leaves: parts.leaves }));
      expect(verdict.status, `signature byte ${i} of ${name}`).not.toBe('consistent');
      if (i >= 4) expect(verdict.status).toBe('inconsistent');
      sigDetected++;
    }
    console.log(
      `checkpoint byte flips detected: ${detected}/${note.length}; signature byte flips: ${sigDetected}/${blob.length}`,
    );
  });

  it('every byte of the file flipped in the leaves section is detected (raw file damage)', async () => {
    const parsed = parseBundle(bundle);
    const from = parsed.starts[30]!;
    const to = parsed.ends[31]! + 1;
    for (let i = from; i < to; i++) {
      const copy = Buffer.from(bundle);
      copy[i]! ^= 0x20;
      expect((await status(copy)).status, `file byte ${i}`).not.toBe('consistent');
    }
  });

  it('two entries swapped; one inserted, duplicated or deleted in the middle; the tail cut by 1..k', async () => {
    const parts = split(bundle);
    const n = parts.leaves.length;
    const cases: [string, Buffer[], number][] = [];
    const swapped = [...parts.leaves];
    [swapped[10], swapped[11]] = [swapped[11]!, swapped[10]!];
    cases.push(['swap 10/11', swapped, 10]);
    const forged = encodeLeaf({ version: 1, seq: 15, type: 'test.event', time: 1, actor: 'x', payload: {} });
    cases.push(['insert at 15', [...parts.leaves.slice(0, 15), forged, ...parts.leaves.slice(15)], 15]);
    cases.push([
      'duplicate 15',
      [...parts.leaves.slice(0, 16), parts.leaves[15]!, ...parts.leaves.slice(16)],
      16,
    ]);
    cases.push(['delete 15', [...parts.leaves.slice(0, 15), ...parts.leaves.slice(16)], 15]);
    for (let k = 1; k <= 8; k++) cases.push([`truncate ${k}`, parts.leaves.slice(0, n - k), n - k]);
    for (const [label, leaves, firstBad] of cases) {
      const verdict = await status(join({ header: parts.header, leaves }));
      expect(verdict.status, label).toBe('inconsistent');
      expectBadRange(verdict, firstBad, label);
    }
    console.log(`structural bundle mutations detected: ${cases.length}/${cases.length}`);
  });

  it('the whole log rewritten and re-signed with the real key: detected given an earlier checkpoint', async () => {
    const parts = split(bundle);
    const leaves = [...parts.leaves];
    leaves[12] = encodeLeaf({
      version: 1,
      seq: 12,
      type: 'test.event',
      time: 1,
      actor: 'mallory',
      payload: { n: 0 },
    });
    const sizes = parts.header.checkpoints.map((c) => Number(c.note.split('\n')[1]));
    const rewritten = forge(
      leaves,
      o.ledger.signingKeys().current,
      o.ledger.origin,
      sizes,
      parts.header.keys,
    );
    // Alone, a self-signed history cannot be caught: that is why checkpoints must leave the machine.
    expect((await status(rewritten)).status).toBe('consistent');
    const verdict = await status(rewritten, [{ name: 'earlier.txt', text: earlier }]);
    expect(verdict, verdict.message).toMatchObject({ status: 'inconsistent' });
    expect(verdict.message).toContain('earlier.txt');
  });

  it('a key planted inside the bundle is ignored', async () => {
    const parts = split(bundle);
    const mallory = generateSigner(o.ledger.origin);
    const sizes = parts.header.checkpoints.map((c) => Number(c.note.split('\n')[1]));
    const planted = forge(parts.leaves, mallory, o.ledger.origin, sizes, [
      { vkey: mallory.vkey, validFromSize: 0, rotation: null },
    ]);
    const verdict = await status(planted);
    expect(verdict.status).toBe('unknown');
    expect(verdict.message).toContain('not signed by any key you trust');
    // A rotation to the planted key that the real key never signed is refused outright.
    const fakeRotation = signNote(
      `custodia.app/key-rotation/v1\norigin ${o.ledger.origin}\nold ${key.vkey}\nnew ${mallory.vkey}\nfrom 1\n`,
      [mallory],
    ).replace(`\u2014 ${mallory.name}`, `\u2014 ${mallory.name}`);
    const withRotation = forge(parts.leaves, mallory, o.ledger.origin, sizes, [
      { vkey: mallory.vkey, validFromSize: 1, rotation: fakeRotation },
    ]);
    expect((await status(withRotation)).status).not.toBe('consistent');
    // Without any trusted key, nothing is vouched for.
    expect((await status(bundle, [], [])).status).toBe('unknown');
  });

  it('an external checkpoint newer than the bundle (a cut tail) is never a pass', async () => {
    await o.ledger.transactEntries(sampleEntries(3));
    const newer = o.ledger.latestCheckpoint().note;
    const verdict = await status(bundle, [{ name: 'newer.txt', text: newer }]);
    expect(verdict.status).toBe('unknown');
  });
});

describe('database mutations are detected by ledger verification', () => {
  async function withLedger(run: (x: Opened) => Promise<void>) {
    const x = await openTestLedger();
    try {
      for (let i = 0; i < 6; i++) await x.ledger.transactEntries(sampleEntries(5, i * 5));
      x.installation.db.exec(`
        DROP TRIGGER ledger_leaves_no_update; DROP TRIGGER ledger_leaves_no_delete;
        DROP TRIGGER ledger_checkpoints_no_update;`);
      await run(x);
    } finally {
      x.close();
    }
  }

  it('every byte of a stored leaf and of a stored checkpoint flipped', async () => {
    await withLedger(async (x) => {
      const db = x.installation.db;
      const leaf = x.ledger.leaf(9)!;
      for (let i = 0; i < leaf.length; i++) {
        const mutated = Buffer.from(leaf);
        mutated[i]! ^= 0x01;
        db.prepare('UPDATE ledger_leaves SET leaf = ? WHERE seq = 9').run(mutated);
        const verdict = await verifyLedger(x.ledger);
        expect(verdict.status, `leaf byte ${i}`).toBe('inconsistent');
      }
      db.prepare('UPDATE ledger_leaves SET leaf = ? WHERE seq = 9').run(leaf);
      expect((await verifyLedger(x.ledger)).status).toBe('consistent');
      const row = db
        .prepare('SELECT id, note FROM ledger_checkpoints ORDER BY id LIMIT 1 OFFSET 3')
        .get() as { id: number; note: string };
      const note = Buffer.from(row.note, 'utf8');
      for (let i = 0; i < note.length; i++) {
        const mutated = Buffer.from(note);
        mutated[i]! ^= 0x01;
        db.prepare('UPDATE ledger_checkpoints SET note = ? WHERE id = ?').run(
          mutated.toString('utf8'),
          row.id,
        );
        expect((await verifyLedger(x.ledger)).status, `checkpoint byte ${i}`).toBe('inconsistent');
      }
      console.log(
        `db leaf flips detected: ${leaf.length}/${leaf.length}; db checkpoint flips: ${note.length}/${note.length}`,
      );
    });
  });

  it('swap, insert, duplicate and delete in the middle; tail cut', async () => {
    const cases: [string, (db: Opened['installation']['db'], x: Opened) => void, number][] = [
      [
        'swap 7/8',
        (db, x) => {
          const a = x.ledger.leaf(7)!;
          const b = x.ledger.leaf(8)!;
          db.prepare('UPDATE ledger_leaves SET leaf = ? WHERE seq = 7').run(b);
          db.prepare('UPDATE ledger_leaves SET leaf = ? WHERE seq = 8').run(a);
        },
        7,
      ],
      ['delete 12', (db) => db.prepare('DELETE FROM ledger_leaves WHERE seq = 12').run(), 12],
      [
        'duplicate 12',
        (db, x) => {
          for (let s = x.ledger.size - 1; s >= 13; s--)
            db.prepare('UPDATE ledger_leaves SET seq = seq + 1 WHERE seq = ?').run(s);
          db.prepare(
            "INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES (13, 'test.event', 0, ?)",
          ).run(x.ledger.leaf(12)!);
        },
        13,
      ],
      [
        'insert 12',
        (db, x) => {
          for (let s = x.ledger.size - 1; s >= 12; s--)
            db.prepare('UPDATE ledger_leaves SET seq = seq + 1 WHERE seq = ?').run(s);
          const forged = encodeLeaf({
            version: 1,
            seq: 12,
            type: 'test.event',
            time: 0,
            actor: 'x',
            payload: {},
          });
          db.prepare(
            "INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES (12, 'test.event', 0, ?)",
          ).run(forged);
        },
        12,
      ],
    ];
    for (let k = 1; k <= 5; k++) {
      cases.push([
        `truncate ${k}`,
        (db, x) => db.prepare('DELETE FROM ledger_leaves WHERE seq >= ?').run(x.ledger.size - k),
        31 - k,
      ]);
    }
    for (const [label, mutate, firstBad] of cases) {
      await withLedger(async (x) => {
        mutate(x.installation.db, x);
        const verdict = await verifyLedger(x.ledger);
        expect(verdict.status, label).toBe('inconsistent');
        expectBadRange(verdict, firstBad, label);
      });
    }
  });

  it('a database replaced by an older copy is caught at open through the keychain copy: a standing alarm, nothing appended', async () => {
    const x = await openTestLedger();
    await x.ledger.transactEntries(sampleEntries(5));
    x.close();
    const dbFile = path.join(x.dataDir, 'ledger.db');
    const old = fs.readFileSync(dbFile);
    const y = await openTestLedger(x.dataDir, x.secrets);
    await y.ledger.transactEntries(sampleEntries(5));
    const sizeBefore = y.ledger.size;
    y.close();
    fs.writeFileSync(dbFile, old);
    for (let round = 0; round < 2; round++) {
      // It stands across restarts: found again from the database and the keychain, never appended.
      const z = await openTestLedger(x.dataDir, x.secrets);
      try {
        expect(z.ledger.alarms()).toHaveLength(1);
        expect(z.ledger.alarms()[0]!.message).toContain(`checkpoint of ${sizeBefore} records`);
        expect(z.ledger.size).toBe(6);
        expect(JSON.parse(z.ledger.leaf(z.ledger.size - 1)!.toString('utf8')).type).toBe('test.event');
        expect((await verifyLedger(z.ledger)).status).toBe('inconsistent');
      } finally {
        z.close();
      }
    }
  });

  it('a tail cut in the database blocks writing at open', async () => {
    const x = await openTestLedger();
    await x.ledger.transactEntries(sampleEntries(5));
    x.installation.db.exec('DROP TRIGGER ledger_leaves_no_delete; DELETE FROM ledger_leaves WHERE seq >= 4;');
    x.close();
    const y = await openTestLedger(x.dataDir, x.secrets);
    try {
      expect(y.ledger.blocked).toContain('records were removed');
      await expect(y.ledger.transactEntries(sampleEntries(1))).rejects.toThrow('records were removed');
    } finally {
      y.close();
    }
  });
});
