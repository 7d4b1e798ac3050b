import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0110 products', () => {
  it('adds the product master keyed by package NDC, searchable by DEA schedule', () => {
    const { db, added, rowsBefore } = upgradeTo(110);
    expect(rowsBefore.get('users')).toHaveLength(2);
    expect(added).toEqual({ tables: ['products'], indexes: ['products_by_schedule'], triggers: [] });
    expect(columns(db, 'products')).toEqual([
      'ndc',
      'ndc11',
      'name',
      'strength',
      'dosage_form',
      'package_size',
      'unit',
      'schedule',
      'source',
      'added_seq',
    ]);
    expect(indexColumns(db, 'products_by_schedule')).toEqual(['schedule', 'ndc']);

    const rows = seedOwnRows(db, 110);
    expect(rows.get('products')).toEqual([
      expect.objectContaining({ ndc: '0001-0123-45', schedule: null, package_size: 100 }),
      expect.objectContaining({ ndc: '0406-0552-01', ndc11: '00406-0552-01', schedule: 'CII' }),
    ]);
    // Only the five DEA schedules; one row per 11-digit NDC too.
    const insert = db.prepare(
      "INSERT INTO products VALUES (?, ?, 'X', '1 mg', 'TABLET', NULL, 'tablet', ?, 'manual', 9)",
    );
    expect(() => insert.run('9999-0000-01', '09999-0000-01', 'CVI')).toThrow(/CHECK/);
    expect(() => insert.run('9999-0000-02', '00406-0552-01', null)).toThrow(/UNIQUE/);
    insert.run('9999-0000-03', '09999-0000-03', 'CV');
    expect(
      db.prepare("SELECT ndc FROM products WHERE schedule IN ('CII', 'CV') ORDER BY ndc").pluck().all(),
    ).toEqual(['0406-0552-01', '9999-0000-03']);
  });
});
