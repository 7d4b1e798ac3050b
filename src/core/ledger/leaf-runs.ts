import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { LeafRun } from './audit-verify/block-replay';

/**
 * Reads records from..to-1 in one statement: the leaves joined with a 0x00 before each (the RFC
 * 9162 leaf prefix, so each leaf is hashed where it lies) and their lengths. One Buffer per block
 * instead of one per record is what keeps a 1M-record pass from being allocation-bound. A rowid
 * range is scanned in rowid order; were it ever not, the seq check in the kernel would fail and the
 * one-by-one replay would take over, so a wrong order can cost time but not a wrong verdict.
 */
export function leafRunReader(db: Database): (from: number, to: number) => LeafRun | null {
  const stmt = db
    .prepare(
      `SELECT CAST(x'00' || group_concat(leaf, x'00') AS BLOB), group_concat(length(leaf)), count(*), min(seq), max(seq)
       FROM ledger_leaves WHERE seq >= ? AND seq < ?`,
    )
    .raw();
  return (from, to) => {
    const [bytes, lengths, count, min, max] = stmt.get(from, to) as [
      unknown,
      unknown,
      number,
      number,
      number,
    ];
    if (count !== to - from || min !== from || max !== to - 1) return null;
    if (!Buffer.isBuffer(bytes) || typeof lengths !== 'string') return null;
    return { bytes, bounds: lengths };
  };
}
