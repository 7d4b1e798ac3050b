import type { Migration } from './migration';

const APPEND_ONLY = ['ledger_leaves', 'ledger_nodes', 'ledger_checkpoints', 'ledger_keys'];

/**
 * The ledger: leaves (canonical bytes exactly as hashed), the Merkle tree's stored subtree roots
 * (levels >= 8, so proofs need at most 255 leaf reads), every signed checkpoint, and every
 * checkpoint signing key. These four tables are append-only: the triggers are a guard against
 * bugs, not a security boundary (the signatures and the keychain copy are), ledger-anchors.md
 * §8 B.5. `ledger_state` holds the current frontier and verification progress, which change.
 */
export const migration: Migration = {
  version: 10,
  name: 'ledger',
  up(db) {
    db.exec(`
      CREATE TABLE ledger_leaves (
        seq     INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
        type    TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        leaf    BLOB NOT NULL
      ) STRICT;
      CREATE INDEX ledger_leaves_by_type ON ledger_leaves (type, seq);

      CREATE TABLE ledger_nodes (
        level INTEGER NOT NULL CHECK (level >= 8),
        idx   INTEGER NOT NULL,
        hash  BLOB NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE ledger_checkpoints (
        id        INTEGER PRIMARY KEY NOT NULL,
        size      INTEGER NOT NULL CHECK (size >= 0),
        root      BLOB NOT NULL CHECK (length(root) = 32),
        note      TEXT NOT NULL,
        signed_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ledger_checkpoints_by_size ON ledger_checkpoints (size);

      CREATE TABLE ledger_keys (
        vkey            TEXT PRIMARY KEY NOT NULL,
        valid_from_size INTEGER NOT NULL,
        rotation_note   TEXT,
        added_ms        INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE ledger_state (
        name  TEXT PRIMARY KEY NOT NULL,
        value BLOB NOT NULL
      ) STRICT;
    `);
    for (const table of APPEND_ONLY) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: ${table} rows cannot be changed'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: ${table} rows cannot be deleted'); END;
      `);
    }
  },
};
