import type { Migration } from './migration';

/** The product master (a projection of products.* entries), keyed by the hyphenated 10-digit package NDC. */
export const migration: Migration = {
  version: 110,
  name: 'products',
  up(db) {
    db.exec(`
      CREATE TABLE products (
        ndc          TEXT PRIMARY KEY NOT NULL,
        ndc11        TEXT NOT NULL UNIQUE,
        name         TEXT NOT NULL,
        strength     TEXT NOT NULL,
        dosage_form  TEXT NOT NULL,
        package_size REAL,
        unit         TEXT NOT NULL,
        schedule     TEXT CHECK (schedule IN ('CI', 'CII', 'CIII', 'CIV', 'CV')),
        source       TEXT NOT NULL,
        added_seq    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX products_by_schedule ON products (schedule, ndc);
    `);
  },
};
