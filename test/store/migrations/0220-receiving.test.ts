import { describe, expect, it } from 'vitest';
import { columns, indexColumns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0220 receiving', () => {
  it('adds receiving sessions, scans, exceptions, investigations and receipts beside the shipments', () => {
    const { db, added, rowsBefore } = upgradeTo(220);
    expect(rowsBefore.get('quarantine_items')).toHaveLength(1);
    expect(rowsBefore.get('shipment_items')).toHaveLength(1);
    expect(added).toEqual({
      tables: [
        'inventory_receipts',
        'investigations',
        'receiving_exceptions',
        'receiving_scans',
        'receiving_sessions',
      ],
      indexes: [
        'inventory_receipts_by_gtin',
        'investigations_by_status',
        'receiving_exceptions_by_status',
        'receiving_scans_by_item',
        'receiving_scans_by_session',
        'receiving_scans_by_trace',
      ],
      triggers: [],
    });
    expect(columns(db, 'receiving_sessions')).toEqual([
      'id',
      'shipment_id',
      'location',
      'opened_by',
      'opened_seq',
      'opened_ms',
      'status',
      'closed_seq',
    ]);
    expect(columns(db, 'receiving_scans')).toEqual([
      'id',
      'session_id',
      'ledger_seq',
      'trace_id',
      'shipment_id',
      'item_id',
      'gtin',
      'lot',
      'expiry',
      'units',
      'verdict',
      'exception_id',
      'scanned_ms',
    ]);
    expect(columns(db, 'receiving_exceptions')).toEqual([
      'id',
      'session_id',
      'shipment_id',
      'kind',
      'detail',
      'status',
      'opened_seq',
      'opened_ms',
      'resolved_seq',
      'resolution',
    ]);
    expect(columns(db, 'investigations')).toEqual([
      'id',
      'trace_id',
      'exception_id',
      'quarantine_id',
      'gtin',
      'lot',
      'expiry',
      'reason',
      'status',
      'opened_seq',
      'opened_ms',
      'determined_ms',
      'closed_seq',
      'outcome',
    ]);
    expect(columns(db, 'inventory_receipts')).toEqual([
      'id',
      'ledger_seq',
      'source',
      'shipment_id',
      'gtin',
      'ndc',
      'lot',
      'units',
      'received_ms',
    ]);
    expect(indexColumns(db, 'receiving_scans_by_session')).toEqual(['session_id', 'id']);
    expect(indexColumns(db, 'receiving_scans_by_item')).toEqual(['item_id']);
    expect(indexColumns(db, 'inventory_receipts_by_gtin')).toEqual(['gtin', 'lot']);

    seedOwnRows(db, 220);
    // What is still to scan: the shipment's items (0200) against the accepted scans (0220).
    expect(
      db
        .prepare(
          `SELECT i.product_name, count(s.id) AS scanned FROM shipment_items i
           LEFT JOIN receiving_scans s ON s.item_id = i.id AND s.verdict = 'accepted'
           WHERE i.shipment_id = 1 GROUP BY i.id`,
        )
        .all(),
    ).toEqual([{ product_name: 'Epcistra', scanned: 1 }]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO receiving_scans (session_id, ledger_seq, units, verdict, scanned_ms) VALUES (5, 30, 1, 'accepted', 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE receiving_sessions SET status = 'paused' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE receiving_exceptions SET status = 'ignored' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("UPDATE investigations SET status = 'closed' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
  });
});
