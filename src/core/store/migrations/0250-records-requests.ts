import type { Migration } from './migration';

/**
 * Records requests: FDA, another Federal or State official or a trading partner asks for records
 * (FSMA 204, 21 CFR 1.1455(c)(3); DSCSA, FD&C Act §582(b)(1)(B), (c)(1)(C), (d)(1)(D)), the
 * deadline in force, and each generated report sent in answer. Projections of requests.* entries.
 */
export const migration: Migration = {
  version: 250,
  name: 'records-requests',
  up(db) {
    db.exec(`
      CREATE TABLE records_requests (
        id               INTEGER PRIMARY KEY NOT NULL,
        regime           TEXT NOT NULL CHECK (regime IN ('fsma-204', 'dscsa')),
        requester_kind   TEXT NOT NULL CHECK (requester_kind IN ('fda', 'federal', 'state', 'partner')),
        received_ms      INTEGER NOT NULL,
        recorded         TEXT NOT NULL,
        due_ms           INTEGER NOT NULL,
        basis            TEXT NOT NULL,
        agreed_note      TEXT,
        status           TEXT NOT NULL CHECK (status IN ('open', 'answered', 'withdrawn')),
        withdrawn_reason TEXT,
        recorded_by      TEXT NOT NULL,
        recorded_seq     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX records_requests_by_status ON records_requests (status, due_ms);
      CREATE TABLE records_request_answers (
        request_id  INTEGER NOT NULL REFERENCES records_requests (id),
        seq         INTEGER NOT NULL,
        report_seq  INTEGER NOT NULL,
        sent_ms     INTEGER NOT NULL,
        sent_to     TEXT NOT NULL,
        answer      TEXT NOT NULL,
        answered_by TEXT NOT NULL,
        PRIMARY KEY (request_id, seq)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
