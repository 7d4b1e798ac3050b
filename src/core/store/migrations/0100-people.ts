import type { Migration } from './migration';

/**
 * People and the registrant. Every table here except `credentials` is a projection of ledger
 * entries (registrant.*, settings.*, users.*, auth.*) and is rebuilt from them; `credentials`
 * holds password hashes, which never enter the ledger, so it is state of its own, keyed to the
 * seq of the `users.password-set` entry that announced each change.
 */
export const migration: Migration = {
  version: 100,
  name: 'people',
  up(db) {
    db.exec(`
      CREATE TABLE registrant (
        id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        record TEXT NOT NULL,
        seq    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        record TEXT NOT NULL,
        seq    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE users (
        user_id      TEXT PRIMARY KEY NOT NULL,
        username     TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        roles        TEXT NOT NULL,
        active       INTEGER NOT NULL CHECK (active IN (0, 1)),
        created_ms   INTEGER NOT NULL,
        created_seq  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE user_lockout (
        user_id          TEXT PRIMARY KEY NOT NULL,
        failures         INTEGER NOT NULL,
        first_failure_ms INTEGER,
        locked_until_ms  INTEGER
      ) STRICT;

      CREATE TABLE credentials (
        user_id TEXT PRIMARY KEY NOT NULL,
        record  TEXT NOT NULL,
        set_seq INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
