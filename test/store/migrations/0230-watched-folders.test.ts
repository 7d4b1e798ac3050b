import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0230 watched-folders', () => {
  it('upgrades a ledger made before watched folders, in place, keeping what it held', () => {
    const { db, added, rowsBefore } = upgradeTo(230);
    expect(rowsBefore.get('trading_partners')).toEqual([
      expect.objectContaining({ id: 1, name: 'Keystone Wholesale' }),
    ]);
    expect(rowsBefore.get('receiving_scans')).toHaveLength(1);
    expect(added).toEqual({
      tables: ['watched_folder_files', 'watched_folders'],
      indexes: ['watched_folder_files_by_handled'],
      triggers: [],
    });
    expect(columns(db, 'watched_folders')).toEqual([
      'id',
      'name',
      'path',
      'partner_id',
      'mapping_id',
      'added_by',
      'added_seq',
      'added_ms',
      'status',
      'status_message',
      'last_scan_ms',
    ]);
    expect(columns(db, 'watched_folder_files')).toEqual([
      'folder_id',
      'name',
      'size',
      'mtime_ms',
      'first_seen_ms',
      'outcome',
      'message',
      'file_hash',
      'quarantine_id',
      'handled_ms',
    ]);
    expect(indexColumns(db, 'watched_folder_files_by_handled')).toEqual(['folder_id', 'handled_ms']);

    const rows = seedOwnRows(db, 230);
    expect(rows.get('watched_folder_files')).toEqual([
      expect.objectContaining({ folder_id: 1, name: '2026-03-16-keystone-epcis.xml', outcome: 'imported' }),
    ]);

    const insert = db.prepare(
      'INSERT INTO watched_folders (id, name, path, partner_id, added_by, added_seq, added_ms) VALUES (?, ?, ?, 1, ?, 7, 0)',
    );
    insert.run(2, 'Portal', '/srv/portal', 'u-tess');
    // A new folder starts as not scanned yet, and says so.
    expect(
      db.prepare('SELECT status, status_message, last_scan_ms FROM watched_folders WHERE id = 2').get(),
    ).toEqual({
      status: 'waiting',
      status_message: 'Not scanned yet.',
      last_scan_ms: null,
    });
    // One row per path and per name; only known statuses and outcomes.
    expect(() => insert.run(3, 'Other', '/srv/portal', 'u-tess')).toThrow(/UNIQUE/);
    expect(() => insert.run(3, 'Portal', '/srv/other', 'u-tess')).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE watched_folders SET status = 'fine' WHERE id = 2").run()).toThrow(
      /CHECK/,
    );
    const seen = db.prepare(
      'INSERT INTO watched_folder_files (folder_id, name, size, mtime_ms, first_seen_ms, outcome) VALUES (?, ?, 10, 0, 0, ?)',
    );
    seen.run(2, 'a.xml', 'imported');
    expect(() => seen.run(2, 'b.xml', 'deleted')).toThrow(/CHECK/);
    expect(() => seen.run(9, 'c.xml', null)).toThrow(/FOREIGN KEY/);
    // STRICT: a size is an integer, never text.
    expect(() =>
      db
        .prepare(
          "INSERT INTO watched_folder_files (folder_id, name, size, mtime_ms, first_seen_ms) VALUES (2, 'd.xml', 'big', 0, 0)",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    // Forgetting a folder forgets what was seen in it, and only there.
    db.prepare('DELETE FROM watched_folders WHERE id = 2').run();
    expect(
      db.prepare('SELECT folder_id, count(*) AS n FROM watched_folder_files GROUP BY folder_id').all(),
    ).toEqual([{ folder_id: 1, n: 1 }]);
  });
});
