import type { Migration } from './migration';

/**
 * Imported partner data and the traceability index: projections of ingest.* ledger entries, so
 * they can be dropped and rebuilt from the ledger (architecture.md, "ledger first").
 *
 * Identifiers (SGTIN, SSCC, lot classes) are rows of `trace_ids`: the canonical GS1 Digital Link
 * sealed per field (it holds the serial number) and an HMAC blind index for equality lookups; the
 * GTIN and lot are kept in clear because recalls and lot traces search by them. Every other table
 * refers to an identifier by its row id, so a serial number appears in exactly one sealed place.
 */
export const migration: Migration = {
  version: 200,
  name: 'ingest',
  up(db) {
    db.exec(`
      CREATE TABLE trading_partners (
        id          INTEGER PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('self', 'wholesaler', 'manufacturer', 'repackager', 'dispenser', '3pl', 'other')),
        authorized  INTEGER NOT NULL CHECK (authorized IN (0, 1)),
        address     TEXT,
        saved_seq   INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE partner_glns (
        gln        TEXT PRIMARY KEY NOT NULL,
        partner_id INTEGER NOT NULL REFERENCES trading_partners (id)
      ) STRICT;
      CREATE INDEX partner_glns_by_partner ON partner_glns (partner_id);
      CREATE TABLE partner_mappings (
        id         INTEGER PRIMARY KEY NOT NULL,
        partner_id INTEGER NOT NULL REFERENCES trading_partners (id),
        name       TEXT NOT NULL,
        mapping    TEXT NOT NULL,
        saved_seq  INTEGER NOT NULL,
        UNIQUE (partner_id, name)
      ) STRICT;

      CREATE TABLE ingest_files (
        id          INTEGER PRIMARY KEY NOT NULL,
        file_hash   BLOB NOT NULL UNIQUE CHECK (length(file_hash) = 32),
        name        TEXT NOT NULL,
        format      TEXT NOT NULL,
        partner_id  INTEGER,
        size        INTEGER NOT NULL,
        ledger_seq  INTEGER NOT NULL,
        records     INTEGER NOT NULL,
        imported    INTEGER NOT NULL,
        duplicates  INTEGER NOT NULL,
        pending     INTEGER NOT NULL,
        header      TEXT NOT NULL,
        imported_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE trace_ids (
        id     INTEGER PRIMARY KEY NOT NULL,
        bidx   BLOB NOT NULL UNIQUE,
        kind   TEXT NOT NULL CHECK (kind IN ('sgtin', 'sscc', 'lgtin', 'gtin', 'other')),
        gtin   TEXT,
        lot    TEXT,
        sealed BLOB NOT NULL
      ) STRICT;
      CREATE INDEX trace_ids_by_gtin_lot ON trace_ids (gtin, lot) WHERE gtin IS NOT NULL;

      CREATE TABLE trace_events (
        id            INTEGER PRIMARY KEY NOT NULL,
        event_hash    BLOB NOT NULL UNIQUE CHECK (length(event_hash) = 32),
        file_id       INTEGER NOT NULL REFERENCES ingest_files (id),
        file_index    INTEGER NOT NULL,
        ledger_seq    INTEGER NOT NULL,
        event_type    TEXT NOT NULL,
        event_time_ms INTEGER NOT NULL,
        action        TEXT,
        biz_step      TEXT,
        disposition   TEXT,
        biz_location  TEXT,
        source_party  TEXT,
        dest_party    TEXT
      ) STRICT;
      CREATE INDEX trace_events_by_file ON trace_events (file_id, file_index);

      CREATE TABLE trace_event_ids (
        trace_id INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        role     TEXT NOT NULL,
        PRIMARY KEY (trace_id, event_id, role)
      ) STRICT, WITHOUT ROWID;

      -- Error declarations (EPCIS 2.0 §7.4.1.2) are appended, never applied as an update.
      CREATE TABLE trace_event_errors (
        event_id     INTEGER PRIMARY KEY NOT NULL,
        declared_by  INTEGER NOT NULL,
        reason       TEXT,
        ledger_seq   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE serial_state (
        trace_id      INTEGER PRIMARY KEY NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('commissioned', 'aggregated', 'shipped', 'received', 'dispensed', 'decommissioned', 'destroyed')),
        disposition   TEXT,
        parent_id     INTEGER,
        last_event_id INTEGER NOT NULL,
        last_event_ms INTEGER NOT NULL,
        owner         TEXT,
        location      TEXT,
        expiry        TEXT,
        suspect       INTEGER NOT NULL DEFAULT 0,
        quarantined   INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX serial_state_by_parent ON serial_state (parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE aggregation_edges (
        parent_id     INTEGER NOT NULL,
        child_id      INTEGER NOT NULL,
        added_event   INTEGER NOT NULL,
        removed_event INTEGER,
        PRIMARY KEY (child_id, added_event)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX aggregation_edges_by_parent ON aggregation_edges (parent_id, child_id);

      -- Events waiting for a predecessor (out-of-order arrival): re-evaluated when it arrives.
      CREATE TABLE pending_events (
        event_id   INTEGER PRIMARY KEY NOT NULL,
        reason     TEXT NOT NULL,
        since_ms   INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE pending_waits (
        trace_id INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (trace_id, event_id)
      ) STRICT, WITHOUT ROWID;

      -- DSCSA transaction data received (TI + TS), from EPCIS shipping events, X12 856 or T3 sheets.
      CREATE TABLE shipments (
        id               INTEGER PRIMARY KEY NOT NULL,
        file_id          INTEGER NOT NULL REFERENCES ingest_files (id),
        event_id         INTEGER,
        record_hash      BLOB UNIQUE,
        ledger_seq       INTEGER NOT NULL,
        seller           TEXT,
        seller_name      TEXT,
        buyer            TEXT,
        ship_from        TEXT,
        ship_to          TEXT,
        ship_to_name     TEXT,
        transaction_date TEXT,
        ship_date        TEXT,
        reference        TEXT,
        statement        INTEGER NOT NULL CHECK (statement IN (0, 1)),
        statement_text   TEXT,
        status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'receiving', 'received', 'exceptions'))
      ) STRICT;
      CREATE INDEX shipments_by_ship_to ON shipments (ship_to, status);
      CREATE INDEX shipments_by_reference ON shipments (reference);
      CREATE TABLE shipment_items (
        id             INTEGER PRIMARY KEY NOT NULL,
        shipment_id    INTEGER NOT NULL REFERENCES shipments (id),
        trace_id       INTEGER,
        gtin           TEXT,
        ndc            TEXT,
        product_name   TEXT,
        strength       TEXT,
        dosage_form    TEXT,
        container_size TEXT,
        lot            TEXT,
        expiry         TEXT,
        quantity       INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX shipment_items_by_shipment ON shipment_items (shipment_id);
      CREATE INDEX shipment_items_by_trace ON shipment_items (trace_id) WHERE trace_id IS NOT NULL;
      CREATE INDEX shipment_items_by_gtin_lot ON shipment_items (gtin, lot);

      -- Product master data carried by partner files (EPCClass vocabulary, 856 LIN/PID, T3 columns).
      CREATE TABLE trace_products (
        gtin         TEXT PRIMARY KEY NOT NULL,
        ndc          TEXT,
        name         TEXT,
        strength     TEXT,
        dosage_form  TEXT,
        container    TEXT,
        manufacturer TEXT,
        ledger_seq   INTEGER NOT NULL
      ) STRICT;

      -- FSMA 204 key data elements, one row per record and critical tracking event.
      CREATE TABLE fsma_records (
        id          INTEGER PRIMARY KEY NOT NULL,
        file_id     INTEGER NOT NULL REFERENCES ingest_files (id),
        ledger_seq  INTEGER NOT NULL,
        record_hash BLOB NOT NULL UNIQUE,
        cte         TEXT NOT NULL,
        tlc         TEXT NOT NULL,
        event_date  TEXT,
        product     TEXT,
        quantity    TEXT,
        from_name   TEXT,
        to_name     TEXT,
        kdes        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX fsma_records_by_tlc ON fsma_records (tlc, cte);
      CREATE TABLE fsma_inputs (
        record_id INTEGER NOT NULL,
        input_tlc TEXT NOT NULL,
        PRIMARY KEY (input_tlc, record_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX fsma_inputs_by_record ON fsma_inputs (record_id);
    `);
  },
};
