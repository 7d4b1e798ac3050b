import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { FieldSealer } from '../sealing/field-sealer';

/** The signed checkpoint a snapshot ends at: what a report states on its face. */
export interface SnapshotCheckpoint {
  readonly size: number;
  readonly root: Buffer;
  /** The C2SP signed note, as the ledger signed it. */
  readonly note: string;
}

/**
 * The ledger as of its last commit, for reading only: a read transaction on the installation's
 * read-only connection. It never waits for the writer (WAL: an import holding its transaction open
 * is invisible here until it commits) and never sees half of a write, because the leaves, the
 * projection rows and the checkpoint of one write commit together.
 */
export interface Snapshot {
  /** Read-only, inside one read transaction for the whole of the read. */
  readonly db: Database;
  /** The newest checkpoint in this snapshot (null only for a ledger with no entry yet). */
  readonly checkpoint: SnapshotCheckpoint | null;
  /** Opens sealed identifiers for display; the caller records who saw them (ledger/access-log.ts). */
  readonly sealer: FieldSealer;
  readonly dataDir: string;
}

/** Runs fn in one read transaction on the read-only connection; fn is synchronous, so reads never interleave. */
export function readSnapshot<T>(
  reader: Database,
  parts: { readonly sealer: FieldSealer; readonly dataDir: string },
  fn: (snapshot: Snapshot) => T,
): T {
  reader.exec('BEGIN');
  try {
    // The first read fixes the snapshot: this checkpoint and every row fn reads are of one commit.
    const row = reader
      .prepare('SELECT size, root, note FROM ledger_checkpoints ORDER BY size DESC, id DESC LIMIT 1')
      .get() as SnapshotCheckpoint | undefined;
    return fn({ db: reader, checkpoint: row ?? null, sealer: parts.sealer, dataDir: parts.dataDir });
  } finally {
    reader.exec('ROLLBACK');
  }
}
