import type { Migration } from './migration';

/**
 * What a technician found while investigating a suspect product (FD&C Act §582(d)(4)(A): the
 * dispenser investigates, and keeps the investigation's records 6 years): what was checked, the
 * photos taken (described in words), the verification answers received from the manufacturer or
 * seller, and notes, for the pharmacist who decides the outcome. Projection of
 * investigation.findings-recorded entries; one row per entry, never changed after.
 */
export const migration: Migration = {
  version: 330,
  name: 'investigation-findings',
  up(db) {
    db.exec(`
      CREATE TABLE investigation_findings (
        seq              INTEGER PRIMARY KEY NOT NULL,
        investigation_id INTEGER NOT NULL,
        recorded_by      TEXT NOT NULL,
        recorded_ms      INTEGER NOT NULL,
        checked          TEXT NOT NULL CHECK (json_valid(checked) AND json_type(checked) = 'array'),
        photos           TEXT NOT NULL CHECK (json_valid(photos) AND json_type(photos) = 'array'),
        verifications    TEXT NOT NULL CHECK (json_valid(verifications) AND json_type(verifications) = 'array'),
        notes            TEXT
      ) STRICT;
      CREATE INDEX investigation_findings_by_investigation ON investigation_findings (investigation_id, seq);
    `);
  },
};
