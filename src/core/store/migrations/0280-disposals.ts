import type { Migration } from './migration';

/**
 * Theft and loss incidents (DEA Form 106) and destructions (DEA Form 41): projections of
 * disposals.* entries. Each groups several NDCs; each line is also an inventory transaction
 * (inv_transactions.id = *_lines.transaction_id), so the perpetual balance and dual control stay
 * where they are. Records are the signed subjects as JSON; notice and filing are added to an
 * incident as DEA is told (one business day) and the Form 106 is filed (45 days).
 */
export const migration: Migration = {
  version: 280,
  name: 'disposals',
  up(db) {
    db.exec(`
      CREATE TABLE loss_incidents (
        id            TEXT PRIMARY KEY NOT NULL,
        seq           INTEGER NOT NULL,
        discovered_on TEXT NOT NULL,
        notice_due_by TEXT NOT NULL,
        file_by       TEXT NOT NULL,
        notice        TEXT,
        notice_seq    INTEGER,
        filing        TEXT,
        filing_seq    INTEGER,
        record        TEXT NOT NULL,
        CHECK (file_by >= discovered_on AND notice_due_by > discovered_on)
      ) STRICT;
      CREATE INDEX loss_incidents_by_discovery ON loss_incidents (discovered_on);

      CREATE TABLE destructions (
        id     TEXT PRIMARY KEY NOT NULL,
        seq    INTEGER NOT NULL,
        date   TEXT NOT NULL,
        record TEXT NOT NULL
      ) STRICT;
      CREATE INDEX destructions_by_date ON destructions (date);

      CREATE TABLE disposal_lines (
        parent_id      TEXT NOT NULL,
        line           INTEGER NOT NULL CHECK (line >= 1),
        kind           TEXT NOT NULL CHECK (kind IN ('theft-loss', 'destruction')),
        transaction_id TEXT NOT NULL UNIQUE,
        ndc            TEXT NOT NULL,
        PRIMARY KEY (parent_id, line)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
