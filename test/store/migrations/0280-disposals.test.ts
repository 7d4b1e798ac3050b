import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0280 disposals', () => {
  it('upgrades a ledger made before Form 106 incidents and Form 41 destructions, keeping its inventory', () => {
    const { db, added, rowsBefore } = upgradeTo(280);
    expect(rowsBefore.get('inv_transactions')).toEqual([expect.objectContaining({ id: 'tx-0001' })]);
    expect(rowsBefore.get('form106_drafts')).toHaveLength(1);
    expect(added).toEqual({
      tables: ['destructions', 'disposal_lines', 'loss_incidents'],
      indexes: ['destructions_by_date', 'loss_incidents_by_discovery'],
      triggers: [],
    });
    expect(columns(db, 'loss_incidents')).toEqual([
      'id',
      'seq',
      'discovered_on',
      'notice_due_by',
      'file_by',
      'notice',
      'notice_seq',
      'filing',
      'filing_seq',
      'record',
    ]);
    expect(columns(db, 'disposal_lines')).toEqual(['parent_id', 'line', 'kind', 'transaction_id', 'ndc']);

    const rows = seedOwnRows(db, 280);
    expect(rows.get('loss_incidents')).toEqual([
      expect.objectContaining({ id: 'inc-0001', notice_due_by: '2026-07-06', file_by: '2026-08-17' }),
    ]);
    // A deadline before the discovery is refused by the table itself.
    expect(() =>
      db
        .prepare(
          "INSERT INTO loss_incidents (id, seq, discovered_on, notice_due_by, file_by, record) VALUES ('x', 50, '2026-07-03', '2026-07-03', '2026-08-17', '{}')",
        )
        .run(),
    ).toThrow(/CHECK/);
    // A transaction is the line of one incident or destruction only; lines count from 1; two kinds.
    const line = db.prepare(
      "INSERT INTO disposal_lines (parent_id, line, kind, transaction_id, ndc) VALUES ('des-0001', ?, ?, ?, '0406-0552-01')",
    );
    expect(() => line.run(2, 'destruction', 'tx-0040')).toThrow(/UNIQUE/);
    expect(() => line.run(0, 'destruction', 'tx-0050')).toThrow(/CHECK/);
    expect(() => line.run(3, 'dispense', 'tx-0051')).toThrow(/CHECK/);
  });
});
