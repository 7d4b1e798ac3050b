import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { openEncryptedDatabase, type Database } from '../../../src/core/store/database';
import { migrations, runMigrations, schemaVersions } from '../../../src/core/store/migrations';
import { randomKey, tempDir } from '../helpers';
import { ROWS } from './rows';

/*
 * A test per migration, as Signal Desktop keeps them: build a real encrypted ledger at the version
 * before N (only the migrations before N), fill every table it has with realistic rows, close it,
 * open it again as the new app would, run migration N, and compare. What N did not mean to touch
 * (every earlier table, index and trigger, every row) is checked here for every migration; what N
 * adds or transforms is checked by its own test file, `NNNN-name.test.ts` next to this one.
 */

interface SchemaObject {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string;
}

export interface Upgrade {
  /** The database after migration N, open; closed after the test. */
  readonly db: Database;
  /** Schema objects (tables, indexes, triggers) migration N added, by kind, sorted by name. */
  readonly added: { readonly tables: string[]; readonly indexes: string[]; readonly triggers: string[] };
  /** Every row of every table before migration N, by table (schema_migrations aside). */
  readonly rowsBefore: ReadonlyMap<string, unknown[]>;
}

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

/** Versions with a migration, ascending. */
export const versions = (): number[] => migrations.map((m) => m.version);

/** `NNNN-name`, the name of migration N's source file and of its test file. */
export const fileStem = (version: number): string => {
  const migration = migrations.find((m) => m.version === version);
  if (migration === undefined) throw new Error(`there is no migration ${version}`);
  return `${String(version).padStart(4, '0')}-${migration.name}`;
};

function schema(db: Database): SchemaObject[] {
  return db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all() as SchemaObject[];
}

/** Every row of every table, in a stable order (WITHOUT ROWID tables have no rowid to sort by). */
export function allRows(db: Database): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const { name } of schema(db).filter((o) => o.type === 'table')) {
    if (name === 'schema_migrations') continue;
    const rows = db.prepare(`SELECT * FROM "${name}"`).all();
    const key = (row: unknown) => JSON.stringify(row);
    out.set(
      name,
      rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
    );
  }
  return out;
}

/** Column names of a table, in order. */
export function columns(db: Database, table: string): string[] {
  return (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
}

/** The columns an index covers, in order. */
export function indexColumns(db: Database, index: string): string[] {
  return (db.pragma(`index_info("${index}")`) as { name: string }[]).map((c) => c.name);
}

/**
 * Builds the ledger at the version before `version` with realistic rows, reopens it and applies
 * migration `version` alone. Checks what every migration owes: the file stays encrypted, only N is
 * applied and recorded, every earlier schema object is unchanged, every earlier row is still there
 * unchanged (pass `transforms` for tables N is meant to rewrite: their rows are then the test's to
 * check), and the foreign keys hold.
 */
export function upgradeTo(version: number, options: { transforms?: readonly string[] } = {}): Upgrade {
  const stem = fileStem(version);
  const before = migrations.filter((m) => m.version < version);
  const file = path.join(tempDir('custodia-migration-'), 'ledger.db');
  const key = randomKey();

  let db = openEncryptedDatabase(file, { key, create: true });
  open.push(db);
  runMigrations(db, before);
  expect(schemaVersions(db)).toEqual(before.map((m) => m.version));
  for (const m of before) {
    const seed = ROWS[m.version];
    if (seed === undefined) throw new Error(`rows.ts has no rows for migration ${m.version}`);
    seed(db);
  }
  const schemaBefore = schema(db);
  const rowsBefore = allRows(db);
  const recordedBefore = db.prepare('SELECT * FROM schema_migrations ORDER BY version').all();
  // Every earlier table holds rows, so "the rows survived" below is never vacuous.
  for (const [table, rows] of rowsBefore)
    expect(rows.length, `${table} has rows before ${stem}`).toBeGreaterThan(0);
  db.close();

  // Still a SQLCipher file, not plaintext SQLite.
  expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');

  db = openEncryptedDatabase(file, { key });
  open.push(db);
  const result = runMigrations(
    db,
    migrations.filter((m) => m.version <= version),
  );
  expect(result).toEqual({ applied: [version], version });
  expect(schemaVersions(db)).toEqual([...before.map((m) => m.version), version]);
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  expect(
    db.prepare('SELECT * FROM schema_migrations WHERE version < ? ORDER BY version').all(version),
  ).toEqual(recordedBefore);
  expect(db.prepare('SELECT name FROM schema_migrations WHERE version = ?').pluck().get(version)).toBe(
    migrations.find((m) => m.version === version)!.name,
  );
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

  const transforms = new Set(options.transforms ?? []);
  const schemaAfter = schema(db);
  const unchanged = (o: SchemaObject) => !transforms.has(o.tbl_name);
  expect(
    schemaAfter
      .filter((o) => schemaBefore.some((b) => b.type === o.type && b.name === o.name))
      .filter(unchanged),
    `schema objects before ${stem}`,
  ).toEqual(schemaBefore.filter(unchanged));
  const rowsAfter = allRows(db);
  for (const [table, rows] of rowsBefore) {
    if (transforms.has(table)) continue;
    expect(rowsAfter.get(table), `rows of ${table} after ${stem}`).toEqual(rows);
  }

  const isNew = (o: SchemaObject) => !schemaBefore.some((b) => b.type === o.type && b.name === o.name);
  const names = (type: string) =>
    schemaAfter
      .filter((o) => o.type === type && isNew(o))
      .map((o) => o.name)
      .sort();
  return {
    db,
    added: { tables: names('table'), indexes: names('index'), triggers: names('trigger') },
    rowsBefore,
  };
}

/** Inserts migration N's own realistic rows (rows.ts) into the tables it made, and returns them all. */
export function seedOwnRows(db: Database, version: number): Map<string, unknown[]> {
  const seed = ROWS[version];
  if (seed === undefined) throw new Error(`rows.ts has no rows for migration ${version}`);
  seed(db);
  return allRows(db);
}
