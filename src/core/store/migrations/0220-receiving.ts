import type { Migration } from './migration';

/**
 * DSCSA receiving: sessions in which a technician scans what arrived, each scan's verdict against the
 * transaction data received from the seller, the exceptions opened (GS1 US exception categories), and
 * suspect-product investigations with their clocks (FD&C Act §582(d)(4)). Projections of receiving.*
 * and investigation.* entries.
 */
export const migration: Migration = {
  version: 220,
  name: 'receiving',
  up(db) {
    db.exec(`
      CREATE TABLE receiving_sessions (
        id          INTEGER PRIMARY KEY NOT NULL,
        shipment_id INTEGER,
        location    TEXT,
        opened_by   TEXT NOT NULL,
        opened_seq  INTEGER NOT NULL,
        opened_ms   INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        closed_seq  INTEGER
      ) STRICT;
      CREATE TABLE receiving_scans (
        id           INTEGER PRIMARY KEY NOT NULL,
        session_id   INTEGER NOT NULL REFERENCES receiving_sessions (id),
        ledger_seq   INTEGER NOT NULL,
        trace_id     INTEGER,
        shipment_id  INTEGER,
        item_id      INTEGER,
        gtin         TEXT,
        lot          TEXT,
        expiry       TEXT,
        units        INTEGER NOT NULL,
        verdict      TEXT NOT NULL,
        exception_id INTEGER,
        scanned_ms   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX receiving_scans_by_session ON receiving_scans (session_id, id);
      CREATE INDEX receiving_scans_by_trace ON receiving_scans (trace_id) WHERE trace_id IS NOT NULL;
      CREATE INDEX receiving_scans_by_item ON receiving_scans (item_id) WHERE item_id IS NOT NULL;
      CREATE TABLE receiving_exceptions (
        id          INTEGER PRIMARY KEY NOT NULL,
        session_id  INTEGER,
        shipment_id INTEGER,
        kind        TEXT NOT NULL,
        detail      TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        opened_seq  INTEGER NOT NULL,
        opened_ms   INTEGER NOT NULL,
        resolved_seq INTEGER,
        resolution  TEXT
      ) STRICT;
      CREATE INDEX receiving_exceptions_by_status ON receiving_exceptions (status, id);
      CREATE TABLE investigations (
        id            INTEGER PRIMARY KEY NOT NULL,
        trace_id      INTEGER,
        exception_id  INTEGER,
        quarantine_id INTEGER,
        gtin          TEXT,
        lot           TEXT,
        expiry        TEXT,
        reason        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open', 'cleared', 'illegitimate')),
        opened_seq    INTEGER NOT NULL,
        opened_ms     INTEGER NOT NULL,
        determined_ms INTEGER,
        closed_seq    INTEGER,
        outcome       TEXT
      ) STRICT;
      CREATE INDEX investigations_by_status ON investigations (status, id);
      CREATE TABLE inventory_receipts (
        id          INTEGER PRIMARY KEY NOT NULL,
        ledger_seq  INTEGER NOT NULL,
        source      TEXT NOT NULL,
        shipment_id INTEGER,
        gtin        TEXT,
        ndc         TEXT,
        lot         TEXT,
        units       INTEGER NOT NULL,
        received_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX inventory_receipts_by_gtin ON inventory_receipts (gtin, lot);
    `);
  },
};
