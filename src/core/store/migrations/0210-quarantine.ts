import type { Migration } from './migration';

/**
 * Quarantine of rejected partner data: the raw bytes exactly as received (in 1 MiB chunks so a large
 * file streams in and out), where it came from, and every reason, until someone reprocesses it after
 * fixing master data or closes it with a signed reason. Status changes are also ledger entries.
 */
export const migration: Migration = {
  version: 210,
  name: 'quarantine',
  up(db) {
    db.exec(`
      CREATE TABLE quarantine_items (
        id          INTEGER PRIMARY KEY NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('file', 'event')),
        file_hash   BLOB NOT NULL,
        file_name   TEXT NOT NULL,
        format      TEXT NOT NULL,
        partner_id  INTEGER,
        mapping_id  INTEGER,
        source      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        records     INTEGER NOT NULL,
        reasons     TEXT NOT NULL,
        suspect     INTEGER NOT NULL CHECK (suspect IN (0, 1)),
        status      TEXT NOT NULL CHECK (status IN ('open', 'reprocessed', 'closed')),
        opened_seq  INTEGER NOT NULL,
        opened_ms   INTEGER NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        resolved_seq INTEGER,
        resolution  TEXT
      ) STRICT;
      CREATE INDEX quarantine_items_by_status ON quarantine_items (status, id);
      CREATE INDEX quarantine_items_by_hash ON quarantine_items (file_hash);
      CREATE TABLE quarantine_chunks (
        item_id INTEGER NOT NULL REFERENCES quarantine_items (id),
        n       INTEGER NOT NULL,
        bytes   BLOB NOT NULL,
        PRIMARY KEY (item_id, n)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
