import type { Migration } from './migration';

/**
 * Controlled-substance inventory, approvals and counts: projections of inventory.*, approvals.*
 * and counts.* entries. Quantities are integer thousandths of a unit (qty_milli) so 2.5 mL adds up
 * exactly. A balance can never be negative, in the code and here (CHECK).
 */
export const migration: Migration = {
  version: 120,
  name: 'inventory',
  up(db) {
    db.exec(`
      CREATE TABLE inv_transactions (
        id               TEXT PRIMARY KEY NOT NULL,
        seq              INTEGER NOT NULL,
        kind             TEXT NOT NULL,
        ndc              TEXT NOT NULL,
        lot              TEXT,
        schedule         TEXT NOT NULL,
        qty_milli        INTEGER NOT NULL CHECK (qty_milli > 0),
        direction        INTEGER NOT NULL CHECK (direction IN (1, -1)),
        status           TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'rejected')),
        date             TEXT NOT NULL,
        subject          TEXT NOT NULL,
        subject_hash     TEXT NOT NULL,
        initiated_by     TEXT NOT NULL,
        rejection_reason TEXT,
        decided_seq      INTEGER
      ) STRICT;
      CREATE INDEX inv_transactions_by_ndc ON inv_transactions (ndc, seq);
      CREATE INDEX inv_transactions_by_status ON inv_transactions (status, seq);

      CREATE TABLE signatures (
        seq          INTEGER NOT NULL,
        subject_id   TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        printed_name TEXT NOT NULL,
        meaning      TEXT NOT NULL,
        signed_ms    INTEGER NOT NULL,
        subject_hash TEXT NOT NULL,
        PRIMARY KEY (subject_id, seq, user_id, meaning)
      ) STRICT;

      CREATE TABLE inv_balances (
        ndc       TEXT PRIMARY KEY NOT NULL,
        qty_milli INTEGER NOT NULL CHECK (qty_milli >= 0)
      ) STRICT;

      CREATE TABLE inv_lot_balances (
        ndc       TEXT NOT NULL,
        lot       TEXT NOT NULL,
        qty_milli INTEGER NOT NULL,
        PRIMARY KEY (ndc, lot)
      ) STRICT;

      CREATE TABLE counts (
        id              TEXT PRIMARY KEY NOT NULL,
        seq             INTEGER NOT NULL,
        ndc             TEXT NOT NULL,
        kind            TEXT NOT NULL,
        counted_milli   INTEGER NOT NULL,
        expected_milli  INTEGER NOT NULL,
        threshold_bp    INTEGER NOT NULL,
        counted_ms      INTEGER NOT NULL,
        counted_by      TEXT NOT NULL,
        discrepancy_id  TEXT
      ) STRICT;
      CREATE INDEX counts_by_ndc ON counts (ndc, seq);

      CREATE TABLE discrepancies (
        id             TEXT PRIMARY KEY NOT NULL,
        count_id       TEXT NOT NULL,
        ndc            TEXT NOT NULL,
        schedule       TEXT NOT NULL,
        variance_milli INTEGER NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('open', 'explained', 'closed', 'escalated')),
        explanation    TEXT,
        explained_by   TEXT,
        form106_id     TEXT
      ) STRICT;

      CREATE TABLE form106_drafts (
        id        TEXT PRIMARY KEY NOT NULL,
        seq       INTEGER NOT NULL,
        source    TEXT NOT NULL,
        source_id TEXT NOT NULL,
        record    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sealed_inventories (
        id     TEXT PRIMARY KEY NOT NULL,
        seq    INTEGER NOT NULL,
        kind   TEXT NOT NULL,
        date   TEXT NOT NULL,
        record TEXT NOT NULL
      ) STRICT;
    `);
  },
};
