import type { Migration } from './migration';

/**
 * ARCOS (21 CFR 1304.33): projections of arcos.* entries. A product's ARCOS facts (reportable,
 * DEA drug code, narcotic, package size, bulk and its strength), the reporting settings, the
 * associate value of a transaction without a partner DEA number, and each file marked submitted
 * with the transaction every record reported (its Transaction Identifier is the ledger seq).
 */
export const migration: Migration = {
  version: 290,
  name: 'arcos',
  up(db) {
    db.exec(`
      CREATE TABLE arcos_products (
        ndc          TEXT PRIMARY KEY NOT NULL,
        reportable   INTEGER NOT NULL CHECK (reportable IN (0, 1)),
        drug_code    TEXT CHECK (drug_code IS NULL OR (length(drug_code) = 4 AND drug_code NOT GLOB '*[^0-9]*')),
        narcotic     INTEGER NOT NULL CHECK (narcotic IN (0, 1)),
        package_size REAL CHECK (package_size IS NULL OR package_size > 0),
        bulk         INTEGER NOT NULL CHECK (bulk IN (0, 1)),
        strength     TEXT CHECK (strength IS NULL OR length(strength) = 4),
        seq          INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE arcos_settings (
        id                  INTEGER PRIMARY KEY CHECK (id = 1),
        frequency           TEXT NOT NULL CHECK (frequency IN ('quarterly', 'monthly')),
        document_identifier TEXT,
        seq                 INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE arcos_associates (
        transaction_seq INTEGER PRIMARY KEY NOT NULL,
        associate       TEXT NOT NULL,
        reason          TEXT NOT NULL,
        seq             INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE arcos_submissions (
        seq            INTEGER PRIMARY KEY NOT NULL,
        period         TEXT NOT NULL UNIQUE,
        frequency      TEXT NOT NULL CHECK (frequency IN ('quarterly', 'monthly')),
        sha256         TEXT NOT NULL UNIQUE,
        file_name      TEXT NOT NULL,
        generation_seq INTEGER NOT NULL,
        submitted_by   TEXT NOT NULL,
        submitted_ms   INTEGER NOT NULL,
        confirmation   TEXT
      ) STRICT;

      CREATE TABLE arcos_submitted_records (
        submission_seq  INTEGER NOT NULL REFERENCES arcos_submissions (seq),
        transaction_seq INTEGER NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ('', 'A', 'D', 'I')),
        record          TEXT NOT NULL CHECK (length(record) = 80),
        PRIMARY KEY (submission_seq, transaction_seq)
      ) STRICT;
      CREATE INDEX arcos_submitted_by_transaction ON arcos_submitted_records (transaction_seq, submission_seq);
    `);
  },
};
