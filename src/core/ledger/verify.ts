import type { Database } from 'better-sqlite3-multiple-ciphers';
import { SECRET_NAMES } from '../secrets/names';
import { fastReplay } from './audit-verify/block-replay';
import { hashingPlan, type Hashing } from './audit-verify/hashing';
import { Replay, type ReplayOutcome, type ReplayTarget } from './audit-verify/replay';
import { deriveTrust, verifiersFor } from './audit-verify/trust';
import { consistent, inconsistent, unknown, type Verdict } from './audit-verify/verdict';
import { parseCheckpointText, type Checkpoint } from './checkpoint';
import { damageMessage, isDamage } from './damage';
import { decodeLeaf } from './leaf';
import { leafRunReader } from './leaf-runs';
import { STORED_NODE_LEVEL, type Ledger } from './ledger';
import { Frontier } from './merkle';
import { openNote, parseNote } from './note';

export type { Verdict } from './audit-verify/verdict';

export interface VerifyOptions {
  /** Start from the last verified checkpoint instead of record 0. */
  readonly incremental?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** How leaves are hashed (see audit-verify/hashing.ts); the default suits the ledger's size. */
  readonly hashing?: Hashing;
}

const CHUNK = 1 << 16;
const VERIFIED_STATE = 'verified-frontier';

/**
 * Verifies the installation's own ledger (issue scope 7): every leaf hash, the tree at every
 * checkpoint, every checkpoint signature (trust starts from the keys in the keychain, not from the
 * database), consistency between consecutive checkpoints (they are all recomputed from the same
 * leaves), the keychain's checkpoint copy, the stored subtrees and the stored frontier. Yields to
 * the event loop between chunks so progress reaches the UI.
 *
 * Leaves are hashed by the fast pass (audit-verify/block-replay.ts: blocks of 2^k records read in
 * one statement each and hashed in worker threads); any finding sends it back to the one-by-one
 * replay from the last checkpoint that matched, which words the verdict. Memory stays at a few
 * blocks in flight, whatever the ledger's size.
 */
export async function verifyLedger(ledger: Ledger, options: VerifyOptions = {}): Promise<Verdict> {
  let verdict: Verdict;
  try {
    verdict = await verifyRecords(ledger, options);
  } catch (error) {
    if (!isDamage(error)) throw error;
    // SQLite found a page it cannot read: named as damage, and the ledger turns read-only.
    const message = damageMessage(ledger.host.dataDir ?? '.');
    ledger.block(message, 'damage');
    return inconsistent(message, null);
  }
  // A standing alarm (issue 17 scope 1) fails verification however consistent the records left are
  // among themselves: a rolled-back database is a consistent, shorter log.
  const alarm = ledger.standingAlarm;
  if (alarm === null) return verdict;
  if (verdict.status === 'inconsistent') return { ...verdict, message: `${verdict.message}. ${alarm}` };
  return inconsistent(`an alarm stands: ${alarm}`, null);
}

async function verifyRecords(ledger: Ledger, options: VerifyOptions): Promise<Verdict> {
  const db = ledger.db;
  // The keychain copy first, then everything from the database with no await in between: the app
  // may append while this runs, and a snapshot taken in this order is never behind the copy.
  // Records appended meanwhile (seq > maxSeq) are left for the next verification.
  const copy = await ledger.host.secrets.get(SECRET_NAMES.ledgerCheckpoint);
  const maxSeq = (db.prepare('SELECT coalesce(max(seq), -1) AS m FROM ledger_leaves').get() as { m: number })
    .m;
  // count(*) reads a whole b-tree (SQLite keeps no row count): a second of a 1M-record check. A
  // full fast pass proves rows 0..maxSeq present block by block, so the count is taken only when
  // that proof is not at hand (an incremental check, the replay). Taken with no await since
  // maxSeq, it may scan the smallest index; later, only rows up to maxSeq may count.
  const countRows = (sinceAwait: boolean) =>
    (
      (sinceAwait
        ? db.prepare('SELECT count(*) AS n FROM ledger_leaves WHERE seq <= ?').get(maxSeq)
        : db.prepare('SELECT count(*) AS n FROM ledger_leaves').get()) as { n: number }
    ).n;
  let total = maxSeq + 1;
  const storedFrontier = db
    .prepare('SELECT value FROM ledger_state WHERE name = ?')
    .pluck()
    .get('frontier') as Buffer | undefined;
  const rotations = db
    .prepare('SELECT rotation_note FROM ledger_keys WHERE rotation_note IS NOT NULL')
    .pluck()
    .all() as string[];
  const trust = deriveTrust(ledger.keychainVerifiers(), rotations);
  if (!trust.ok) return inconsistent(trust.reason, null);

  const rows = db.prepare('SELECT id, size, root, note FROM ledger_checkpoints ORDER BY id').all() as {
    id: number;
    size: number;
    root: Buffer;
    note: string;
  }[];
  if (rows.length === 0) return unknown('the ledger: it has no signed checkpoint yet');
  const targets: ReplayTarget[] = [];
  let previous: Checkpoint | null = null;
  for (const row of rows) {
    const label = `checkpoint ${row.id} (size ${row.size})`;
    let body: Checkpoint;
    try {
      body = parseCheckpointText(parseNote(row.note).text);
    } catch (error) {
      return inconsistent(`${label} is malformed (${(error as Error).message})`, null);
    }
    const opened = openNote(row.note, verifiersFor(trust.keys, body.size));
    if (!opened.ok) {
      return opened.reason === 'no-known-signature'
        ? inconsistent(`${label} is not signed by this installation's checkpoint key`, null)
        : inconsistent(`${label}: ${opened.message}`, null);
    }
    if (body.origin !== ledger.origin || body.size !== row.size || !body.root.equals(row.root)) {
      return inconsistent(`${label} disagrees with its own database row or names another log`, null);
    }
    if (previous !== null && body.size < previous.size) {
      return inconsistent(
        `${label} is smaller than the checkpoint before it: the log went backwards`,
        body.size,
      );
    }
    previous = body;
    targets.push({ size: body.size, root: body.root, label });
  }
  if (copy !== null) {
    const opened = openNote(
      copy,
      trust.keys.map((k) => k.verifier),
    );
    if (opened.ok) {
      const body = parseCheckpointText(opened.text);
      targets.push({
        size: body.size,
        root: body.root,
        label: `the keychain's copy of checkpoint (size ${body.size})`,
      });
    }
  }
  targets.sort((a, b) => a.size - b.size);

  let start = Frontier.empty();
  if (options.incremental) {
    const saved = db.prepare('SELECT value FROM ledger_state WHERE name = ?').pluck().get(VERIFIED_STATE) as
      Buffer | undefined;
    if (saved !== undefined) {
      start = Frontier.decode(saved);
      const at = targets.find((t) => t.size === start.size);
      if (at === undefined || !at.root.equals(start.root())) start = Frontier.empty();
    }
  }

  const nodes = new Map<string, Buffer>();
  for (const row of db.prepare('SELECT level, idx, hash FROM ledger_nodes WHERE idx >= 0').all() as {
    level: number;
    idx: number;
    hash: Buffer;
  }[]) {
    nodes.set(`${row.level}/${row.idx}`, row.hash);
  }
  // The first stored subtree that differs, in the order the tree completes them; `end` is the
  // tree size at its completion, so a replay restarted before it checks it again.
  const found: { badNode: { name: string; end: number } | null } = { badNode: null };
  const checkNode = (level: number, index: number, hash: Buffer) => {
    if (level < STORED_NODE_LEVEL || found.badNode !== null) return;
    const stored = nodes.get(`${level}/${index}`);
    if (stored === undefined || !stored.equals(hash))
      found.badNode = { name: `${level}/${index}`, end: (index + 1) * 2 ** level };
  };
  // Rows 0..maxSeq with no gap is what the block reads assume (they check it for their own range);
  // rows below an incremental start are counted, and any gap goes to the replay.
  if (options.hashing === 'reference' || start.size > 0) total = countRows(false);
  const plan =
    maxSeq === total - 1
      ? hashingPlan(options.hashing, total - start.size, averageLeafBytes(db))
      : 'reference';
  let replayStart = start;
  let fastChecked: ReplayOutcome | null = null;
  if (plan !== 'reference') {
    const fast = await fastReplay({
      start,
      end: total,
      targets,
      read: leafRunReader(db),
      workers: plan.workers,
      blockLeaves: plan.blockLeaves,
      nodeLevel: STORED_NODE_LEVEL,
      onNode: checkNode,
      onProgress: (done) => options.onProgress?.(done, total),
    });
    if (fast.ok) fastChecked = fast;
    else {
      total = countRows(true);
      replayStart = fast.restart;
      if (found.badNode !== null && found.badNode.end > replayStart.size) found.badNode = null;
    }
  }
  const leafStmt = db
    .prepare('SELECT leaf FROM ledger_leaves WHERE seq >= ? AND seq < ? ORDER BY seq')
    .pluck();
  const replay = new Replay(
    replayStart,
    targets,
    (from, to) => {
      let seq = from;
      for (const leaf of leafStmt.iterate(from, to) as IterableIterator<Buffer>) {
        try {
          const envelope = decodeLeaf(leaf);
          if (envelope.seq !== seq) return { seq, reason: `it says it is record ${envelope.seq}` };
        } catch (error) {
          return { seq, reason: (error as Error).message };
        }
        seq++;
      }
      return null;
    },
    checkNode,
  );
  const scanStmt = db
    .prepare('SELECT leaf FROM ledger_leaves WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?')
    .pluck();
  let next = replayStart.size;
  while (fastChecked === null) {
    const chunk = scanStmt.all(next, maxSeq, CHUNK) as Buffer[];
    if (chunk.length === 0) break;
    const failure = replay.feed(chunk);
    if (failure) return inconsistent(failure.reason, failure.firstBadSeq, failure.lastBadSeq);
    next = replay.size;
    options.onProgress?.(next, total);
    if (chunk.length < CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const outcome = fastChecked ?? replay.finish();
  if (!outcome.ok) return inconsistent(outcome.reason, outcome.firstBadSeq, outcome.lastBadSeq);
  const frontier = outcome.frontier;
  const checked = outcome.checked + (replayStart.size - start.size);
  if (frontier.size !== total) {
    return inconsistent(
      `the database holds ${total} records but they do not form one unbroken sequence`,
      frontier.size,
    );
  }
  const last = targets[targets.length - 1]!;
  if (last.size !== frontier.size) {
    return unknown(`records ${last.size}..${frontier.size - 1}: no signed checkpoint covers them yet`);
  }
  if (found.badNode !== null) {
    return inconsistent(
      `the stored subtree ${found.badNode.name} (used for inclusion proofs) does not match the records`,
      null,
    );
  }
  if (storedFrontier === undefined || !Frontier.decode(storedFrontier).root().equals(frontier.root())) {
    return inconsistent('the stored tree state does not match the records', null);
  }
  // Nothing is written under an alarm or on a read-only connection, this mark included.
  if (ledger.blocked === null && !ledger.readOnly) {
    db.prepare(
      'INSERT INTO ledger_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ).run(VERIFIED_STATE, frontier.encode());
  }
  return consistent(
    checked,
    rows.length,
    options.incremental && start.size > 0 ? ` (checked from record ${start.size})` : '',
  );
}

/** Mean leaf size of the latest records, to size the blocks (the first leaves are not typical). */
function averageLeafBytes(db: Database): number {
  const row = db
    .prepare(
      'SELECT avg(length(leaf)) AS a FROM (SELECT leaf FROM ledger_leaves ORDER BY seq DESC LIMIT 1024)',
    )
    .get() as { a: number | null };
  return row.a ?? 0;
}
