import type { Migration } from './migration';

/**
 * Facts about the installation that must travel with the database file: which installation it
 * belongs to, so a ledger copied next to another installation's keys is recognised as foreign.
 */
export const migration: Migration = {
  version: 5,
  name: 'installation',
  up(db) {
    db.exec(`
      CREATE TABLE installation_meta (
        name  TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
