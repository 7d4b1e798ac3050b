/**
 * Why the ledger store could not be opened or used. The UI explains each kind and offers the next
 * step; kinds are a promise, so add new ones and never repurpose one.
 */
export type StoreErrorKind =
  | 'wrong-key' // the key from the keychain does not decrypt this database
  | 'corrupted' // the file is damaged or is not a Custodia ledger
  | 'newer-than-app' // a newer Custodia has migrated this database
  | 'locked' // another Custodia process has the ledger open for writing
  | 'keychain-unavailable' // the OS keychain is missing, locked or refused access
  | 'keys-missing' // the keychain answered but holds no keys for this installation
  | 'not-found' // no ledger in the data folder (and creation was not asked for)
  | 'migration-failed' // a schema migration failed; nothing was changed
  | 'io'; // the file system refused (permissions, disk full, unreadable folder)

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The SQLite result code better-sqlite3 attaches to its errors ("SQLITE_BUSY", ...), if any. */
export function sqliteCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * Maps the SQLite failures a person can act on to a StoreError; anything else (constraint
 * violations, SQL errors: bugs or business rules) is returned as is for the caller to handle.
 */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error) ?? '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new StoreError(
      'locked',
      `The ledger ${file} is in use by another Custodia window or command. Close it and try again.`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new StoreError(
      'corrupted',
      `The ledger ${file} is damaged. Do not write to it: restore it from a backup copy ` +
        '(with its recovery kit if the backup comes from another computer), then run "custodia ledger verify".',
      { cause: error },
    );
  }
  if (
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY' ||
    code === 'SQLITE_PERM' ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN_') ||
    code.startsWith('SQLITE_READONLY_')
  ) {
    return new StoreError(
      'io',
      `The ledger ${file} could not be read or written (${code}). Check that the disk is not full ` +
        'and that your user may write to that folder, then try again.',
      { cause: error },
    );
  }
  return error;
}
