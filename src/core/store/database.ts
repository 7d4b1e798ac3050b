import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { sqliteCode, StoreError, toStoreError } from './errors';

export { StoreError, type StoreErrorKind } from './errors';
export type { Database } from 'better-sqlite3-multiple-ciphers';

/** SQLCipher v4 pages: 4096 bytes, so a real ledger file is a whole number of them. */
const SQLCIPHER_PAGE_SIZE = 4096;
const PLAINTEXT_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenDatabaseOptions {
  /** The raw 256-bit database key. */
  readonly key: Uint8Array;
  /** Create the file when it does not exist (otherwise a missing file is 'not-found'). */
  readonly create?: boolean;
  /**
   * The caller already knows this key belongs to this ledger (the installation's key check
   * matched), so a file the key cannot decrypt is damaged, not opened with the wrong key.
   */
  readonly keyVerified?: boolean;
  readonly readonly?: boolean;
  /** 'wal' for a live ledger; 'delete' while a new ledger is built before being moved into place. */
  readonly journalMode?: 'wal' | 'delete';
  readonly busyTimeoutMs?: number;
}

/**
 * Opens an encrypted ledger database: SQLCipher v4 page encryption (AES-256-CBC per page with an
 * HMAC-SHA512 per page, via better-sqlite3-multiple-ciphers) keyed with a raw 256-bit key, so no
 * passphrase KDF runs at open. Then WAL, foreign keys, a busy timeout, and temp_store=MEMORY
 * because SQLite's temporary files (large sorts, temp tables) would not be encrypted.
 */
export function openEncryptedDatabase(file: string, options: OpenDatabaseOptions): Database.Database {
  if (options.key.length !== 32) throw new Error('the database key must be 32 bytes');
  const exists = fs.existsSync(file);
  if (!exists && !options.create) {
    throw new StoreError('not-found', `There is no ledger at ${file}.`);
  }
  if (exists && !options.create && fs.statSync(file).size === 0) {
    // SQLite would treat an empty file as a new, empty database and happily key it.
    throw new StoreError(
      'corrupted',
      `The ledger ${file} is empty (0 bytes). Restore it from a backup copy.`,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: !options.create });
  } catch (error) {
    throw toStoreError(error, file);
  }
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    // x'…' = a raw key: SQLite3MultipleCiphers skips the PBKDF2 step it applies to passphrases.
    db.pragma(`key = "x'${Buffer.from(options.key).toString('hex')}'"`);
    // The first read decrypts page 1; a wrong key or a foreign file fails here.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    db.close();
    throw classifyOpenFailure(error, file, options.keyVerified ?? false);
  }
  try {
    db.pragma('temp_store = MEMORY');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma(`journal_mode = ${options.journalMode === 'delete' ? 'DELETE' : 'WAL'}`);
      // In WAL mode NORMAL loses no committed data on a process crash, only possibly the last
      // transactions on power loss; FULL closes that gap for a compliance record at little cost.
      db.pragma('synchronous = FULL');
    }
  } catch (error) {
    db.close();
    throw toStoreError(error, file);
  }
  return db;
}

/**
 * A key that does not decrypt page 1 and a damaged page 1 look the same to SQLCipher (the page
 * HMAC fails). Tell them apart with what we know: a verified key means the file is damaged; a file
 * whose size is not whole pages, or a plaintext SQLite file, is not an intact Custodia ledger.
 */
function classifyOpenFailure(error: unknown, file: string, keyVerified: boolean): unknown {
  const code = sqliteCode(error) ?? '';
  if (code !== 'SQLITE_NOTADB') return toStoreError(error, file);
  if (keyVerified || !looksLikeSqlcipherFile(file)) {
    return new StoreError(
      'corrupted',
      `The ledger ${file} is damaged or is not a Custodia ledger. Do not delete it: restore it from ` +
        "a backup copy (with that copy's recovery kit if it comes from another installation).",
      { cause: error },
    );
  }
  return new StoreError(
    'wrong-key',
    `The key in this computer's keychain does not open the ledger ${file}. If the ledger was copied ` +
      'from another computer, restore its recovery kit here ("custodia keys restore KIT --data DIR").',
    { cause: error },
  );
}

function looksLikeSqlcipherFile(file: string): boolean {
  try {
    const size = fs.statSync(file).size;
    if (size === 0 || size % SQLCIPHER_PAGE_SIZE !== 0) return false;
    const head = Buffer.alloc(16);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
    return !head.equals(PLAINTEXT_SQLITE_HEADER);
  } catch {
    return false;
  }
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers
 * can never both read the head and then fork it (ledger-anchors.md §8 B.5). Nested calls become
 * savepoints. `fn` must be synchronous; a throw rolls everything back. SQLite failures a person
 * can act on (busy, corrupt, disk full) come out as StoreError.
 */
export function transaction<T>(db: Database.Database, fn: (db: Database.Database) => T): T {
  try {
    return db.transaction(() => fn(db)).immediate();
  } catch (error) {
    throw toStoreError(error, db.name);
  }
}

/**
 * The two ends of a transaction that stays open across awaits (ledger writeAsync): the caller
 * rolls back on any failure between them. Nothing else may use the connection meanwhile.
 */
export function beginImmediate(db: Database.Database): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw toStoreError(error, db.name);
  }
}

export function commit(db: Database.Database): void {
  try {
    db.exec('COMMIT');
  } catch (error) {
    throw toStoreError(error, db.name);
  }
}
