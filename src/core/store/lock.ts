import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { sqliteCode, StoreError, toStoreError } from './errors';

export interface WriterLock {
  readonly file: string;
  release(): void;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

/**
 * One writer per ledger, across processes. The lock is an exclusive SQLite lock on a small empty
 * side file (`ledger.lock`), held for as long as the installation is open.
 *
 * Why this and not a pid lock file: SQLite takes an OS lock (fcntl on POSIX, LockFileEx on
 * Windows), and the kernel drops it when the process dies, SIGKILL and power loss included, so a
 * crashed Custodia never leaves a stale lock and nobody has to guess whether a pid was reused.
 * Why a side file and not `locking_mode=EXCLUSIVE` on ledger.db itself: that would also shut out
 * readers (a verification worker, `custodia ledger verify` while the app runs), and we want to
 * exclude only a second writer. The `.owner` file next to it only helps the error message say
 * who holds the lock; it is never trusted to decide anything.
 */
export function acquireWriterLock(lockFile: string, waitMs = 500): WriterLock {
  let db: Database.Database;
  try {
    db = new Database(lockFile, { timeout: waitMs });
  } catch (error) {
    throw toStoreError(error, lockFile);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // In EXCLUSIVE locking mode the exclusive lock taken by the first write is kept until close.
    db.exec('BEGIN EXCLUSIVE');
    db.exec(
      'CREATE TABLE IF NOT EXISTS held (n INTEGER) STRICT; DELETE FROM held; INSERT INTO held VALUES (1)',
    );
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    const code = sqliteCode(error) ?? '';
    if (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') {
      const owner = readOwner(lockFile);
      const who =
        owner === undefined
          ? 'another Custodia window or command'
          : `another Custodia (process ${owner.pid} on ${owner.host}, since ${owner.since})`;
      throw new StoreError(
        'locked',
        `This ledger is open in ${who}. Only one program may write to it at a time: close the other ` +
          'one (or wait for the command to finish) and try again.',
        { cause: error },
      );
    }
    throw toStoreError(error, lockFile);
  }
  const ownerFile = `${lockFile}.owner`;
  const owner: Owner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  try {
    fs.writeFileSync(ownerFile, JSON.stringify(owner) + '\n');
  } catch {
    // Best effort: the lock itself is what protects the ledger.
  }
  let held = true;
  return {
    file: lockFile,
    release() {
      if (!held) return;
      held = false;
      try {
        fs.rmSync(ownerFile, { force: true });
      } catch {
        // The next holder overwrites it.
      }
      db.close();
    },
  };
}

function readOwner(lockFile: string): Owner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(`${lockFile}.owner`, 'utf8')) as Partial<Owner>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      typeof parsed.since === 'string'
    ) {
      return parsed as Owner;
    }
  } catch {
    // No owner file, or half-written: fall back to the generic message.
  }
  return undefined;
}
