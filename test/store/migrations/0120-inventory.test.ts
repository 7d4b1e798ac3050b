import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0120 inventory', () => {
  it('adds controlled-substance transactions, signatures, balances, counts and drafts', () => {
    const { db, added, rowsBefore } = upgradeTo(120);
    expect(rowsBefore.get('products')).toHaveLength(2);
    expect(added).toEqual({
      tables: [
        'counts',
        'discrepancies',
        'form106_drafts',
        'inv_balances',
        'inv_lot_balances',
        'inv_transactions',
        'sealed_inventories',
        'signatures',
      ],
      indexes: ['counts_by_ndc', 'inv_transactions_by_ndc', 'inv_transactions_by_status'],
      triggers: [],
    });
    expect(columns(db, 'inv_transactions')).toEqual([
      'id',
      'seq',
      'kind',
      'ndc',
      'lot',
      'schedule',
      'qty_milli',
      'direction',
      'status',
      'date',
      'subject',
      'subject_hash',
      'initiated_by',
      'rejection_reason',
      'decided_seq',
    ]);
    expect(columns(db, 'signatures')).toEqual([
      'seq',
      'subject_id',
      'user_id',
      'printed_name',
      'meaning',
      'signed_ms',
      'subject_hash',
    ]);
    expect(columns(db, 'inv_balances')).toEqual(['ndc', 'qty_milli']);
    expect(columns(db, 'inv_lot_balances')).toEqual(['ndc', 'lot', 'qty_milli']);
    expect(columns(db, 'counts')).toEqual([
      'id',
      'seq',
      'ndc',
      'kind',
      'counted_milli',
      'expected_milli',
      'threshold_bp',
      'counted_ms',
      'counted_by',
      'discrepancy_id',
    ]);
    expect(columns(db, 'discrepancies')).toEqual([
      'id',
      'count_id',
      'ndc',
      'schedule',
      'variance_milli',
      'status',
      'explanation',
      'explained_by',
      'form106_id',
    ]);
    expect(columns(db, 'form106_drafts')).toEqual(['id', 'seq', 'source', 'source_id', 'record']);
    expect(columns(db, 'sealed_inventories')).toEqual(['id', 'seq', 'kind', 'date', 'record']);
    expect(indexColumns(db, 'inv_transactions_by_ndc')).toEqual(['ndc', 'seq']);
    expect(indexColumns(db, 'inv_transactions_by_status')).toEqual(['status', 'seq']);
    expect(indexColumns(db, 'counts_by_ndc')).toEqual(['ndc', 'seq']);

    const rows = seedOwnRows(db, 120);
    expect(rows.get('inv_balances')).toEqual([{ ndc: '0406-0552-01', qty_milli: 97_500 }]);
    // The transaction joins to the product master made by 0110.
    expect(
      db
        .prepare('SELECT p.name FROM inv_transactions t JOIN products p ON p.ndc = t.ndc WHERE t.id = ?')
        .pluck()
        .get('tx-0001'),
    ).toBe('Oxycodone Hydrochloride');

    // A balance never goes negative; a quantity is positive; statuses and directions are closed sets.
    expect(() =>
      db.prepare("UPDATE inv_balances SET qty_milli = -1 WHERE ndc = '0406-0552-01'").run(),
    ).toThrow(/CHECK/);
    const tx = db.prepare(
      `INSERT INTO inv_transactions VALUES (?, 30, 'dispense', '0406-0552-01', 'OX2611', 'CII', ?, ?, ?,
       '2026-03-05', 'Dispensed', 'h', 'u-tess', NULL, NULL)`,
    );
    expect(() => tx.run('tx-0002', 0, -1, 'posted')).toThrow(/CHECK/);
    expect(() => tx.run('tx-0003', 2500, 2, 'posted')).toThrow(/CHECK/);
    expect(() => tx.run('tx-0004', 2500, -1, 'approved')).toThrow(/CHECK/);
    expect(() =>
      db.prepare("UPDATE discrepancies SET status = 'ignored' WHERE id = 'disc-0001'").run(),
    ).toThrow(/CHECK/);
    // STRICT: 2.5 mL is 2500 thousandths, never a REAL.
    expect(() => tx.run('tx-0005', 2.5, -1, 'posted')).toThrow(/cannot store REAL value in INTEGER column/);
  });
});
