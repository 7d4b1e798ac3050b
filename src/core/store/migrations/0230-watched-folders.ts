import type { Migration } from './migration';

/**
 * Watched import folders (a folder a partner portal downloads into): `watched_folders` is the
 * projection of folders.added / folders.removed ledger entries plus the last scan's outcome;
 * `watched_folder_files` remembers each file seen there by name, size and modification time, so a
 * scan hashes only what is new or changed, waits for a file to stop growing, and does not retry a
 * quarantined file until it changes. Neither table holds a serial number: file names only.
 */
export const migration: Migration = {
  version: 230,
  name: 'watched-folders',
  up(db) {
    db.exec(`
      CREATE TABLE watched_folders (
        id             INTEGER PRIMARY KEY NOT NULL,
        name           TEXT NOT NULL UNIQUE,
        path           TEXT NOT NULL UNIQUE,
        partner_id     INTEGER,
        mapping_id     INTEGER,
        added_by       TEXT NOT NULL,
        added_seq      INTEGER NOT NULL,
        added_ms       INTEGER NOT NULL,
        status         TEXT NOT NULL DEFAULT 'waiting'
                       CHECK (status IN ('waiting', 'ok', 'missing', 'unreadable', 'not-a-folder', 'unreachable', 'error')),
        status_message TEXT NOT NULL DEFAULT 'Not scanned yet.',
        last_scan_ms   INTEGER
      ) STRICT;
      CREATE TABLE watched_folder_files (
        folder_id     INTEGER NOT NULL REFERENCES watched_folders (id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        size          INTEGER NOT NULL,
        mtime_ms      INTEGER NOT NULL,
        first_seen_ms INTEGER NOT NULL,
        outcome       TEXT CHECK (outcome IN ('imported', 'already-imported', 'quarantined', 'failed')),
        message       TEXT,
        file_hash     BLOB,
        quarantine_id INTEGER,
        handled_ms    INTEGER,
        PRIMARY KEY (folder_id, name)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX watched_folder_files_by_handled ON watched_folder_files (folder_id, handled_ms);
    `);
  },
};
