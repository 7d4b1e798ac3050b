import type { Database } from 'better-sqlite3-multiple-ciphers';
import { StoreError } from '../errors';
import type { Migration } from './migration';

const SCHEMA_TABLE = 'schema_migrations';

export interface MigrationResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The highest version now in the database. */
  readonly version: number;
}

/** Versions already applied to this database, ascending. */
export function schemaVersions(db: Database): number[] {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .get(SCHEMA_TABLE);
  if (exists === undefined) return [];
  return (
    db.prepare(`SELECT version FROM ${SCHEMA_TABLE} ORDER BY version`).all() as { version: number }[]
  ).map((row) => row.version);
}

/**
 * Applies every pending migration in ONE `BEGIN IMMEDIATE` transaction: either the whole schema
 * moves forward or nothing changes (SQLite DDL is transactional). A database that records a
 * version this app does not know was written by a newer Custodia and is refused untouched, as
 * Signal Desktop does, because an older app could corrupt tables it does not understand.
 */
export function runMigrations(
  db: Database,
  list: readonly Migration[],
  now: () => number = Date.now,
): MigrationResult {
  checkList(list);
  const known = new Set(list.map((m) => m.version));
  const run = db.transaction((): MigrationResult => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (
      version    INTEGER PRIMARY KEY NOT NULL,
      name       TEXT NOT NULL,
      applied_ms INTEGER NOT NULL
    ) STRICT`);
    const done = schemaVersions(db);
    const unknown = done.filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new StoreError(
        'newer-than-app',
        `This ledger was updated by a newer version of Custodia (schema ${Math.max(...done)}; ` +
          `this app knows up to ${Math.max(0, ...known)}). Install the latest Custodia to open it; ` +
          'nothing was changed.',
      );
    }
    const applied: number[] = [];
    const record = db.prepare(`INSERT INTO ${SCHEMA_TABLE} (version, name, applied_ms) VALUES (?, ?, ?)`);
    for (const migration of list) {
      if (done.includes(migration.version)) continue;
      try {
        migration.up(db);
      } catch (error) {
        throw new StoreError(
          'migration-failed',
          `Updating the ledger schema failed at step ${migration.version} (${migration.name}); ` +
            'nothing was changed. Report this to support with the log.',
          { cause: error },
        );
      }
      record.run(migration.version, migration.name, now());
      applied.push(migration.version);
    }
    const violations = db.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) {
      throw new StoreError(
        'migration-failed',
        `Updating the ledger schema left ${violations.length} broken references; nothing was changed. ` +
          'Report this to support with the log.',
      );
    }
    const version = Math.max(0, ...done, ...applied);
    db.pragma(`user_version = ${version}`);
    return { applied, version };
  });
  return run.immediate();
}

function checkList(list: readonly Migration[]): void {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `migrations must be listed in strictly increasing positive version order (at ${migration.version} ${migration.name})`,
      );
    }
    previous = migration.version;
  }
}
