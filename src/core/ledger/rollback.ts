import { openCheckpoint } from './checkpoint';
import type { NoteVerifier } from './note';

/**
 * Rollback detection at open (ledger-anchors §8 D.11): the latest checkpoint is also kept in the
 * keychain, outside the database. A database behind that copy (an older backup restored, a cut
 * tail), one whose tree disagrees with it (a rewritten history), or a missing copy on a ledger with
 * records is a finding: the ledger raises a standing alarm and turns read-only. It appends nothing
 * (an entry would sign the smaller tree: a fork) and leaves the copy alone. A database ahead of the copy is normal: the copy is
 * written just after each commit, so a crash in between leaves it one batch behind.
 */
export type RollbackFinding =
  | { kind: 'copy-missing'; message: string }
  | { kind: 'copy-invalid' | 'behind' | 'inconsistent'; message: string; copy: string };

export interface LedgerView {
  readonly origin: string;
  readonly size: number;
  verifiers(): NoteVerifier[];
  rootAt(size: number): Buffer;
}

export function checkAgainstCopy(ledger: LedgerView, copy: string | null): RollbackFinding | null {
  if (copy === null) {
    return {
      kind: 'copy-missing',
      message:
        `The copy of the latest checkpoint kept in this computer's keychain is missing while the ledger holds ${ledger.size} records, ` +
        'so nothing shows that this database was not rolled back to an older copy (records may be gone). ' +
        'Restore the recovery kit, which carries the copy ("custodia keys restore KIT --data DIR"), or the latest backup.',
    };
  }
  const opened = openCheckpoint(copy, ledger.verifiers());
  if (!opened.ok) {
    return {
      kind: 'copy-invalid',
      copy,
      message: `The checkpoint copy in the keychain does not verify (${opened.message}); the ledger could not be checked for rollback.`,
    };
  }
  const kept = opened.checkpoint;
  if (kept.origin !== ledger.origin) {
    return {
      kind: 'inconsistent',
      copy,
      message: `The database belongs to the log ${ledger.origin}, but the keychain's checkpoint is for ${kept.origin}.`,
    };
  }
  if (kept.size > ledger.size) {
    return {
      kind: 'behind',
      copy,
      message:
        `The database holds ${ledger.size} records, but this computer signed a checkpoint of ${kept.size} records ` +
        `earlier: records ${ledger.size}..${kept.size - 1} are gone (an older copy of the database was put back, ` +
        'or its end was cut). Restore the latest backup of ledger.db, then report this to your compliance officer.',
    };
  }
  let root: Buffer;
  try {
    root = ledger.rootAt(kept.size);
  } catch (error) {
    return {
      kind: 'inconsistent',
      copy,
      message: `The first ${kept.size} records could not be read: ${(error as Error).message}.`,
    };
  }
  if (!root.equals(kept.root)) {
    return {
      kind: 'inconsistent',
      copy,
      message:
        `The first ${kept.size} records in the database differ from the ones this computer signed earlier: ` +
        'the history was rewritten. Restore the latest backup of ledger.db, then report this to your compliance officer.',
    };
  }
  return null;
}
