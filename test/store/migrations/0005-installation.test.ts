import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0005 installation', () => {
  it('gives a new ledger its installation facts table, one value per name', () => {
    const { db, added, rowsBefore } = upgradeTo(5);
    // The first migration: nothing came before it but the runner's own bookkeeping.
    expect([...rowsBefore.keys()]).toEqual([]);
    expect(added).toEqual({ tables: ['installation_meta'], indexes: [], triggers: [] });
    expect(columns(db, 'installation_meta')).toEqual(['name', 'value']);

    expect(seedOwnRows(db, 5).get('installation_meta')).toEqual([
      { name: 'install_id', value: '6f1c2a9e-54b7-4d0c-9a83-2f6be1d0c4aa' },
    ]);
    // Which installation the file belongs to is one fact, never two.
    expect(() =>
      db.prepare("INSERT INTO installation_meta (name, value) VALUES ('install_id', 'another')").run(),
    ).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO installation_meta (name, value) VALUES ('x', NULL)").run()).toThrow(
      /NOT NULL/,
    );
  });
});
