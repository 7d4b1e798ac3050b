import type { Migration } from './migration';

/**
 * Partner sync (EPCIS 2.0 REST pull and capture, GS1 US Lightweight Messaging verification):
 * - `sync_endpoints`: the projection of sync.endpoint-saved entries, a partner's URLs, how it
 *   authenticates and its public certificates. No secret: tokens, passwords, client secrets and
 *   client-certificate private keys live in the OS keychain only.
 * - `sync_state`: per partner, the pull cursor (committed in the same transaction as the page it
 *   follows), the last connection's TLS details and the circuit breaker. Operational state, not
 *   ledger entries: a 30% fault rate must not flood the ledger.
 * - `sync_pages`: every pulled page committed, by an identity made of the partner, the query and the
 *   events' hashes (never the bytes: a re-fetched page with a new creationDate is the same page).
 * - `sync_outbox`: every outgoing capture or verification, written before it is sent; enqueue,
 *   final outcome and dismissal are ledger entries, attempt counters are not.
 * - `sync_verifications`: the verification answers recorded against a package (sealed serial).
 */
export const migration: Migration = {
  version: 300,
  name: 'partner-sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_endpoints (
        partner_id        INTEGER PRIMARY KEY NOT NULL REFERENCES trading_partners (id),
        epcis_url         TEXT,
        verify_url        TEXT,
        auth              TEXT NOT NULL DEFAULT 'none' CHECK (auth IN ('none', 'bearer', 'basic', 'oauth2')),
        token_url         TEXT,
        client_id         TEXT,
        ca_pem            TEXT,
        pinned_sha256     TEXT,
        client_cert_pem   TEXT,
        query             TEXT NOT NULL DEFAULT '{}',
        per_page          INTEGER NOT NULL DEFAULT 1000 CHECK (per_page BETWEEN 1 AND 10000),
        overlap_ms        INTEGER NOT NULL DEFAULT 300000 CHECK (overlap_ms >= 0),
        interval_ms       INTEGER NOT NULL DEFAULT 900000 CHECK (interval_ms >= 60000),
        max_attempts      INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
        licence           TEXT,
        licence_checked   TEXT,
        licence_expires   TEXT,
        saved_seq         INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sync_state (
        partner_id            INTEGER PRIMARY KEY NOT NULL REFERENCES trading_partners (id),
        cursor_record_time    TEXT,
        last_attempt_ms       INTEGER,
        last_success_ms       INTEGER,
        status                TEXT NOT NULL DEFAULT 'never' CHECK (status IN ('never', 'ok', 'failing', 'open-circuit')),
        status_message        TEXT NOT NULL DEFAULT 'Not synced yet.',
        failures              INTEGER NOT NULL DEFAULT 0,
        circuit_open_until_ms INTEGER,
        tls_protocol          TEXT,
        cert_subject          TEXT,
        cert_issuer           TEXT,
        cert_valid_to_ms      INTEGER,
        epcis_version         TEXT,
        cbv_version           TEXT
      ) STRICT;
      CREATE TABLE sync_pages (
        partner_id   INTEGER NOT NULL REFERENCES trading_partners (id),
        page_key     BLOB NOT NULL,
        file_hash    BLOB NOT NULL,
        events       INTEGER NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('imported', 'already-imported', 'quarantined')),
        quarantine_id INTEGER,
        last_record_time TEXT,
        committed_ms INTEGER NOT NULL,
        PRIMARY KEY (partner_id, page_key)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE sync_outbox (
        id              INTEGER PRIMARY KEY NOT NULL,
        partner_id      INTEGER NOT NULL REFERENCES trading_partners (id),
        kind            TEXT NOT NULL CHECK (kind IN ('capture', 'verify')),
        name            TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'posted', 'polling', 'delivered', 'failed', 'dead', 'dismissed', 'split')),
        body            BLOB NOT NULL,
        event_ids       TEXT NOT NULL DEFAULT '[]',
        corr_uuid       TEXT,
        parent_id       INTEGER REFERENCES sync_outbox (id),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        posted_ms       INTEGER,
        capture_url     TEXT,
        last_error      TEXT,
        enqueued_by     TEXT NOT NULL,
        enqueued_seq    INTEGER NOT NULL,
        enqueued_ms     INTEGER NOT NULL,
        outcome_seq     INTEGER,
        outcome_ms      INTEGER
      ) STRICT;
      CREATE INDEX sync_outbox_due ON sync_outbox (partner_id, state, next_attempt_ms);
      CREATE TABLE sync_verifications (
        outbox_id        INTEGER PRIMARY KEY NOT NULL REFERENCES sync_outbox (id),
        partner_id       INTEGER NOT NULL REFERENCES trading_partners (id),
        gtin             TEXT NOT NULL,
        lot              TEXT NOT NULL,
        expiry           TEXT NOT NULL,
        serial_sealed    BLOB NOT NULL,
        context          TEXT NOT NULL,
        corr_uuid        TEXT NOT NULL UNIQUE,
        verified         INTEGER CHECK (verified IN (0, 1)),
        failure_reason   TEXT,
        additional_info  TEXT,
        responder_gln    TEXT,
        answered_ms      INTEGER,
        answer_seq       INTEGER
      ) STRICT;
    `);
  },
};
