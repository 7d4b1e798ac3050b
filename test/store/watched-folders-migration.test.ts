import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncryptedDatabase } from '../../src/core/store/database';
import { migrations, runMigrations, schemaVersions } from '../../src/core/store/migrations';
import { randomKey, tempDir } from './helpers';

describe('migration 0230 watched-folders', () => {
  it('upgrades a ledger made before watched folders, in place, keeping what it held', () => {
    const file = path.join(tempDir(), 'ledger.db');
    const key = randomKey();
    const before = migrations.filter((m) => m.version < 230);
    let db = openEncryptedDatabase(file, { key, create: true });
    runMigrations(db, before);
    db.prepare(
      "INSERT INTO trading_partners (id, name, role, authorized, saved_seq) VALUES (1, 'Big Wholesaler', 'wholesaler', 1, 3)",
    ).run();
    db.close();

    db = openEncryptedDatabase(file, { key });
    expect(runMigrations(db, migrations).applied).toEqual([230]);
    expect(schemaVersions(db).at(-1)).toBe(230);
    expect(db.prepare('SELECT name FROM trading_partners').pluck().all()).toEqual(['Big Wholesaler']);

    const insert = db.prepare(
      'INSERT INTO watched_folders (id, name, path, partner_id, added_by, added_seq, added_ms) VALUES (?, ?, ?, 1, ?, 7, 0)',
    );
    insert.run(1, 'Portal', '/srv/portal', 'u-tess');
    // A new folder starts as not scanned yet, and says so.
    expect(db.prepare('SELECT status, status_message, last_scan_ms FROM watched_folders').get()).toEqual({
      status: 'waiting',
      status_message: 'Not scanned yet.',
      last_scan_ms: null,
    });
    // One row per path and per name; only known statuses and outcomes.
    expect(() => insert.run(2, 'Other', '/srv/portal', 'u-tess')).toThrow(/UNIQUE/);
    expect(() => insert.run(2, 'Portal', '/srv/other', 'u-tess')).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE watched_folders SET status = 'fine'").run()).toThrow(/CHECK/);
    const seen = db.prepare(
      'INSERT INTO watched_folder_files (folder_id, name, size, mtime_ms, first_seen_ms, outcome) VALUES (?, ?, 10, 0, 0, ?)',
    );
    seen.run(1, 'a.xml', 'imported');
    expect(() => seen.run(1, 'b.xml', 'deleted')).toThrow(/CHECK/);
    expect(() => seen.run(9, 'c.xml', null)).toThrow(/FOREIGN KEY/);
    // STRICT: a size is an integer, never text.
    expect(() =>
      db
        .prepare(
          "INSERT INTO watched_folder_files (folder_id, name, size, mtime_ms, first_seen_ms) VALUES (1, 'd.xml', 'big', 0, 0)",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    // Forgetting a folder forgets what was seen in it.
    db.prepare('DELETE FROM watched_folders WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM watched_folder_files').pluck().get()).toBe(0);
    db.close();
  });
});
