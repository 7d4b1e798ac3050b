import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import type { Registrant } from '../api/procedures/setup';
import type { Snapshot } from '../ledger/snapshot';
import { entryOf, readEntries, type Entry } from '../ledger/workspace';
import { readRegistrant } from '../registrant/registrant';
import type { ReportSource } from './kind';

/** The signed checkpoint a report is generated from, as the ledger stored it. */
export interface SourceCheckpoint {
  readonly size: number;
  readonly root: Buffer;
  readonly note: string;
}

/**
 * The checkpoint of a snapshot, or the earlier one of exactly `at` entries this ledger signed.
 * An `at` no checkpoint was signed at is refused: a report states a checkpoint an auditor can find.
 */
export function checkpointAt(snapshot: Snapshot, at?: number): SourceCheckpoint {
  const latest = snapshot.checkpoint;
  if (latest === null) throw new ApiError('not-found', 'The ledger has no checkpoint yet.');
  if (at === undefined || at === latest.size) return latest;
  if (at > latest.size) {
    throw new ApiError(
      'not-found',
      `The ledger has ${latest.size} entries; there is no checkpoint at ${at}.`,
    );
  }
  const row = snapshot.db
    .prepare('SELECT size, root, note FROM ledger_checkpoints WHERE size = ? ORDER BY id LIMIT 1')
    .get(at) as SourceCheckpoint | undefined;
  if (row === undefined) {
    throw new ApiError('not-found', `This ledger signed no checkpoint at ${at} entries.`, {
      rule: 'report-checkpoint',
    });
  }
  return row;
}

/** The registrant as of `size`: the projection when it is older, otherwise a replay of its entries. */
function registrantAt(
  db: Database,
  size: number,
  entries: (p: string[]) => Iterable<Entry>,
): Registrant | null {
  const row = db.prepare('SELECT seq FROM registrant WHERE id = 1').get() as { seq: number } | undefined;
  if (row === undefined) return null;
  if (row.seq < size) return readRegistrant(db);
  let found: Registrant | null = null;
  for (const entry of entries(['registrant.recorded'])) found = entry.payload.registrant as Registrant;
  return found;
}

/** What a kind reads, for the checkpoint of `size` entries inside one snapshot. */
export function reportSource(snapshot: Snapshot, checkpoint: SourceCheckpoint): ReportSource {
  const { db } = snapshot;
  const size = checkpoint.size;
  const leafAt = db.prepare('SELECT leaf FROM ledger_leaves WHERE seq = ?');
  const timeRow = db.prepare('SELECT time_ms FROM ledger_leaves WHERE seq = ?').get(size - 1) as
    { time_ms: number } | undefined;
  const entries = function* (prefixes: readonly string[]): Generator<Entry> {
    for (const entry of readEntries(db, prefixes)) {
      if (entry.seq >= size) return;
      yield entry;
    }
  };
  return {
    db,
    size,
    time: timeRow?.time_ms ?? 0,
    registrant: registrantAt(db, size, entries),
    sealer: snapshot.sealer,
    covers: (seq) => seq < size,
    entries,
    entry(seq) {
      if (seq < 0 || seq >= size) return null;
      const row = leafAt.get(seq) as { leaf: Buffer } | undefined;
      return row === undefined ? null : entryOf(row.leaf);
    },
  };
}
