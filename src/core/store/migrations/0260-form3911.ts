import type { Migration } from './migration';

/**
 * Form FDA 3911 notifications of illegitimate product (FD&C Act §582(c)(4)(B), (d)(4)(B)): each
 * notification sent to FDA — initial, follow-up, request for termination — with the partners told,
 * and the incident number FDA assigned. Projections of form3911.* entries.
 */
export const migration: Migration = {
  version: 260,
  name: 'form3911',
  up(db) {
    db.exec(`
      CREATE TABLE form3911_notifications (
        investigation_id INTEGER NOT NULL,
        notification     INTEGER NOT NULL CHECK (notification >= 1),
        type             TEXT NOT NULL CHECK (type IN ('initial', 'follow-up', 'termination')),
        notified_ms      INTEGER NOT NULL,
        seq              INTEGER NOT NULL,
        recorded_by      TEXT NOT NULL,
        record           TEXT NOT NULL,
        PRIMARY KEY (investigation_id, notification)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE form3911_incidents (
        investigation_id INTEGER PRIMARY KEY NOT NULL,
        incident_number  TEXT NOT NULL,
        received_ms      INTEGER NOT NULL,
        seq              INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
