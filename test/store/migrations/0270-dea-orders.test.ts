import { describe, expect, it } from 'vitest';
import { columns, seedOwnRows, upgradeTo } from './upgrade';

describe('migration 0270 dea-orders', () => {
  it('adds the Schedule II order tables to a ledger that has inventory, keeping its transactions', () => {
    const { db, added, rowsBefore } = upgradeTo(270);
    expect(rowsBefore.get('inv_transactions')?.length).toBeGreaterThan(0);
    expect(added).toEqual({
      tables: [
        'dea_order_events',
        'dea_order_exceptions',
        'dea_order_fills',
        'dea_order_lines',
        'dea_orders',
      ],
      indexes: ['dea_order_events_by_order', 'dea_order_fills_by_order'],
      triggers: [],
    });
    expect(columns(db, 'dea_order_fills')).toEqual([
      'seq',
      'order_id',
      'line',
      'containers',
      'shipped_on',
      'received_on',
      'lot',
      'counted',
      'inventory_transaction',
      'recorded_by',
    ]);

    const rows = seedOwnRows(db, 270);
    expect(rows.get('dea_orders')).toEqual([expect.objectContaining({ id: 1, number: '26X000123' })]);
    expect(rows.get('dea_order_lines')).toHaveLength(2);

    const order = (over: Record<string, unknown>) => {
      const row = {
        id: 2,
        direction: 'inbound',
        form: 'dea-222',
        number: '261234567',
        signed_on: '2026-03-02',
        supplier_name: 'S',
        supplier_dea: 'PW1234563',
        supplier_address: 'a',
        purchaser_name: 'P',
        purchaser_dea: 'AB1234563',
        purchaser_address: 'b',
        signer_subject: null,
        signed_hash: null,
        recorded_seq: 40,
        recorded_by: 'u',
        recorded_ms: 0,
        ...over,
      };
      const cols = Object.keys(row);
      db.prepare(
        `INSERT INTO dea_orders (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
      ).run(row);
    };
    // A CSOS order keeps its signer and hash; a paper form has neither.
    expect(() => order({ form: 'csos', number: '26X000999' })).toThrow(/CHECK/);
    expect(() => order({ signer_subject: 'CN=x', signed_hash: 'ab' })).toThrow(/CHECK/);
    // One order per number and direction; only the two directions.
    expect(() =>
      order({ id: 3, form: 'csos', number: '26X000123', signer_subject: 'CN=x', signed_hash: 'ab' }),
    ).toThrow(/UNIQUE/);
    expect(() => order({ direction: 'sideways' })).toThrow(/CHECK/);
    order({});
    // A fill names an existing line; endings and exceptions have their own closed vocabularies.
    expect(() =>
      db
        .prepare(
          "INSERT INTO dea_order_fills (seq, order_id, line, containers, shipped_on, counted, recorded_by) VALUES (50, 1, 9, 1, '2026-03-03', 1, 'u')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO dea_order_events (seq, order_id, action, on_date, reason, recorded_by) VALUES (51, 1, 'lost', '2026-03-03', 'r', 'u')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
