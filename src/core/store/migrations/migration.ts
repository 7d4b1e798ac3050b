import type { Database } from 'better-sqlite3-multiple-ciphers';

/**
 * One schema step, in its own file named `NNNN-name.ts` (numbered with gaps: 0005, 0010, 0020 …).
 * `up` runs inside the single transaction that applies every pending migration, so it must not
 * BEGIN/COMMIT itself or change PRAGMA foreign_keys (a no-op inside a transaction). Tables are
 * STRICT (type affinity is enforced, so a serial number can never silently become a REAL).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
