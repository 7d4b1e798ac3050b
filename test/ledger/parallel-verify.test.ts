import crypto from 'node:crypto';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, verifyBundleFile, type BundleVerifyReport } from '../../src/core/ledger/audit-verify';
import { fastReplay } from '../../src/core/ledger/audit-verify/block-replay';
import { parseBundle } from '../../src/core/ledger/audit-verify/bundle-format';
import { createHashPool } from '../../src/core/ledger/audit-verify/hash-pool';
import { hashLeafBlock, sha256Latin1 } from '../../src/core/ledger/audit-verify/leaf-block';
import type { Hashing } from '../../src/core/ledger/audit-verify/hashing';
import { exportBundle } from '../../src/core/ledger/bundle';
import { encodeLeaf } from '../../src/core/ledger/leaf';
import { Frontier, leafHash } from '../../src/core/ledger/merkle';
import { parseVerifierKey, type NoteVerifier } from '../../src/core/ledger/note';
import { verifyLedger, type Verdict } from '../../src/core/ledger/verify';
import { openTestLedger, tempDir, type Opened } from './helpers';

/**
 * The fast pass (aligned blocks hashed in worker threads) must never change a verdict: on a good
 * ledger and on every mutation below, it gives the same report, word for word, as the plain
 * one-leaf-at-a-time replay, and the same verified tree. Small blocks (4, 8 leaves) make a
 * 700-record ledger span many blocks, so block edges, the merge of block roots above the block
 * level and the stored subtrees (levels >= 8) are all crossed.
 */
const FAST: { name: string; hashing: Hashing }[] = [
  { name: 'this thread, blocks of 4', hashing: { workers: 0, blockLeaves: 4 } },
  { name: '2 workers, blocks of 8', hashing: { workers: 2, blockLeaves: 8 } },
  { name: '2 workers, blocks of 512', hashing: { workers: 2, blockLeaves: 512 } },
];

let pristine: Opened;
let bundle: Buffer;
let key: NoteVerifier;
let size = 0;

beforeAll(async () => {
  pristine = await openTestLedger();
  // Irregular batches put checkpoints at irregular sizes, inside blocks and on their edges.
  const batches = [1, 2, 5, 8, 13, 21, 34, 55, 89, 144, 233, 3, 64, 27];
  let n = 0;
  for (const count of batches) {
    await pristine.ledger.transactEntries(
      Array.from({ length: count }, () => {
        n++;
        // Multibyte UTF-8 (and U+2028) in stored leaves: the block read must keep every byte.
        return {
          type: 'test.event',
          actor: 'user-1',
          payload: { n, text: `lot ${n} \u00e9\u6f22\u{1f48a}\u2028`, nested: { seq: 5, t: ',"seq":7,' } },
        };
      }),
    );
  }
  size = pristine.ledger.size;
  key = parseVerifierKey(pristine.ledger.signingKeys().current.vkey);
  const file = path.join(pristine.dataDir, 'exports', 'parity.bundle');
  await exportBundle(
    { ledger: pristine.ledger, checkpoint: (e) => pristine.ledger.transactCheckpoint(e) },
    file,
    { actor: 'auditor-1' },
  );
  bundle = fs.readFileSync(file);
  size = pristine.ledger.size;
  expect(size).toBeGreaterThan(700);
  // Copies below take ledger.db alone: move everything out of the WAL first.
  pristine.installation.db.pragma('wal_checkpoint(TRUNCATE)');
});

afterAll(() => pristine.close());

/** A copy of the pristine ledger, opened, with the append-only triggers dropped so it can be damaged. */
async function damagedCopy(mutate: (x: Opened) => void): Promise<Opened> {
  const dir = tempDir();
  for (const f of ['installation.json', 'ledger.db']) {
    fs.copyFileSync(path.join(pristine.dataDir, f), path.join(dir, f));
  }
  // Its own keychain, copied: a copy that appends must not move the pristine ledger's checkpoint copy
  // (to the ledger that would be another tree signed by the same key: a fork, refused).
  const secrets = createMemorySecretStore(
    Object.fromEntries((pristine.secrets as ReturnType<typeof createMemorySecretStore>).entries),
  );
  const x = await openTestLedger(dir, secrets);
  x.installation.db.exec(`
    DROP TRIGGER ledger_leaves_no_update; DROP TRIGGER ledger_leaves_no_delete;
    DROP TRIGGER ledger_nodes_no_update; DROP TRIGGER ledger_checkpoints_no_update;`);
  mutate(x);
  return x;
}

const verifiedState = (x: Opened) =>
  x.installation.db
    .prepare("SELECT value FROM ledger_state WHERE name = 'verified-frontier'")
    .pluck()
    .get() as Buffer | undefined;

async function expectSameLedgerVerdicts(label: string, x: Opened, incremental = false): Promise<Verdict> {
  // Each run starts from the same verified point (a consistent run moves it to the end).
  const before = verifiedState(x);
  const restore = () => {
    if (before !== undefined)
      x.installation.db
        .prepare("UPDATE ledger_state SET value = ? WHERE name = 'verified-frontier'")
        .run(before);
  };
  const reference = await verifyLedger(x.ledger, { hashing: 'reference', incremental });
  const referenceState = verifiedState(x);
  for (const { name, hashing } of FAST) {
    restore();
    const verdict = await verifyLedger(x.ledger, { hashing, incremental });
    expect(verdict, `${label} (${name})`).toEqual(reference);
    expect(verifiedState(x), `${label} (${name}): verified tree`).toEqual(referenceState);
  }
  return reference;
}

const leafOf = (x: Opened, seq: number) => x.ledger.leaf(seq)!;
const setLeaf = (x: Opened, seq: number, leaf: Buffer) =>
  x.installation.db.prepare('UPDATE ledger_leaves SET leaf = ? WHERE seq = ?').run(leaf, seq);
/** Moves records seq.. up by one, leaving a hole at seq. */
const openGap = (x: Opened, seq: number) => {
  x.installation.db.prepare('UPDATE ledger_leaves SET seq = seq + 1000000 WHERE seq >= ?').run(seq);
  x.installation.db.prepare('UPDATE ledger_leaves SET seq = seq - 999999 WHERE seq >= 1000000').run();
};

describe('ledger verification: fast pass and reference replay agree', () => {
  it('on the intact ledger, in full and incrementally from an unaligned record', async () => {
    const x = await damagedCopy(() => undefined);
    try {
      const verdict = await expectSameLedgerVerdicts('intact', x);
      expect(verdict.status).toBe('consistent');
      // The fast pass itself carried this (progress by blocks of 8), not a fallback to the replay.
      const progress: number[] = [];
      await verifyLedger(x.ledger, {
        hashing: { workers: 2, blockLeaves: 8 },
        onProgress: (done) => progress.push(done),
      });
      expect(progress.length).toBe(Math.ceil(size / 8));
      expect(progress.slice(0, -1).every((p) => p % 8 === 0)).toBe(true);
      await x.ledger.transactEntries([{ type: 'test.event', actor: 'user-2', payload: { more: 1 } }]);
      const inc = await expectSameLedgerVerdicts('incremental', x, true);
      expect(inc.message).toContain(`checked from record ${size}`);
    } finally {
      x.close();
    }
  });

  it('on every mutation: byte flips, swaps, gaps, inserts, duplicates, cut tails, stored subtrees', async () => {
    const cases: [string, (x: Opened) => void][] = [];
    for (const seq of [0, 3, 7, 8, 255, 256, 300, 511, 512, 513, size - 1]) {
      for (const at of ['first', 'middle', 'seq digit', 'last'] as const) {
        cases.push([
          `leaf ${seq} byte ${at}`,
          (x) => {
            const leaf = Buffer.from(leafOf(x, seq));
            const i =
              at === 'first'
                ? 0
                : at === 'last'
                  ? leaf.length - 1
                  : at === 'middle'
                    ? leaf.length >> 1
                    : leaf.lastIndexOf(',"seq":') + 7;
            leaf[i]! ^= 0x01;
            setLeaf(x, seq, leaf);
          },
        ]);
      }
    }
    for (const seq of [3, 7, 255, 400]) {
      cases.push([
        `swap ${seq}/${seq + 1}`,
        (x) => {
          const a = leafOf(x, seq);
          setLeaf(x, seq, leafOf(x, seq + 1));
          setLeaf(x, seq + 1, a);
        },
      ]);
      cases.push([
        `delete ${seq}`,
        (x) => x.installation.db.prepare('DELETE FROM ledger_leaves WHERE seq = ?').run(seq),
      ]);
      cases.push([
        `duplicate ${seq}`,
        (x) => {
          const leaf = leafOf(x, seq);
          openGap(x, seq + 1);
          x.installation.db
            .prepare("INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES (?, 'test.event', 0, ?)")
            .run(seq + 1, leaf);
        },
      ]);
      cases.push([
        `insert a well-formed record at ${seq}`,
        (x) => {
          openGap(x, seq);
          const forged = encodeLeaf({
            version: 1,
            seq,
            type: 'test.event',
            time: 0,
            actor: 'x',
            payload: {},
          });
          x.installation.db
            .prepare("INSERT INTO ledger_leaves (seq, type, time_ms, leaf) VALUES (?, 'test.event', 0, ?)")
            .run(seq, forged);
        },
      ]);
      cases.push([
        `record ${seq} rewritten, well-formed, same seq`,
        (x) =>
          setLeaf(
            x,
            seq,
            encodeLeaf({ version: 1, seq, type: 'test.event', time: 0, actor: 'mallory', payload: {} }),
          ),
      ]);
    }
    cases.push([
      'a leaf with raw 0x00, 0x0a and invalid UTF-8 bytes, its seq intact',
      (x) => {
        const leaf = leafOf(x, 300);
        const at = leaf.indexOf('lot ');
        setLeaf(
          x,
          300,
          Buffer.concat([leaf.subarray(0, at), Buffer.from([0, 10, 0xff, 0xc3]), leaf.subarray(at)]),
        );
      },
    ]);
    cases.push(['an empty leaf', (x) => setLeaf(x, 100, Buffer.alloc(0))]);
    for (const k of [1, 2, 9, 300]) {
      cases.push([
        `tail cut by ${k}`,
        (x) => x.installation.db.prepare('DELETE FROM ledger_leaves WHERE seq >= ?').run(size - k),
      ]);
    }
    for (const [level, idx] of [
      [8, 0],
      [8, 1],
      [9, 0],
    ] as const) {
      cases.push([
        `stored subtree ${level}/${idx} altered`,
        (x) => {
          const hash = crypto.randomBytes(32);
          x.installation.db
            .prepare('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?')
            .run(hash, level, idx);
        },
      ]);
    }
    cases.push([
      'stored subtree 8/1 removed',
      (x) => {
        x.installation.db.exec('DROP TRIGGER ledger_nodes_no_delete');
        x.installation.db.prepare('DELETE FROM ledger_nodes WHERE level = 8 AND idx = 1').run();
      },
    ]);
    let inconsistent = 0;
    for (const [label, mutate] of cases) {
      const x = await damagedCopy(mutate);
      try {
        const verdict = await expectSameLedgerVerdicts(label, x);
        expect(verdict.status, `${label}: ${verdict.message}`).toBe('inconsistent');
        inconsistent++;
      } finally {
        x.close();
      }
    }
    console.log(`ledger mutations with identical reports on all paths: ${inconsistent}/${cases.length}`);
  });

  it('incrementally, a record altered after the last verified checkpoint', async () => {
    const x = await damagedCopy(() => undefined);
    try {
      expect((await verifyLedger(x.ledger)).status).toBe('consistent');
      await x.ledger.transactEntries(
        Array.from({ length: 37 }, (_, i) => ({ type: 'test.event', actor: 'u', payload: { i } })),
      );
      const leaf = Buffer.from(leafOf(x, size + 20));
      leaf[5]! ^= 0x01;
      setLeaf(x, size + 20, leaf);
      const verdict = await expectSameLedgerVerdicts('incremental, altered', x, true);
      expect(verdict.status).toBe('inconsistent');
    } finally {
      x.close();
    }
  });
});

describe('bundle verification: fast pass and reference replay agree', () => {
  async function expectSameBundleReports(label: string, bytes: Buffer): Promise<BundleVerifyReport> {
    const input = { trustedKeys: [key] };
    const reference = await verifyBundle(bytes, { ...input, hashing: 'reference' });
    for (const { name, hashing } of FAST) {
      expect(await verifyBundle(bytes, { ...input, hashing }), `${label} (${name})`).toEqual(reference);
    }
    const file = path.join(tempDir(), 'b.bundle');
    fs.writeFileSync(file, bytes);
    expect(
      await verifyBundleFile(file, { ...input, hashing: { workers: 2, blockLeaves: 8 } }),
      `${label} (file)`,
    ).toEqual(reference);
    return reference;
  }

  it('on the intact bundle and on one that starts mid-tree', async () => {
    expect((await expectSameBundleReports('intact', bundle)).verdict.status).toBe('consistent');
    const progress: number[] = [];
    await verifyBundle(bundle, {
      trustedKeys: [key],
      hashing: { workers: 2, blockLeaves: 8 },
      onProgress: (done) => progress.push(done),
    });
    expect(progress.length).toBe(Math.ceil(size / 8));
    const file = path.join(pristine.dataDir, 'exports', 'slice.bundle');
    const times = pristine.installation.db
      .prepare('SELECT time_ms FROM ledger_leaves WHERE seq = 301')
      .pluck()
      .get() as number;
    await exportBundle(
      { ledger: pristine.ledger, checkpoint: (e) => pristine.ledger.transactCheckpoint(e) },
      file,
      { actor: 'auditor-1', fromMs: times },
    );
    const slice = fs.readFileSync(file);
    const report = await expectSameBundleReports('slice', slice);
    expect(report.verdict.status).toBe('consistent');
  });

  it('on leaf byte flips, swaps, deletions, insertions, duplicates and cut tails', async () => {
    const parsed = parseBundle(bundle);
    const leaves = Array.from(parsed.starts, (s, i) => bundle.subarray(s, parsed.ends[i]!));
    const head = bundle.subarray(0, parsed.starts[0]!);
    const tail = bundle.subarray(parsed.ends[leaves.length - 1]! + 1);
    const join = (list: Buffer[], count = list.length) =>
      Buffer.concat([
        Buffer.from(head.toString('latin1').replace(/leaves \d+\n$/, `leaves ${count}\n`), 'latin1'),
        ...list.flatMap((l) => [l, Buffer.from('\n')]),
        tail,
      ]);
    expect(join(leaves).equals(bundle)).toBe(true);
    const cases: [string, Buffer][] = [];
    for (const seq of [0, 7, 8, 256, 511, 512, leaves.length - 1]) {
      for (const at of [0, 40, -1]) {
        const list = [...leaves];
        const leaf = Buffer.from(list[seq]!);
        leaf[at < 0 ? leaf.length - 1 : at]! ^= 0x01;
        list[seq] = leaf;
        cases.push([`leaf ${seq} byte ${at}`, join(list)]);
      }
      const swapped = [...leaves];
      if (seq + 1 < leaves.length) {
        [swapped[seq], swapped[seq + 1]] = [swapped[seq + 1]!, swapped[seq]!];
        cases.push([`swap ${seq}`, join(swapped)]);
      }
      cases.push([`delete ${seq}`, join([...leaves.slice(0, seq), ...leaves.slice(seq + 1)])]);
      cases.push([`duplicate ${seq}`, join([...leaves.slice(0, seq + 1), ...leaves.slice(seq)])]);
    }
    for (const k of [1, 3, 300]) cases.push([`tail cut by ${k}`, join(leaves.slice(0, leaves.length - k))]);
    cases.push(['count line says one more', join(leaves, leaves.length + 1)]);
    const raw = Buffer.from(bundle);
    raw[parsed.starts[200]! - 1] = 0x20; // two leaves run together
    cases.push(['a newline between leaves damaged', raw]);
    let flagged = 0;
    for (const [label, bytes] of cases) {
      const report = await expectSameBundleReports(label, bytes);
      expect(report.verdict.status, label).not.toBe('consistent');
      flagged++;
    }
    console.log(`bundle mutations with identical reports on all paths: ${flagged}/${cases.length}`);
  });
});

describe('block roots', () => {
  it('worker threads start and hash a block exactly as this thread does', async () => {
    const leaves = Array.from({ length: 300 }, (_, i) =>
      encodeLeaf({ version: 1, seq: i, type: 'test.event', time: i, actor: 'a', payload: { i } }),
    );
    const job = () => {
      const bytes = Buffer.concat(leaves.flatMap((l) => [Buffer.from([0]), l]));
      return {
        first: 0,
        bytes,
        bounds: leaves.map((l) => l.length).join(','),
        count: leaves.length,
        origin: 0,
        stack: [],
        snapshots: [1, 7, 256, 300],
        nodeLevel: 1,
      };
    };
    const pool = createHashPool(2);
    try {
      expect(pool.threads).toBe(2);
      const [a, b] = await Promise.all([pool.run(job()), pool.run(job())]);
      const here = hashLeafBlock(sha256Latin1, job());
      expect(a).toEqual(here);
      expect(b).toEqual(here);
      expect(here.misplaced).toBe(-1);
      expect(here.snapshots).toHaveLength(4);
    } finally {
      await pool.close();
    }
  });

  it('equal the one-leaf-at-a-time tree for every size, block size, start and worker count', async () => {
    const leaves = Array.from({ length: 70 }, (_, i) =>
      encodeLeaf({ version: 1, seq: i, type: 'test.event', time: i, actor: 'a', payload: { i } }),
    );
    const prefixed = (from: number, to: number) => {
      const list = leaves.slice(from, to);
      const bytes = Buffer.concat(list.flatMap((l) => [Buffer.from([0]), l]));
      const bounds = new Int32Array(list.length + 1);
      list.forEach((l, i) => (bounds[i + 1] = bounds[i]! + 1 + l.length));
      return { bytes, bounds };
    };
    const frontiers = [Frontier.empty()];
    for (const leaf of leaves) {
      const f = frontiers[frontiers.length - 1]!.clone();
      f.push(leafHash(leaf));
      frontiers.push(f);
    }
    let checked = 0;
    for (const blockLeaves of [1, 2, 4, 8, 16]) {
      for (const workers of [0, 1]) {
        for (const start of [0, 1, 3, 5, 8, 13]) {
          for (const end of [start, start + 1, 16, 17, 31, 64, 70].filter((e) => e >= start)) {
            const targets = frontiers
              .slice(start, end + 1)
              .map((f) => ({ size: f.size, root: f.root(), label: `size ${f.size}` }));
            const outcome = await fastReplay({
              start: frontiers[start]!,
              end,
              targets,
              read: prefixed,
              workers,
              blockLeaves,
            });
            expect(outcome.ok, `blocks ${blockLeaves}, workers ${workers}, ${start}..${end}`).toBe(true);
            if (outcome.ok) expect(outcome.frontier.encode()).toEqual(frontiers[end]!.encode());
            checked++;
          }
        }
      }
    }
    console.log(`block-built trees equal to the reference: ${checked}/${checked}`);
  });
});
