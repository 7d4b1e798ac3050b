import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncryptedDatabase, type Database } from '../../src/core/store/database';
import { migrations, runMigrations, schemaVersions, type Migration } from '../../src/core/store/migrations';
import { randomKey, tempDir } from './helpers';

function freshDb(): Database {
  return openEncryptedDatabase(path.join(tempDir(), 'ledger.db'), { key: randomKey(), create: true });
}

function tables(db: Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

const table = (version: number, name: string): Migration => ({
  version,
  name,
  up: (db) => db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY) STRICT`),
});

describe('migrations', () => {
  it('applies every product migration once, records them, and makes only STRICT tables', () => {
    const db = freshDb();
    const first = runMigrations(db, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.version));
    expect(schemaVersions(db)).toEqual(migrations.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(first.version);
    expect(runMigrations(db, migrations).applied).toEqual([]);
    // STRICT is what keeps a serial number from silently becoming a number (architecture.md).
    const loose = (
      db.pragma('table_list') as { name: string; schema: string; strict: number; type: string }[]
    )
      .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'))
      .filter((t) => t.strict !== 1)
      .map((t) => t.name);
    expect(loose).toEqual([]);
    db.close();
  });

  it('leaves the schema unchanged when a migration fails halfway', () => {
    const db = freshDb();
    runMigrations(db, [table(5, 'alpha')]);
    const before = tables(db);
    const failing: Migration = {
      version: 30,
      name: 'breaks',
      up(tx) {
        tx.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT');
        tx.exec('INSERT INTO half_done VALUES (1)');
        throw new Error('step failed');
      },
    };
    expect(() => runMigrations(db, [table(5, 'alpha'), table(20, 'beta'), failing])).toThrow(
      expect.objectContaining({ name: 'StoreError', kind: 'migration-failed' }),
    );
    // beta (applied before the failure in the same run) and half_done are both gone.
    expect(tables(db)).toEqual(before);
    expect(schemaVersions(db)).toEqual([5]);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    db.close();
  });

  it('refuses a database migrated by a newer app and changes nothing', () => {
    const db = freshDb();
    runMigrations(db, [table(5, 'alpha'), table(900, 'from_the_future')]);
    const before = tables(db);
    expect(() => runMigrations(db, [table(5, 'alpha'), table(20, 'beta')])).toThrow(
      expect.objectContaining({ kind: 'newer-than-app' }),
    );
    expect(tables(db)).toEqual(before);
    expect(schemaVersions(db)).toEqual([5, 900]);
    db.close();
  });

  it('rejects a migration list that is not strictly increasing', () => {
    const db = freshDb();
    expect(() => runMigrations(db, [table(10, 'a'), table(5, 'b')])).toThrow(/increasing/);
    db.close();
  });
});
