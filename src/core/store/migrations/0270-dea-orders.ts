import type { Migration } from './migration';

/**
 * Schedule I/II order records (DEA Form 222 and CSOS electronic orders, 21 CFR part 1305): the order
 * with its lines, what was shipped or received against each line and when, the purchaser's
 * cancellations, the supplier's voids and unaccepted (defective) orders with their reasons, and the
 * exceptions a receipt against a void, cancelled or expired order opens. Kept in tables of their
 * own because 1305.17 and 1305.27 want order records apart from all other records. Projections of
 * orders.* entries; every table but the exceptions is insert-only, so a report as of an earlier
 * checkpoint filters rows by their seq.
 */
export const migration: Migration = {
  version: 270,
  name: 'dea-orders',
  up(db) {
    db.exec(`
      CREATE TABLE dea_orders (
        id               INTEGER PRIMARY KEY NOT NULL,
        direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        form             TEXT NOT NULL CHECK (form IN ('dea-222', 'csos')),
        number           TEXT NOT NULL,
        signed_on        TEXT NOT NULL,
        supplier_name    TEXT NOT NULL,
        supplier_dea     TEXT NOT NULL,
        supplier_address TEXT NOT NULL,
        purchaser_name   TEXT NOT NULL,
        purchaser_dea    TEXT NOT NULL,
        purchaser_address TEXT NOT NULL,
        signer_subject   TEXT,
        signed_hash      TEXT,
        note             TEXT,
        recorded_seq     INTEGER NOT NULL,
        recorded_by      TEXT NOT NULL,
        recorded_ms      INTEGER NOT NULL,
        UNIQUE (direction, form, number),
        CHECK ((form = 'csos') = (signer_subject IS NOT NULL AND signed_hash IS NOT NULL))
      ) STRICT;
      CREATE TABLE dea_order_lines (
        order_id      INTEGER NOT NULL REFERENCES dea_orders (id),
        line          INTEGER NOT NULL CHECK (line >= 1),
        ndc           TEXT NOT NULL,
        product_name  TEXT NOT NULL,
        strength      TEXT,
        dosage_form   TEXT,
        packages      INTEGER NOT NULL CHECK (packages >= 1),
        package_size  REAL NOT NULL CHECK (package_size > 0),
        unit          TEXT NOT NULL,
        PRIMARY KEY (order_id, line)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE dea_order_fills (
        seq           INTEGER PRIMARY KEY NOT NULL,
        order_id      INTEGER NOT NULL,
        line          INTEGER NOT NULL,
        containers    INTEGER NOT NULL CHECK (containers >= 1),
        shipped_on    TEXT NOT NULL,
        received_on   TEXT,
        lot           TEXT,
        counted       INTEGER NOT NULL CHECK (counted IN (0, 1)),
        inventory_transaction TEXT,
        recorded_by   TEXT NOT NULL,
        FOREIGN KEY (order_id, line) REFERENCES dea_order_lines (order_id, line)
      ) STRICT;
      CREATE INDEX dea_order_fills_by_order ON dea_order_fills (order_id, line);
      CREATE TABLE dea_order_events (
        seq          INTEGER PRIMARY KEY NOT NULL,
        order_id     INTEGER NOT NULL REFERENCES dea_orders (id),
        line         INTEGER,
        action       TEXT NOT NULL CHECK (action IN ('cancelled', 'voided', 'unaccepted')),
        on_date      TEXT NOT NULL,
        reason       TEXT NOT NULL,
        recorded_by  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX dea_order_events_by_order ON dea_order_events (order_id);
      CREATE TABLE dea_order_exceptions (
        id            INTEGER PRIMARY KEY NOT NULL,
        order_id      INTEGER NOT NULL REFERENCES dea_orders (id),
        fill_seq      INTEGER NOT NULL REFERENCES dea_order_fills (seq),
        kind          TEXT NOT NULL CHECK (kind IN ('order-void', 'order-cancelled', 'order-unaccepted', 'order-expired', 'over-order')),
        detail        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        opened_seq    INTEGER NOT NULL,
        resolved_seq  INTEGER,
        resolved_by   TEXT,
        resolution    TEXT
      ) STRICT;
    `);
  },
};
